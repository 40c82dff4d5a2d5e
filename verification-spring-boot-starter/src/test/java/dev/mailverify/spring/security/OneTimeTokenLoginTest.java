package dev.mailverify.spring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.spring.MailVerifyAutoConfiguration;
import dev.mailverify.spring.MailVerifySecurityAutoConfiguration;
import jakarta.servlet.http.HttpSession;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Spring Security's one-time-token login with mailverify's token service and mail: ask for a link,
 * read it from the outbox, open it (nothing consumed), submit, end up signed in; a used or wrong
 * token is refused; a second request inside the cooldown mails nothing.
 */
@SpringBootTest(classes = OneTimeTokenLoginTest.App.class,
    properties = {"mailverify.transport=outbox", "mailverify.templates.base-url=https://app.example.com",
        "mailverify.app-name=Roamio"})
class OneTimeTokenLoginTest {
  static final String ADA = "ada@example.com";
  static final String ANN = "ann@example.com";
  private static final Pattern LINK = Pattern.compile("https://app\\.example\\.com/login/ott\\?token=([A-Za-z0-9_-]{43})");

  @Configuration(proxyBeanMethods = false)
  @EnableWebMvc
  @EnableWebSecurity
  @ImportAutoConfiguration({MailVerifyAutoConfiguration.class, MailVerifySecurityAutoConfiguration.class})
  static class App {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
      http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .oneTimeTokenLogin(Customizer.withDefaults());
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

  private String requestLink(String email) throws Exception {
    mvc.perform(post("/ott/generate").param("username", email).with(csrf())).andExpect(redirectedUrl("/ott/sent"));
    String text = outbox.latestTo(email).orElseThrow().text();
    Matcher m = LINK.matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return m.group(1);
  }

  private static String signedIn(MvcResult result) {
    HttpSession session = result.getRequest().getSession(false);
    Object attribute = session == null ? null
        : session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
    return attribute instanceof SecurityContext c && c.getAuthentication() != null
        ? c.getAuthentication().getName() : "";
  }

  @Test
  @DisplayName("C32: opening the link consumes nothing; the submit signs in once; the same token again is refused")
  void linkSignsInOnceOnSubmit() throws Exception {
    String token = requestLink(ADA);
    mvc.perform(get("/login/ott").param("token", token)).andExpect(status().isOk());
    mvc.perform(get("/login/ott").param("token", token)).andExpect(status().isOk());
    MvcResult ok = mvc.perform(post("/login/ott").param("token", token).with(csrf()))
        .andExpect(redirectedUrl("/")).andReturn();
    assertThat(signedIn(ok)).isEqualTo(ADA);
    MvcResult again = mvc.perform(post("/login/ott").param("token", token).with(csrf()))
        .andExpect(redirectedUrl("/login?error")).andReturn();
    assertThat(signedIn(again)).isEmpty();
  }

  @Test
  @DisplayName("C21: the link mail is the LOGIN template, text and HTML, the link as the button, in English by default")
  void linkMailIsTheLoginTemplateInEnglish() throws Exception {
    String email = "eve@example.com";
    mvc.perform(post("/ott/generate").param("username", email).with(csrf())).andExpect(redirectedUrl("/ott/sent"));
    EmailMessage mail = outbox.latestTo(email).orElseThrow();
    Matcher m = LINK.matcher(mail.text());
    assertThat(m.find()).as(mail.text()).isTrue();
    String link = m.group();
    assertThat(mail.subject()).isEqualTo("Your login code for Roamio");
    assertThat(mail.text()).contains("Or open this link and press the button on the page:", link, m.group(1),
        "works only once");
    // the HTML escapes every value (C21): '=' is written &#61;, which the browser reads back as '='
    assertThat(mail.html()).contains("<a href=\"" + link.replace("=", "&#61;") + "\"", "Open the confirmation page",
        "Roamio");
  }

  @Test
  @DisplayName("C21: the link mail follows the browser's language: Simplified Chinese with Accept-Language zh-CN")
  void linkMailInChinese() throws Exception {
    String email = "li@example.com";
    mvc.perform(post("/ott/generate").param("username", email).header("Accept-Language", "zh-CN").with(csrf()))
        .andExpect(redirectedUrl("/ott/sent"));
    EmailMessage mail = outbox.latestTo(email).orElseThrow();
    Matcher m = LINK.matcher(mail.text());
    assertThat(m.find()).as(mail.text()).isTrue();
    assertThat(mail.subject()).isEqualTo("【Roamio】登录验证码");
    assertThat(mail.text()).contains("也可以打开下面的链接", m.group());
    assertThat(mail.html()).contains("<a href=\"" + m.group().replace("=", "&#61;") + "\"");
  }

  @Test
  @DisplayName("a wrong token is refused")
  void wrongTokenRefused() throws Exception {
    MvcResult wrong = mvc.perform(post("/login/ott").param("token", "A".repeat(43)).with(csrf()))
        .andExpect(redirectedUrl("/login?error")).andReturn();
    assertThat(signedIn(wrong)).isEmpty();
  }

  @Test
  @DisplayName("C10: a second request inside the cooldown mails nothing, and the first link still works")
  void cooldown() throws Exception {
    String token = requestLink(ANN);
    mvc.perform(post("/ott/generate").param("username", ANN).with(csrf())).andExpect(redirectedUrl("/ott/sent"));
    assertThat(outbox.messagesTo(ANN)).hasSize(1);
    mvc.perform(post("/login/ott").param("token", token).with(csrf())).andExpect(redirectedUrl("/"));
  }
}
