package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.transport.ConsoleTransport;
import dev.mailverify.smtp.AccessToken;
import dev.mailverify.smtp.AccessTokenSource;
import dev.mailverify.smtp.SmtpSecurity;
import dev.mailverify.smtp.SmtpSettings;
import dev.mailverify.smtp.SmtpTransport;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Issue 18, bug 4: an application set up with Spring Boot's own {@code spring.mail.*} sends real mail
 * through it, and an application with no mail server configured anywhere is told so once, at start-up.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringMailFallbackTest {
  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("app@example.com", "app@example.com", "s3cret-pw"));

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MailVerifyAutoConfiguration.class));

  @Test
  @DisplayName("spring.mail.host/port/username/password alone: the code is mailed through that server, not printed")
  void springMailSendsRealMail() {
    runner.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + GREEN_MAIL.getSmtp().getPort(),
        "spring.mail.username=app@example.com", "spring.mail.password=s3cret-pw",
        "spring.mail.properties.mail.smtp.starttls.enable=false").run(context -> {
          assertThat(context).hasSingleBean(SmtpTransport.class).doesNotHaveBean(ConsoleTransport.class);
          VerificationCodeService service = context.getBean(VerificationCodeService.class);
          assertThat(service.sendVerificationCode("ada@example.com", VerificationType.REGISTER, Duration.ofMinutes(5)))
              .isInstanceOf(SendResult.Sent.class);
          assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(1);
          assertThat(GREEN_MAIL.getReceivedMessages()[0].getAllRecipients()[0].toString()).isEqualTo("ada@example.com");
        });
  }

  @Test
  @DisplayName("spring.mail.protocol=smtps and properties.mail.smtp.*timeout (ms) become implicit TLS and the timeouts")
  void springMailProtocolAndTimeouts() {
    runner.withPropertyValues("spring.mail.host=smtp.example.com", "spring.mail.protocol=smtps",
        "spring.mail.username=app@example.com", "spring.mail.password=pw",
        "spring.mail.properties.mail.smtp.connectiontimeout=3000", "spring.mail.properties.mail.smtp.timeout=4000",
        "spring.mail.properties.mail.smtp.writetimeout=5000").run(context -> {
          SmtpSettings s = context.getBean(SmtpSettings.class);
          assertThat(s.host()).isEqualTo("smtp.example.com");
          assertThat(s.security()).isEqualTo(SmtpSecurity.IMPLICIT_TLS);
          assertThat(s.port()).isEqualTo(465);
          assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
          assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(4));
          assertThat(s.writeTimeout()).isEqualTo(Duration.ofSeconds(5));
        });
  }

  @Test
  @DisplayName("mailverify.smtp.* wins over spring.mail.*, field by field")
  void mailverifyPropertiesWin() {
    runner.withPropertyValues("spring.mail.host=spring.example.com", "spring.mail.username=app@example.com",
        "spring.mail.password=pw", "mailverify.smtp.host=mailverify.example.com", "mailverify.smtp.port=2525")
        .run(context -> {
          SmtpSettings s = context.getBean(SmtpSettings.class);
          assertThat(s.host()).isEqualTo("mailverify.example.com");
          assertThat(s.port()).isEqualTo(2525);
          assertThat(s.username()).isEqualTo("app@example.com");
        });
  }

  @Test
  @DisplayName("C26: with mail configured nowhere, one warning at start-up says mail is printed, not sent")
  void nothingConfiguredWarnsOnceAtStartup(CapturedOutput output) {
    runner.run(context -> {
      assertThat(context).hasSingleBean(ConsoleTransport.class);
      String text = output.getOut() + output.getErr();
      assertThat(text.split("no mail server is configured anywhere", -1)).hasSize(2);
      assertThat(text).contains("PRINTED TO THE CONSOLE");
    });
  }

  @Test
  @DisplayName("an explicit mailverify.transport=console is a choice: no warning")
  void explicitConsoleDoesNotWarn(CapturedOutput output) {
    runner.withPropertyValues("mailverify.transport=console").run(context -> assertThat(context).hasNotFailed());
    assertThat(output.getOut() + output.getErr()).doesNotContain("no mail server is configured anywhere");
  }

  @Test
  @DisplayName("an AccessTokenSource bean signs in with XOAUTH2: no password, and a password next to it fails naming it")
  void oauth2TokenSourceBean() {
    AccessTokenSource tokens = () -> AccessToken.withoutExpiry("token-value");
    runner.withBean(AccessTokenSource.class, () -> tokens)
        .withPropertyValues("mailverify.transport=smtp", "mailverify.smtp.preset=outlook",
            "mailverify.smtp.username=app@outlook.com").run(context -> {
              SmtpSettings s = context.getBean(SmtpSettings.class);
              assertThat(s.accessTokenSource()).containsSame(tokens);
              assertThat(s.hasPassword()).isFalse();
              assertThat(s.toString()).doesNotContain("xoauth2-token-source");
            });
    runner.withBean(AccessTokenSource.class, () -> tokens)
        .withPropertyValues("mailverify.transport=smtp", "mailverify.smtp.preset=outlook",
            "mailverify.smtp.username=app@outlook.com", "mailverify.smtp.password=pw")
        .run(context -> assertThat(context).hasFailed()
            .getFailure().hasStackTraceContaining("mailverify.smtp.password"));
  }
}
