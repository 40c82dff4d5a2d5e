package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code EMAIL_SSL_CAFILE}: a private CA trusted from the environment or {@code .env}. */
class CaFileTest {
  private static final String USER = FailureClassificationTest.USER;
  private static final String SECRET = FailureClassificationTest.SECRET;

  private static Map<String, String> implicitTls(int port) {
    Map<String, String> env = new HashMap<>();
    env.put("USE_REAL_EMAIL", "1");
    env.put("EMAIL_HOST", "localhost");
    env.put("EMAIL_PORT", Integer.toString(port));
    env.put("EMAIL_USE_SSL", "1");
    env.put("EMAIL_HOST_USER", USER);
    env.put("EMAIL_HOST_PASSWORD", SECRET);
    env.put("EMAIL_TIMEOUT", "5");
    return env;
  }

  @Test
  @DisplayName("C22 EMAIL_SSL_CAFILE trusts a private CA: a TLS server with a test certificate accepts the mail")
  void caFileTrustsThePrivateCa() throws IOException, GeneralSecurityException {
    TestCertificates cert = TestCertificates.localhost();
    try (FakeSmtpServer server = FakeSmtpServer.builder().implicitTls(cert).auth(USER, SECRET).start()) {
      Map<String, String> env = implicitTls(server.port());
      env.put(SmtpEnvironment.EMAIL_SSL_CAFILE, cert.pemFile().toString());
      SmtpSettings settings = SmtpEnvironment.read(EnvironmentSource.of(env)).requireSettings();
      assertThat(settings.trustedCertificates()).containsExactly(cert.certificate);
      MailTransport transport = SmtpEnvironment.createTransport(env, SmtpEnvironment.Mode.PRODUCTION);
      try {
        transport.send(FailureClassificationTest.message());
      } finally {
        transport.close();
      }
      assertThat(server.messages()).hasSize(1);
    }
  }

  @Test
  @DisplayName("C24 without EMAIL_SSL_CAFILE the same server is a TLS failure whose hint names EMAIL_SSL_CAFILE")
  void tlsHintNamesCaFile() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().implicitTls(TestCertificates.localhost())
        .auth(USER, SECRET).start();
        SmtpTransport transport = SmtpTransport.create(
            SmtpEnvironment.read(EnvironmentSource.of(implicitTls(server.port()))).requireSettings())) {
      DeliveryException e = catchThrowableOfType(DeliveryException.class,
          () -> transport.send(FailureClassificationTest.message()));
      assertThat(e.category()).isEqualTo(DeliveryException.Category.TLS);
      assertThat(e.hint()).contains("EMAIL_SSL_CAFILE");
    }
  }

  @Test
  @DisplayName("a missing or certificate-less EMAIL_SSL_CAFILE is a problem naming the variable")
  void badCaFileIsAProblem(@TempDir Path dir) throws IOException {
    Map<String, String> env = implicitTls(465);
    env.put(SmtpEnvironment.EMAIL_SSL_CAFILE, dir.resolve("missing.pem").toString());
    assertThat(SmtpEnvironment.read(EnvironmentSource.of(env)).problems())
        .singleElement().asString().startsWith("EMAIL_SSL_CAFILE must name a PEM file").contains("does not exist");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n", StandardCharsets.US_ASCII);
    env.put(SmtpEnvironment.EMAIL_SSL_CAFILE, empty.toString());
    SmtpEnvironment read = SmtpEnvironment.read(EnvironmentSource.of(env));
    assertThat(read.problems()).singleElement().asString().contains("no readable PEM certificate");
    assertThatThrownBy(read::requireSettings).isInstanceOf(SmtpConfigurationException.class)
        .hasMessageContaining("EMAIL_SSL_CAFILE");
  }
}
