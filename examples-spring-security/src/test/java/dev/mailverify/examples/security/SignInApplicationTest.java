package dev.mailverify.examples.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.spring.AutoConfigureMailVerifyOutbox;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The sample's two ways in, as a browser would take them, with the mail read from the outbox: ask for
 * a link, open it (nothing consumed, C32), submit, signed in; a used or wrong token is refused. Ask
 * for a code, type it, signed in; a wrong code is refused, five lock it (C6), a used one is refused (C4).
 */
@SpringBootTest
@AutoConfigureMailVerifyOutbox
class SignInApplicationTest {
  private static final Pattern LINK = Pattern.compile("http://localhost:8080/login/ott\\?token=([A-Za-z0-9_-]{43})");

  @Autowired
  WebApplicationContext context;

  @Autowired
  InMemoryOutbox outbox;

  MockMvc mvc;

  @BeforeEach
  void setUp() {
    mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
  }

  /** Opens the home page with the session of a sign-in and returns what it says. */
  private String home(MvcResult signIn) throws Exception {
    MockHttpSession session = (MockHttpSession) signIn.getRequest().getSession(false);
    assertThat(session).as("a session after the sign-in").isNotNull();
    return mvc.perform(get("/").session(session)).andExpect(status().isOk()).andReturn().getResponse()
        .getContentAsString();
  }

  private String requestLink(String email) throws Exception {
    mvc.perform(post("/ott/generate").param("username", email).with(csrf())).andExpect(redirectedUrl("/ott/sent"));
    EmailMessage mail = outbox.latestTo(email).orElseThrow();
    Matcher m = LINK.matcher(mail.text());
    assertThat(m.find()).as(mail.text()).isTrue();
    return m.group(1);
  }

  @Test
  @DisplayName("a page behind the chain sends an anonymous browser to the login page, which offers the link form")
  void anonymousGoesToLogin() throws Exception {
    // Spring Security 7 answers "/login", 6.5 "http://localhost/login"
    mvc.perform(get("/")).andExpect(status().is3xxRedirection())
        .andExpect(header().string("Location", org.hamcrest.Matchers.endsWith("/login")));
    mvc.perform(get("/login")).andExpect(status().isOk())
        .andExpect(content().string(org.hamcrest.Matchers.containsString("/ott/generate")));
    mvc.perform(get("/code")).andExpect(status().isOk())
        .andExpect(content().string(org.hamcrest.Matchers.containsString("/login/code/send")));
  }

  @Test
  @DisplayName("C32: the mailed link opens the submit page without consuming; the submit signs in once")
  void linkSignsInOnce() throws Exception {
    String token = requestLink("ada@example.com");
    assertThat(outbox.latestTo("ada@example.com").orElseThrow().html()).contains("Open the confirmation page");
    for (int i = 0; i < 2; i++) {
      mvc.perform(get("/login/ott").param("token", token)).andExpect(status().isOk())
          .andExpect(content().string(org.hamcrest.Matchers.containsString(token)));
    }
    MvcResult signIn = mvc.perform(post("/login/ott").param("token", token).with(csrf()))
        .andExpect(redirectedUrl("/")).andReturn();
    assertThat(home(signIn)).contains("Signed in as ada@example.com");
    mvc.perform(post("/login/ott").param("token", token).with(csrf())).andExpect(redirectedUrl("/login?error"));
  }

  @Test
  @DisplayName("a wrong token is refused and signs nobody in")
  void wrongTokenRefused() throws Exception {
    MvcResult r = mvc.perform(post("/login/ott").param("token", "x".repeat(43)).with(csrf()))
        .andExpect(redirectedUrl("/login?error")).andReturn();
    assertThat(r.getRequest().getSession(false) == null
        || r.getRequest().getSession(false).getAttribute("SPRING_SECURITY_CONTEXT") == null).isTrue();
  }

  @Test
  @DisplayName("C4: the mailed code signs in once, on any device; a wrong code first is refused")
  void codeSignsInOnce() throws Exception {
    mvc.perform(post("/login/code/send").param("email", "ann@example.com").with(csrf()))
        .andExpect(redirectedUrl("/code?sent"));
    String code = outbox.latestCode("ann@example.com").orElseThrow();
    String wrong = code.equals("000000") ? "111111" : "000000";
    mvc.perform(post("/login/code").param("email", "ann@example.com").param("code", wrong).with(csrf()))
        .andExpect(redirectedUrl("/code?error"));
    MvcResult signIn = mvc.perform(post("/login/code").param("email", "ann@example.com").param("code", code)
        .with(csrf())).andExpect(redirectedUrl("/")).andReturn();
    assertThat(home(signIn)).contains("Signed in as ann@example.com");
    mvc.perform(post("/login/code").param("email", "ann@example.com").param("code", code).with(csrf()))
        .andExpect(redirectedUrl("/code?error"));
  }

  @Test
  @DisplayName("C6: after five wrong codes even the right one is refused; C10: a second request inside the cooldown is refused")
  void wrongCodesLock() throws Exception {
    String email = "ada@example.com";
    mvc.perform(post("/login/code/send").param("email", email).with(csrf())).andExpect(redirectedUrl("/code?sent"));
    mvc.perform(post("/login/code/send").param("email", email).with(csrf())).andExpect(redirectedUrl("/code?limited"));
    String code = outbox.latestCode(email).orElseThrow();
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 0; i < 5; i++) {
      mvc.perform(post("/login/code").param("email", email).param("code", wrong).with(csrf()))
          .andExpect(redirectedUrl("/code?error"));
    }
    mvc.perform(post("/login/code").param("email", email).param("code", code).with(csrf()))
        .andExpect(redirectedUrl("/code?error"));
  }

  @Test
  @DisplayName("without the CSRF token neither a link nor a code is mailed")
  void csrfNeeded() throws Exception {
    mvc.perform(post("/ott/generate").param("username", "csrf@example.com")).andExpect(status().isForbidden());
    mvc.perform(post("/login/code/send").param("email", "csrf@example.com")).andExpect(status().isForbidden());
    assertThat(outbox.messagesTo("csrf@example.com")).isEmpty();
  }
}
