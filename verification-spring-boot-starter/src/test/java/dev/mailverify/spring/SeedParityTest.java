package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.smtp.DkimSigner;
import dev.mailverify.smtp.EnvironmentSource;
import dev.mailverify.smtp.SmtpEnvironment;
import dev.mailverify.smtp.SmtpSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * One configuration model: the same {@code .env} read by plain Java ({@link SmtpEnvironment} over
 * dotenv) and by the starter ({@code spring.config.import} of the file) gives the same SMTP settings,
 * field by field, DKIM included; a {@code mailverify.smtp.*} property then applies on top.
 */
class SeedParityTest {
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(MailVerifyAutoConfiguration.class)
  static class App {}

  private static Path dotenv(Path dir) throws Exception {
    Path key = dir.resolve("dkim.pem");
    byte[] pkcs8 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
    Path env = dir.resolve(".env");
    Files.writeString(env, String.join("\n",
        "# the seed's variables, DKIM included",
        "USE_REAL_EMAIL=1",
        "EMAIL_HOST=smtp.example.com",
        "EMAIL_PORT=465",
        "EMAIL_HOST_USER=app@example.com",
        "EMAIL_HOST_PASSWORD=authcode",
        "DEFAULT_FROM_EMAIL=\"Roamio <app@example.com>\"",
        "EMAIL_TIMEOUT=7.5",
        "EMAIL_DKIM_DOMAIN=example.com",
        "EMAIL_DKIM_SELECTOR=s2026",
        "EMAIL_DKIM_KEY_FILE=" + key,
        ""));
    return env;
  }

  private static SmtpSettings starter(Path env, String... properties) {
    String[] all = new String[properties.length + 1];
    all[0] = "spring.config.import=optional:file:" + env + "[.properties]";
    System.arraycopy(properties, 0, all, 1, properties.length);
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE).properties(all).run()) {
      return context.getBean(SmtpSettings.class);
    }
  }

  @Test
  @DisplayName("the same .env in plain Java and in the starter gives equal settings, field by field, DKIM included")
  void sameDotenvSameSettings(@TempDir Path dir) throws Exception {
    Path env = dotenv(dir);
    SmtpSettings plain = SmtpEnvironment.read(EnvironmentSource.dotenv(env)).requireSettings();
    SmtpSettings spring = starter(env);
    assertThat(spring.host()).isEqualTo(plain.host()).isEqualTo("smtp.example.com");
    assertThat(spring.port()).isEqualTo(plain.port()).isEqualTo(465);
    assertThat(spring.security()).isEqualTo(plain.security());
    assertThat(spring.username()).isEqualTo(plain.username());
    assertThat(spring.hasPassword()).isEqualTo(plain.hasPassword()).isTrue();
    assertThat(spring.from()).isEqualTo(plain.from());
    assertThat(spring.from().toString()).contains("Roamio");
    assertThat(spring.connectTimeout()).isEqualTo(plain.connectTimeout());
    assertThat(spring.readTimeout()).isEqualTo(plain.readTimeout());
    assertThat(spring.writeTimeout()).isEqualTo(plain.writeTimeout());
    assertThat(spring.maxConnections()).isEqualTo(plain.maxConnections());
    assertThat(spring.idleTimeout()).isEqualTo(plain.idleTimeout());
    assertThat(spring.trustedCertificates()).isEqualTo(plain.trustedCertificates());
    DkimSigner plainDkim = plain.dkim().orElseThrow();
    DkimSigner springDkim = spring.dkim().orElseThrow();
    assertThat(springDkim.domain()).isEqualTo(plainDkim.domain()).isEqualTo("example.com");
    assertThat(springDkim.selector()).isEqualTo(plainDkim.selector()).isEqualTo("s2026");
    assertThat(springDkim.algorithm()).isEqualTo(plainDkim.algorithm());
    assertThat(springDkim.recordName()).isEqualTo(plainDkim.recordName());
  }

  @Test
  @DisplayName("mailverify.smtp.* applies on top of the seed's variables; DKIM through properties alone")
  void propertiesOnTop(@TempDir Path dir) throws Exception {
    Path env = dotenv(dir);
    SmtpSettings spring = starter(env, "mailverify.smtp.port=2465", "mailverify.smtp.dkim.selector=s2027");
    assertThat(spring.port()).isEqualTo(2465);
    assertThat(spring.host()).isEqualTo("smtp.example.com");
    assertThat(spring.dkim().orElseThrow().selector()).isEqualTo("s2027");

    Path key = dir.resolve("dkim.pem");
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE).properties("mailverify.transport=smtp", "mailverify.smtp.host=smtp.example.com",
            "mailverify.smtp.username=app@example.com", "mailverify.smtp.password=pw",
            "mailverify.smtp.dkim.domain=example.com", "mailverify.smtp.dkim.selector=props",
            "mailverify.smtp.dkim.key-file=" + key).run()) {
      DkimSigner dkim = context.getBean(SmtpSettings.class).dkim().orElseThrow();
      assertThat(dkim.recordName()).isEqualTo("props._domainkey.example.com");
    }
  }
}
