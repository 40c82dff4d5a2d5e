package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryException.Category;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** C22 against an in-process server that speaks STARTTLS with a certificate made at test time. */
class StartTlsTest {
  private static final String USER = FailureClassificationTest.USER;
  private static final String SECRET = FailureClassificationTest.SECRET;

  private static SmtpSettings.Builder startTls(int port) {
    return SmtpSettings.builder().host("localhost").port(port).security(SmtpSecurity.STARTTLS)
        .credentials(USER, SECRET).trustedCertificates(TestCertificates.localhost().certificate)
        .timeout(Duration.ofSeconds(5));
  }

  @Test
  @DisplayName("C22 with STARTTLS required the send succeeds, and AUTH and the message travel only inside TLS")
  void startTlsRequiredSucceeds() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, SECRET)
            .start();
        SmtpTransport transport = SmtpTransport.create(startTls(server.port()).build())) {
      transport.send(FailureClassificationTest.message());
      assertThat(server.messages()).hasSize(1);
      assertThat(server.messages().get(0)).contains("Subject: Your code");
      assertThat(server.tlsCommands()).anyMatch(c -> c.startsWith("AUTH")).anyMatch(c -> c.startsWith("MAIL FROM"));
      assertThat(server.plainCommands()).as("commands sent before TLS").allMatch(c -> c.startsWith("EHLO") || c.equals("STARTTLS"));
    }
  }

  @Test
  @DisplayName("C22 a server that does not offer STARTTLS fails the send with TLS and never sees AUTH or mail")
  void noStartTlsNeverFallsBack() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).withoutStartTls()
        .auth(USER, SECRET).start()) {
      DeliveryException e = FailureClassificationTest.sendExpectingFailure(startTls(server.port()).build());
      assertThat(e.category()).isEqualTo(Category.TLS);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.hint()).isEqualTo(FailureClassifier.NO_STARTTLS_HINT);
      assertThat(server.saw("AUTH")).isFalse();
      assertThat(server.saw("MAIL")).isFalse();
      assertThat(server.messages()).isEmpty();
    }
  }

  @Test
  @DisplayName("C22 a certificate for another host name fails with TLS (identity is always checked)")
  void wrongHostNameFails() throws IOException {
    TestCertificates other = TestCertificates.otherHost();
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(other).auth(USER, SECRET).start()) {
      // the certificate is trusted, but it names wrong.example.test, not localhost
      DeliveryException e = FailureClassificationTest.sendExpectingFailure(
          startTls(server.port()).trustedCertificates(other.certificate).build());
      assertThat(e.category()).isEqualTo(Category.TLS);
      assertThat(e.hint()).isEqualTo(FailureClassifier.HOST_MISMATCH_HINT);
      assertThat(server.saw("AUTH")).isFalse();
      assertThat(server.messages()).isEmpty();
    }
  }

  @Test
  @DisplayName("C22 a certificate from a CA the JVM does not trust fails with TLS")
  void untrustedCertificateFails() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, SECRET)
        .start()) {
      DeliveryException e = FailureClassificationTest.sendExpectingFailure(
          startTls(server.port()).trustedCertificates(java.util.List.of()).build());
      assertThat(e.category()).isEqualTo(Category.TLS);
      assertThat(e.hint()).isEqualTo(FailureClassifier.UNTRUSTED_HINT);
      assertThat(server.saw("AUTH")).isFalse();
    }
  }

  @Test
  @DisplayName("C22 implicit TLS to an in-process TLS server succeeds with identity checked")
  void implicitTlsSucceeds() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().implicitTls(TestCertificates.localhost())
            .auth(USER, SECRET).start();
        SmtpTransport transport = SmtpTransport.create(
            startTls(server.port()).security(SmtpSecurity.IMPLICIT_TLS).build())) {
      transport.send(FailureClassificationTest.message());
      assertThat(server.messages()).hasSize(1);
      assertThat(server.saw("STARTTLS")).isFalse();
    }
  }

  @Test
  @DisplayName("C22 STARTTLS mode against an implicit-TLS port times out in the bound instead of hanging")
  void startTlsAgainstImplicitPortTimesOut() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().implicitTls(TestCertificates.localhost()).start()) {
      DeliveryException e = FailureClassificationTest.sendExpectingFailure(
          startTls(server.port()).timeout(Duration.ofMillis(500)).build());
      assertThat(e.category()).isEqualTo(Category.TIMEOUT);
      assertThat(e.hint()).contains("465");
    }
  }
}
