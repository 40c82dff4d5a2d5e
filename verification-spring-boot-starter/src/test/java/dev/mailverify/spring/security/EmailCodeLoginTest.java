package dev.mailverify.spring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.spring.MailVerifyAutoConfiguration;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * Sign-in by an e-mailed code through Spring Security, with MockMvc and the in-memory outbox: ask
 * for a code, read it from the mail, post it with the address, end up signed in; a wrong, reused or
 * unknown-account code is refused, and five wrong codes lock it (C6).
 */
@SpringBootTest(classes = EmailCodeLoginTest.App.class, properties = "mailverify.transport=outbox")
class EmailCodeLoginTest {
  static final String ADA = "ada@example.com";
  static final String ANN = "ann@example.com";

  @Configuration(proxyBeanMethods = false)
  @EnableWebMvc // Spring Security 6.5 matches request paths through Spring MVC's introspector
  @EnableWebSecurity
  @ImportAutoConfiguration(MailVerifyAutoConfiguration.class)
  static class App {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
      http.authorizeHttpRequests(a -> a.requestMatchers("/login/**", "/login").permitAll().anyRequest().authenticated())
          .with(EmailCodeLoginConfigurer.emailCodeLogin(), Customizer.withDefaults());
      return http.build();
    }

    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(User.withUsername(ADA).password("{noop}unused").roles("USER").build(),
          User.withUsername(ANN).password("{noop}unused").roles("USER").build());
    }
  }

  @Autowired
  WebApplicationContext context;

  @Autowired
  InMemoryOutbox outbox;

  MockMvc mvc;

  @BeforeEach
  void setUp() {
    mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
  }

  private String requestCode(String email) throws Exception {
    mvc.perform(post("/login/code/send").param("email", email).with(csrf()))
        .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login?code-sent"));
    return outbox.latestCode(email).orElseThrow();
  }

  private static String signedIn(MvcResult result) {
    HttpSession session = result.getRequest().getSession(false);
    if (session == null) {
      return "";
    }
    Object attribute = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
    return attribute instanceof SecurityContext c && c.getAuthentication() != null
        ? c.getAuthentication().getName() : "";
  }

  @Test
  @DisplayName("C4: the mailed code signs in once; the same code again is refused")
  void codeSignsInOnce() throws Exception {
    String code = requestCode(ADA);
    MvcResult ok = mvc.perform(post("/login/code").param("email", ADA).param("code", code).with(csrf()))
        .andExpect(redirectedUrl("/")).andReturn();
    assertThat(signedIn(ok)).isEqualTo(ADA);
    MvcResult again = mvc.perform(post("/login/code").param("email", ADA).param("code", code).with(csrf()))
        .andExpect(redirectedUrl("/login?error")).andReturn();
    assertThat(signedIn(again)).isEmpty();
  }

  @Test
  @DisplayName("C6: a wrong code is refused, and after five wrong codes even the right one is")
  void wrongCodesLock() throws Exception {
    String code = requestCode(ANN);
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 0; i < 5; i++) {
      mvc.perform(post("/login/code").param("email", ANN).param("code", wrong).with(csrf()))
          .andExpect(redirectedUrl("/login?error"));
    }
    MvcResult locked = mvc.perform(post("/login/code").param("email", ANN).param("code", code).with(csrf()))
        .andExpect(redirectedUrl("/login?error")).andReturn();
    assertThat(signedIn(locked)).isEmpty();
  }

  @Test
  @DisplayName("an address with no account gets a code that does not sign in; the answers do not tell")
  void unknownAccountDoesNotSignIn() throws Exception {
    String code = requestCode("eve@example.com");
    MvcResult result = mvc.perform(post("/login/code").param("email", "eve@example.com").param("code", code)
        .with(csrf())).andExpect(redirectedUrl("/login?error")).andReturn();
    assertThat(signedIn(result)).isEmpty();
  }

  @Test
  @DisplayName("C10: a second request inside the cooldown mails nothing and says so")
  void cooldown() throws Exception {
    requestCode("bob@example.com");
    mvc.perform(post("/login/code/send").param("email", "bob@example.com").with(csrf()))
        .andExpect(redirectedUrl("/login?code-limited"));
    assertThat(outbox.messagesTo("bob@example.com")).hasSize(1);
  }

  @Test
  @DisplayName("pages behind the chain need a sign-in; the code endpoints need the CSRF token")
  void protectedAndCsrf() throws Exception {
    mvc.perform(get("/account")).andExpect(status().is4xxClientError());
    mvc.perform(post("/login/code/send").param("email", "csrf@example.com")).andExpect(status().isForbidden());
    assertThat(outbox.messagesTo("csrf@example.com")).isEmpty();
  }
}
