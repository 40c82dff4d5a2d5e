package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.spring.demo.Http;
import dev.mailverify.spring.demo.SignUpApp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The sign-up flow over HTTP on a real port, with the outbox swapped in by the annotation. */
@SpringBootTest(classes = SignUpApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "mailverify.transport=console"})
@AutoConfigureMailVerifyOutbox
class SignUpOverHttpTest {
  @Autowired
  InMemoryOutbox outbox;

  @Value("${local.server.port}")
  int port;

  @Test
  @DisplayName("send, read the code from the injected outbox, verify, register; the token works once (C9)")
  void signUp() throws Exception {
    Http http = new Http(port);
    HttpResponse<String> sent = http.post("/api/v1/auth/send_verification_code/", "{\"email\":\"New@Example.com\"}");
    assertThat(sent.statusCode()).isEqualTo(200);
    String code = outbox.latestCode("new@example.com").orElseThrow();

    HttpResponse<String> wrong = http.post("/api/v1/auth/verify_code/",
        "{\"email\":\"new@example.com\",\"code\":\"" + (code.equals("000000") ? "111111" : "000000") + "\"}");
    assertThat(wrong.statusCode()).isEqualTo(400);

    HttpResponse<String> verified = http.post("/api/v1/auth/verify_code/",
        "{\"email\":\"new@example.com\",\"code\":\"" + code + "\"}");
    assertThat(verified.statusCode()).isEqualTo(200);
    String token = Http.field(verified.body(), "verification_token");

    String register = "{\"email\":\"new@example.com\",\"verification_token\":\"" + token + "\"}";
    assertThat(http.post("/api/v1/auth/register/", register).statusCode()).isEqualTo(201);
    assertThat(http.post("/api/v1/auth/register/", register).statusCode()).isEqualTo(400);

    HttpResponse<String> again = http.post("/api/v1/auth/send_verification_code/", "{\"email\":\"new@example.com\"}");
    assertThat(again.statusCode()).as("C10 cooldown").isEqualTo(429);
  }
}
