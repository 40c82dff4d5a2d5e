package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.HeaderInjectionException;
import dev.mailverify.core.InvalidAddressException;
import dev.mailverify.core.Mailbox;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmtpSettingsTest {
  private static final String SECRET = "zyxwvutsrqponmlk";

  private static SmtpSettings.Builder qq() {
    return SmtpSettings.builder(SmtpPreset.QQ_MAIL).credentials("12345@qq.com", SECRET);
  }

  @Test
  @DisplayName("C22 C23 defaults are safe: STARTTLS on 587, 10-second timeouts, trace off, JDK trust store")
  void safeDefaults() {
    SmtpSettings s = SmtpSettings.builder().host("smtp.example.com").credentials("me@example.com", SECRET).build();
    assertThat(s.security()).isEqualTo(SmtpSecurity.STARTTLS);
    assertThat(s.port()).isEqualTo(587);
    assertThat(s.connectTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(s.readTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(s.writeTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(s.debug()).isFalse();
    assertThat(s.trustedCertificates()).isEmpty();
    assertThat(s.from().address()).as("From defaults to the login account").isEqualTo("me@example.com");
  }

  @Test
  @DisplayName("C18 from and the login may be at a single-label host such as localhost (GreenMail, MailHog, aiosmtpd)")
  void localSenderAccepted() {
    SmtpSettings explicit = SmtpSettings.builder().host("localhost").port(3025).security(SmtpSecurity.PLAIN)
        .from("Roamio <app@localhost>").build();
    assertThat(explicit.from()).isEqualTo(new Mailbox("app@localhost", "Roamio"));
    SmtpSettings fromLogin = SmtpSettings.builder().host("localhost").credentials("app@localhost", SECRET).build();
    assertThat(fromLogin.from().address()).as("From defaults to the login account").isEqualTo("app@localhost");
    SmtpEnvironment env = SmtpEnvironment.read(EnvironmentSource.of(Map.of("USE_REAL_EMAIL", "1",
        "EMAIL_HOST", "localhost", "EMAIL_PORT", "3025", "EMAIL_USE_TLS", "0",
        "EMAIL_HOST_USER", "app@localhost", "EMAIL_HOST_PASSWORD", SECRET)));
    assertThat(env.problems()).isEmpty();
    assertThat(env.settings()).hasValueSatisfying(s -> assertThat(s.from().address()).isEqualTo("app@localhost"));
  }

  @Test
  @DisplayName("every builder error names its setting: from quotes the refused value, the password never appears")
  void errorsNameTheSetting() {
    assertThatThrownBy(() -> SmtpSettings.builder().from("Roamio <app@>"))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessage("from: 'Roamio <app@>' is not a valid address: domain is empty");
    assertThatThrownBy(() -> SmtpSettings.builder().from("Roamio <app@example..com>"))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessageStartingWith("from: 'Roamio <app@example..com>' is not a valid address: ");
    assertThatThrownBy(() -> SmtpSettings.builder().from("Roamio\r\nBcc: x@example.com <app@example.com>"))
        .isInstanceOfSatisfying(HeaderInjectionException.class, e -> assertThat(e.field()).isEqualTo("from"));
    assertThatThrownBy(() -> SmtpSettings.builder().host(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("host must be 1-253 characters, was 0");
    assertThatThrownBy(() -> SmtpSettings.builder().trustedCertificatesPem(java.nio.file.Path.of("no-such-ca.pem")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("trustedCertificatesPem: ")
        .hasMessageContaining("no-such-ca.pem");
    assertThatThrownBy(() -> SmtpSettings.builder().username(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("username ");
    assertThatThrownBy(() -> SmtpSettings.builder().password(SECRET + "\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("password ")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> SmtpSettings.builder().host("smtp.example.com").username("not-an-address").password(SECRET)
        .build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("from is required");
  }

  @Test
  @DisplayName("C16 toString never shows the password and masks the login")
  void toStringHidesPassword() {
    String text = qq().from("Roamio <12345@qq.com>").build().toString();
    assertThat(text).doesNotContain(SECRET).contains("[PROTECTED]").contains("1***@qq.com").contains("smtp.qq.com");
  }

  @Test
  @DisplayName("C22 C23 C16 the transport sets starttls.required, identity checks, bounded timeouts and no trace")
  void transportProperties() {
    try (SmtpTransport t = SmtpTransport.create(qq().build())) {
      Properties p = t.sessionProperties();
      assertThat(p.getProperty("mail.smtp.starttls.enable")).isEqualTo("true");
      assertThat(p.getProperty("mail.smtp.starttls.required")).isEqualTo("true");
      assertThat(p.getProperty("mail.smtp.ssl.checkserveridentity")).isEqualTo("true");
      assertThat(p.getProperty("mail.smtp.ssl.trust")).isNull();
      assertThat(p.getProperty("mail.smtp.ssl.protocols")).doesNotContain("TLSv1.1").contains("TLSv1.2");
      assertThat(Long.parseLong(p.getProperty("mail.smtp.connectiontimeout"))).isLessThanOrEqualTo(10_000);
      assertThat(Long.parseLong(p.getProperty("mail.smtp.timeout"))).isLessThanOrEqualTo(10_000);
      assertThat(Long.parseLong(p.getProperty("mail.smtp.writetimeout"))).isLessThanOrEqualTo(10_000);
      assertThat(p.getProperty("mail.debug")).isEqualTo("false");
      assertThat(p.values()).noneMatch(v -> String.valueOf(v).contains(SECRET));
    }
  }

  @Test
  @DisplayName("C22 implicit TLS sets ssl.enable and still checks identity")
  void implicitTlsProperties() {
    try (SmtpTransport t = SmtpTransport.create(SmtpSettings.builder(SmtpPreset.QQ_MAIL_SSL)
        .credentials("12345@qq.com", SECRET).build())) {
      Properties p = t.sessionProperties();
      assertThat(p.getProperty("mail.smtp.ssl.enable")).isEqualTo("true");
      assertThat(p.getProperty("mail.smtp.ssl.checkserveridentity")).isEqualTo("true");
    }
  }

  @Test
  @DisplayName("presets fill host, port and mode of each provider")
  void presets() {
    assertThat(SmtpSettings.builder(SmtpPreset.QQ_MAIL).credentials("a@qq.com", SECRET).build().target())
        .isEqualTo("smtp.qq.com:587 (STARTTLS)");
    assertThat(SmtpSettings.builder(SmtpPreset.QQ_MAIL_SSL).credentials("a@qq.com", SECRET).build().target())
        .isEqualTo("smtp.qq.com:465 (IMPLICIT_TLS)");
    assertThat(SmtpPreset.TENCENT_EXMAIL.host()).isEqualTo("smtp.exmail.qq.com");
    assertThat(SmtpPreset.NETEASE_163.host()).isEqualTo("smtp.163.com");
    assertThat(SmtpPreset.NETEASE_126.host()).isEqualTo("smtp.126.com");
    assertThat(SmtpPreset.GMAIL.host()).isEqualTo("smtp.gmail.com");
    assertThat(SmtpPreset.OUTLOOK.host()).isEqualTo("smtp-mail.outlook.com");
    assertThat(SmtpPreset.OFFICE_365.host()).isEqualTo("smtp.office365.com");
    assertThat(SmtpPreset.QQ_MAIL.passwordAdvice()).contains("authorization code");
  }

  @ParameterizedTest
  @EnumSource(SmtpPreset.class)
  @DisplayName("C22 no preset is plain text, and each uses the port of its mode")
  void noPresetIsPlain(SmtpPreset preset) {
    assertThat(preset.security()).isNotEqualTo(SmtpSecurity.PLAIN);
    assertThat(preset.port()).isEqualTo(preset.security().defaultPort());
  }

  @Test
  @DisplayName("the default port follows the security mode")
  void portFollowsMode() {
    SmtpSettings.Builder b = SmtpSettings.builder().host("mail.example.com").from("a@example.com");
    assertThat(b.security(SmtpSecurity.IMPLICIT_TLS).build().port()).isEqualTo(465);
    assertThat(b.security(SmtpSecurity.PLAIN).build().port()).isEqualTo(25);
  }

  @Test
  @DisplayName("bad values fail where they are set, naming the field and the range")
  void validation() {
    assertThatThrownBy(() -> SmtpSettings.builder().port(0)).hasMessageContaining("port must be 1-65535");
    assertThatThrownBy(() -> SmtpSettings.builder().connectTimeout(Duration.ZERO))
        .hasMessageContaining("connectTimeout must be between 1 ms and 5 minutes");
    assertThatThrownBy(() -> SmtpSettings.builder().readTimeout(Duration.ofMinutes(6)))
        .hasMessageContaining("readTimeout");
    assertThatThrownBy(() -> SmtpSettings.builder().maxConnections(0)).hasMessageContaining("maxConnections must be 1-64");
    assertThatThrownBy(() -> SmtpSettings.builder().idleTimeout(Duration.ofMillis(10))).hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> SmtpSettings.builder().host("smtp example.com")).hasMessageContaining("host");
    assertThatThrownBy(() -> SmtpSettings.builder().build()).hasMessageContaining("host is required");
    assertThatThrownBy(() -> SmtpSettings.builder().host("h.example.com").username("me@example.com").build())
        .hasMessageContaining("username and password must be given together");
    assertThatThrownBy(() -> SmtpSettings.builder().host("h.example.com").credentials("login-name", SECRET).build())
        .hasMessageContaining("DEFAULT_FROM_EMAIL");
  }

  @Test
  @DisplayName("C16 a password with a line break is refused without echoing it")
  void passwordNeverEchoed() {
    assertThatThrownBy(() -> qq().password(SECRET + "\n").build())
        .hasMessageContaining("password").hasMessageNotContaining(SECRET);
  }

  @Test
  @DisplayName("C20 a From with a Chinese display name is accepted; C19 one with CR/LF is refused")
  void fromParsing() {
    SmtpSettings s = qq().from("漫游团队 <12345@qq.com>").build();
    assertThat(s.from().displayName()).isEqualTo("漫游团队");
    assertThatThrownBy(() -> qq().from("Evil\r\nBcc: x@example.com <12345@qq.com>"))
        .isInstanceOf(dev.mailverify.core.HeaderInjectionException.class);
  }

  @Test
  @DisplayName("toBuilder reproduces equal settings")
  void toBuilderRoundTrip() {
    SmtpSettings s = qq().maxConnections(7).timeout(Duration.ofSeconds(3)).ehloName("app.example.com").build();
    assertThat(s.toBuilder().build()).isEqualTo(s);
  }

  @Test
  @DisplayName("C16 the password is in no public accessor, nor in equals, hashCode or toString")
  void passwordNotExposed() throws Exception {
    SmtpSettings s = qq().build();
    assertThat(SmtpSettings.class.isRecord()).isFalse();
    for (java.lang.reflect.Method m : SmtpSettings.class.getMethods()) {
      if (m.getParameterCount() == 0 && !java.lang.reflect.Modifier.isStatic(m.getModifiers())
          && m.getReturnType() != void.class && !m.getName().equals("toBuilder")) {
        assertThat(String.valueOf(m.invoke(s))).as(m.getName()).doesNotContain(SECRET);
      }
    }
    assertThat(s.hasPassword()).isTrue();
    SmtpSettings other = qq().password("another-secret-value").build();
    assertThat(other).isEqualTo(s).hasSameHashCodeAs(s);
    assertThat(other.toString()).isEqualTo(s.toString());
  }

  @Test
  @DisplayName("trusted certificates are an immutable list, read from a PEM file or given as certificates")
  void trustedCertificatesAreImmutable() throws Exception {
    TestCertificates cert = TestCertificates.localhost();
    SmtpSettings fromPem = qq().trustedCertificatesPem(cert.pemFile()).build();
    assertThat(fromPem.trustedCertificates()).containsExactly(cert.certificate);
    assertThatThrownBy(() -> fromPem.trustedCertificates().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(qq().trustedCertificates(cert.certificate).build()).isEqualTo(fromPem);
    assertThatThrownBy(() -> qq().trustedCertificatesPem(java.nio.file.Path.of("no-such-ca.pem")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-ca.pem");
  }

  @Test
  @DisplayName("builder: a setter checks its argument at once, naming the field; the last call wins")
  void builderRule() {
    assertThatThrownBy(() -> SmtpSettings.builder().username(" ")).hasMessageContaining("username");
    assertThatThrownBy(() -> SmtpSettings.builder().password("")).hasMessageContaining("password");
    assertThatThrownBy(() -> SmtpSettings.builder().ehloName("a b")).hasMessageContaining("ehloName");
    SmtpSettings s = qq().port(465).port(2525).maxConnections(2).maxConnections(9)
        .credentials("first@qq.com", SECRET).credentials("12345@qq.com", SECRET)
        .ehloName("a.example").ehloName(null).trustedCertificates(TestCertificates.localhost().certificate)
        .trustedCertificates(java.util.List.of()).build();
    assertThat(s.port()).isEqualTo(2525);
    assertThat(s.maxConnections()).isEqualTo(9);
    assertThat(s.username()).isEqualTo("12345@qq.com");
    assertThat(s.ehloName()).isNull();
    assertThat(s.trustedCertificates()).isEmpty();
  }
}
