package dev.mailverify.spring.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.spring.AutoConfigureMailVerifyOutbox;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** A @WebMvcTest slice (Spring Boot 3) with the outbox annotation: only the controller and mailverify. */
@WebMvcTest(SignUpController.class)
@AutoConfigureMailVerifyOutbox
class SignUpWebMvcTest {
  @Autowired
  MockMvc mvc;

  @Autowired
  InMemoryOutbox outbox;

  @Test
  @DisplayName("the slice gets the service and the outbox; send then verify through MockMvc")
  void sendAndVerify() throws Exception {
    mvc.perform(post("/api/v1/auth/send_verification_code/").contentType(MediaType.APPLICATION_JSON)
        .content("{\"email\":\"slice@example.com\"}")).andExpect(status().isOk());
    String code = outbox.latestCode("slice@example.com").orElseThrow();
    String body = mvc.perform(post("/api/v1/auth/verify_code/").contentType(MediaType.APPLICATION_JSON)
        .content("{\"email\":\"slice@example.com\",\"code\":\"" + code + "\"}"))
        .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    assertThat(Http.field(body, "verification_token")).hasSizeGreaterThanOrEqualTo(43);
  }
}
