package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.mailverify.smtp.SmtpTransport;
import dev.mailverify.spring.demo.Http;
import dev.mailverify.spring.demo.SignUpApp;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same sign-up app sending real SMTP to GreenMail on loopback, and the SMTP health contributor. */
@SpringBootTest(classes = SignUpApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "management.endpoint.health.show-details=always"})
class SignUpOverGreenMailTest {
  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("app@example.com", "app@example.com", "s3cret-pw"))
      .withPerMethodLifecycle(false);

  @DynamicPropertySource
  static void smtp(DynamicPropertyRegistry registry) {
    registry.add("mailverify.transport", () -> "smtp");
    registry.add("mailverify.smtp.host", () -> "127.0.0.1");
    registry.add("mailverify.smtp.port", () -> GREEN_MAIL.getSmtp().getPort());
    registry.add("mailverify.smtp.security", () -> "plain");
    registry.add("mailverify.smtp.username", () -> "app@example.com");
    registry.add("mailverify.smtp.password", () -> "s3cret-pw");
    registry.add("mailverify.smtp.from", () -> "Roamio <app@example.com>");
    registry.add("mailverify.smtp.timeout", () -> "5s");
  }

  @Autowired
  SmtpTransport transport;

  @Value("${local.server.port}")
  int port;

  @Test
  @DisplayName("send over SMTP, read the code from the delivered mail, verify, register")
  void signUpOverSmtp() throws Exception {
    Http http = new Http(port);
    assertThat(http.post("/api/v1/auth/send_verification_code/", "{\"email\":\"user@example.org\"}").statusCode())
        .isEqualTo(200);
    assertThat(GREEN_MAIL.waitForIncomingEmail(10_000, 1)).isTrue();
    MimeMessage mail = GREEN_MAIL.getReceivedMessages()[0];
    String body = GreenMailUtil.getBody(mail);
    Matcher m = Pattern.compile("\\b(\\d{6})\\b").matcher(body);
    assertThat(m.find()).as("a 6-digit code in the mail").isTrue();

    HttpResponse<String> verified = http.post("/api/v1/auth/verify_code/",
        "{\"email\":\"user@example.org\",\"code\":\"" + m.group(1) + "\"}");
    assertThat(verified.statusCode()).isEqualTo(200);
    String token = Http.field(verified.body(), "verification_token");
    assertThat(http.post("/api/v1/auth/register/",
        "{\"email\":\"user@example.org\",\"verification_token\":\"" + token + "\"}").statusCode()).isEqualTo(201);
  }

  @Test
  @DisplayName("actuator health: mailVerifySmtp is UP against the server, with no password in the answer")
  void health() throws Exception {
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.body()).contains("\"mailVerifySmtp\"").doesNotContain("s3cret-pw");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
  }
}
