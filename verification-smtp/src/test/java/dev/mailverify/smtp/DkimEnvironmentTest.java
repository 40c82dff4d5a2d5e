package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EMAIL_DKIM_DOMAIN, EMAIL_DKIM_SELECTOR and EMAIL_DKIM_KEY_FILE: all three or none. */
class DkimEnvironmentTest {
  private static Map<String, String> base() {
    Map<String, String> env = new HashMap<>();
    env.put("EMAIL_HOST", "smtp.example.com");
    env.put("EMAIL_HOST_USER", "noreply@example.com");
    env.put("EMAIL_HOST_PASSWORD", "app-password");
    return env;
  }

  private static Path key(Path dir) throws Exception {
    return Files.writeString(dir.resolve("dkim.pem"),
        DkimSignerTest.pem(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()), StandardCharsets.US_ASCII);
  }

  @Test
  @DisplayName("all three DKIM variables give settings that sign with that domain, selector and key")
  void allThree(@TempDir Path dir) throws Exception {
    Map<String, String> env = base();
    env.put("EMAIL_DKIM_DOMAIN", "Example.com");
    env.put("EMAIL_DKIM_SELECTOR", "mail2026");
    env.put("EMAIL_DKIM_KEY_FILE", key(dir).toString());
    SmtpSettings settings = SmtpSettings.fromEnvironment(env);
    DkimSigner signer = settings.dkim().orElseThrow();
    assertThat(signer.domain()).isEqualTo("example.com");
    assertThat(signer.recordName()).isEqualTo("mail2026._domainkey.example.com");
    assertThat(signer.algorithm()).isEqualTo("ed25519-sha256");
    assertThat(settings.toString()).contains("key=[PROTECTED]");
    assertThat(SmtpEnvironment.read(EnvironmentSource.of(env)).warnings()).noneMatch(w -> w.contains("DKIM"));
  }

  @Test
  @DisplayName("none of them: mail is sent unsigned")
  void none() {
    assertThat(SmtpSettings.fromEnvironment(base()).dkim()).isEmpty();
  }

  @Test
  @DisplayName("C26: one or two of them is a start-up error naming the missing ones")
  void partial(@TempDir Path dir) throws Exception {
    Map<String, String> env = base();
    env.put("EMAIL_DKIM_DOMAIN", "example.com");
    env.put("EMAIL_DKIM_KEY_FILE", key(dir).toString());
    SmtpEnvironment read = SmtpEnvironment.read(EnvironmentSource.of(env));
    assertThat(read.problems()).singleElement().asString().contains("EMAIL_DKIM_SELECTOR is not set");
    assertThatThrownBy(read::requireSettings).isInstanceOfSatisfying(SmtpConfigurationException.class,
        e -> assertThat(e.variables()).containsExactly("EMAIL_DKIM_SELECTOR"));

    env.remove("EMAIL_DKIM_KEY_FILE");
    assertThat(SmtpEnvironment.read(EnvironmentSource.of(env)).problems()).singleElement().asString()
        .contains("EMAIL_DKIM_SELECTOR and EMAIL_DKIM_KEY_FILE are not set");
  }

  @Test
  @DisplayName("C26: a missing or unusable key file is a start-up error naming EMAIL_DKIM_KEY_FILE, never showing the key")
  void badKeyFile(@TempDir Path dir) throws Exception {
    Map<String, String> env = base();
    env.put("EMAIL_DKIM_DOMAIN", "example.com");
    env.put("EMAIL_DKIM_SELECTOR", "mail");
    env.put("EMAIL_DKIM_KEY_FILE", dir.resolve("missing.pem").toString());
    assertThat(SmtpEnvironment.read(EnvironmentSource.of(env)).problems()).singleElement().asString()
        .startsWith("EMAIL_DKIM_KEY_FILE must name").contains("does not exist");
    Path pkcs1 = Files.writeString(dir.resolve("old.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecret\n-----END RSA PRIVATE KEY-----\n");
    env.put("EMAIL_DKIM_KEY_FILE", pkcs1.toString());
    SmtpEnvironment read = SmtpEnvironment.read(EnvironmentSource.of(env));
    assertThat(read.problems()).singleElement().asString().contains("PKCS#1").doesNotContain("MIIEsecret");
    assertThatThrownBy(read::requireSettings).isInstanceOfSatisfying(SmtpConfigurationException.class,
        e -> assertThat(e.variables()).containsExactly("EMAIL_DKIM_KEY_FILE"));
  }

  @Test
  @DisplayName("a DKIM domain not aligned with the From domain is a start-up warning (DMARC would ignore the signature)")
  void misalignedDomainWarns(@TempDir Path dir) throws Exception {
    Map<String, String> env = base();
    env.put("EMAIL_DKIM_DOMAIN", "other.org");
    env.put("EMAIL_DKIM_SELECTOR", "mail");
    env.put("EMAIL_DKIM_KEY_FILE", key(dir).toString());
    assertThat(SmtpEnvironment.read(EnvironmentSource.of(env)).warnings())
        .anyMatch(w -> w.startsWith("EMAIL_DKIM_DOMAIN is not the domain of the From address"));
  }
}
