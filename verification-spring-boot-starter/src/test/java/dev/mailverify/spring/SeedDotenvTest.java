package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.smtp.SmtpSecurity;
import dev.mailverify.smtp.SmtpSettings;
import dev.mailverify.smtp.SmtpTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** The seed's .env file, unchanged, configures the starter through spring.config.import. */
class SeedDotenvTest {
  /** The seed's .env as the README shows it (quotes, comments and all). */
  static final String SEED_DOTENV = String.join("\n",
      "# mail settings of the seed project",
      "USE_REAL_EMAIL=True",
      "EMAIL_HOST=smtp.qq.com",
      "EMAIL_PORT=587",
      "EMAIL_USE_TLS=1",
      "EMAIL_HOST_USER=your-account@qq.com",
      "EMAIL_HOST_PASSWORD=your-authorization-code",
      "DEFAULT_FROM_EMAIL=\"Roamio <your-account@qq.com>\"",
      "");

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(MailVerifyAutoConfiguration.class)
  static class App {}

  @Test
  @DisplayName("spring.config.import=optional:file:.env[.properties] with the seed's .env selects SMTP with its settings")
  void seedDotenvWorksUnchanged(@TempDir Path dir) throws Exception {
    Path env = dir.resolve(".env");
    Files.writeString(env, SEED_DOTENV);
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties("spring.config.import=optional:file:" + env + "[.properties]")
        .run()) {
      assertThat(context.getBean(SmtpTransport.class)).isNotNull();
      SmtpSettings s = context.getBean(SmtpSettings.class);
      assertThat(s.host()).isEqualTo("smtp.qq.com");
      assertThat(s.port()).isEqualTo(587);
      assertThat(s.security()).isEqualTo(SmtpSecurity.STARTTLS);
      assertThat(s.username()).isEqualTo("your-account@qq.com");
      assertThat(s.from().address()).isEqualTo("your-account@qq.com");
      assertThat(s.from().toString()).contains("Roamio");
      assertThat(s.connectTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }
  }

  @Test
  @DisplayName("a missing .env is optional: console transport")
  void missingDotenvIsOptional(@TempDir Path dir) {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties("spring.config.import=optional:file:" + dir.resolve(".env") + "[.properties]")
        .run()) {
      assertThat(context.getBeansOfType(SmtpTransport.class)).isEmpty();
    }
  }
}
