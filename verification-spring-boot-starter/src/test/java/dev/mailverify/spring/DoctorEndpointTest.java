package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The doctor as an actuator endpoint: the app's own settings, read-only, off unless exposed, no secrets. */
class DoctorEndpointTest {
  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("app@example.com", "app@example.com", "s3cret-pw"));

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MailVerifyAutoConfiguration.class, MailVerifyDoctorAutoConfiguration.class))
      .withPropertyValues("mailverify.store.type=memory");

  private WebApplicationContextRunner smtp() {
    return runner.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + GREEN_MAIL.getSmtp().getPort(),
        "spring.mail.username=app@example.com", "spring.mail.password=s3cret-pw",
        "spring.mail.properties.mail.smtp.starttls.enable=false");
  }

  @Test
  @DisplayName("exposed: the endpoint diagnoses the settings from spring.mail.*, step by step, and passes against the server")
  void diagnosesTheAppsOwnSettings() {
    smtp().withPropertyValues("management.endpoints.web.exposure.include=mailverify").run(context -> {
      Map<String, Object> answer = context.getBean(MailVerifyDoctorEndpoint.class).diagnose();
      assertThat(answer.get("passed")).as(answer.toString()).isEqualTo(true);
      assertThat(answer.get("wiring").toString()).contains("transport=", "spring.mail.host is set");
      assertThat((List<?>) answer.get("steps")).isNotEmpty();
      assertThat(answer.toString()).contains("127.0.0.1").doesNotContain("s3cret-pw");
    });
  }

  @Test
  @DisplayName("C16: a wrong password fails the login step with a hint, and the password is never shown")
  void failedLoginHasAHintAndNoSecret() {
    smtp().withPropertyValues("management.endpoints.web.exposure.include=mailverify",
        "spring.mail.password=wrong-pw-123").run(context -> {
          Map<String, Object> answer = context.getBean(MailVerifyDoctorEndpoint.class).diagnose();
          assertThat(answer.get("passed")).isEqualTo(false);
          assertThat(answer.toString()).contains("hint").doesNotContain("wrong-pw-123");
        });
  }

  @Test
  @DisplayName("not exposed: no endpoint bean at all")
  void offUnlessExposed() {
    smtp().run(context -> assertThat(context).doesNotHaveBean(MailVerifyDoctorEndpoint.class));
  }

  @Test
  @DisplayName("console transport: the endpoint says there is no server to check")
  void consoleHasNothingToCheck() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=mailverify").run(context -> {
      Map<String, Object> answer = context.getBean(MailVerifyDoctorEndpoint.class).diagnose();
      assertThat(answer.get("passed")).isEqualTo(false);
      assertThat(answer.get("problem").toString()).contains("mailverify.transport=smtp");
    });
  }
}
