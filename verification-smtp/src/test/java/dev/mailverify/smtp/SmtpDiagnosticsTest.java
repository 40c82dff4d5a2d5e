package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.DeliveryException.Category;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.smtp.DiagnosticStep.Kind;
import dev.mailverify.smtp.DiagnosticStep.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The diagnostics name the right failing step, with category and hint, and never print the password. */
class SmtpDiagnosticsTest {
  private static final String USER = FailureClassificationTest.USER;
  private static final String SECRET = FailureClassificationTest.SECRET;

  private static SmtpSettings.Builder startTls(int port) {
    return SmtpSettings.builder().host("localhost").port(port).credentials(USER, SECRET)
        .trustedCertificates(TestCertificates.localhost().certificate).timeout(Duration.ofSeconds(5));
  }

  private static void assertFailedAt(DiagnosticReport report, Kind kind, Category category) {
    DiagnosticStep failed = report.firstFailure().orElseThrow(() -> new AssertionError(report.toString()));
    assertThat(failed.kind()).as(report.toString()).isEqualTo(kind);
    assertThat(failed.category()).as(report.toString()).isEqualTo(category);
    assertThat(failed.hint()).isNotBlank();
    assertThat(report.passed()).isFalse();
    int index = report.steps().indexOf(failed);
    assertThat(report.steps().subList(0, index)).allMatch(s -> s.status() == Status.PASSED);
    assertThat(report.steps().subList(index + 1, report.steps().size())).allMatch(s -> s.status() == Status.SKIPPED);
    assertNoSecret(report);
  }

  private static void assertNoSecret(DiagnosticReport report) {
    String plainToken = Base64.getEncoder().encodeToString(("\0" + USER + "\0" + SECRET).getBytes(StandardCharsets.UTF_8));
    String loginToken = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    assertThat(report.toString()).doesNotContain(SECRET).doesNotContain(plainToken).doesNotContain(loginToken);
  }

  @Test
  @DisplayName("every step passes over STARTTLS: extensions listed, certificate subject and expiry shown")
  void allStepsPassOverStartTls() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, SECRET)
        .start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port()).build());
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.steps()).extracting(DiagnosticStep::kind)
          .containsExactly(Kind.RESOLVE, Kind.CONNECT, Kind.BANNER, Kind.EHLO, Kind.TLS, Kind.AUTH, Kind.SEND);
      assertThat(report.step(Kind.RESOLVE).orElseThrow().detail()).contains("127.0.0.1");
      assertThat(report.step(Kind.BANNER).orElseThrow().detail()).startsWith("220 fake.test");
      assertThat(report.step(Kind.EHLO).orElseThrow().detail()).contains("STARTTLS").contains("SIZE 10485760");
      assertThat(report.step(Kind.TLS).orElseThrow().detail()).contains("CN=localhost").containsPattern(
          "expires \\d{4}-\\d{2}-\\d{2}").contains("AUTH PLAIN LOGIN");
      assertThat(report.step(Kind.AUTH).orElseThrow().detail()).contains("r***@example.com");
      assertThat(report.step(Kind.SEND).orElseThrow().status()).isEqualTo(Status.SKIPPED);
      assertThat(server.tlsCommands()).anyMatch(c -> c.startsWith("AUTH"));
      assertThat(server.quits()).isEqualTo(1);
      assertNoSecret(report);
    }
  }

  @Test
  @DisplayName("the printable report has a header and one line per step with a check mark or a cross")
  void printableReport() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, "other")
        .start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port()).build());
      assertThat(report.lines()).hasSize(1 + report.steps().size());
      assertThat(report.lines().get(0)).contains("localhost:" + server.port()).contains("FAILED at AUTH");
      assertThat(report.lines().subList(1, 6)).allMatch(l -> l.startsWith("✔ "));
      assertThat(report.lines().get(6)).startsWith("✘ AUTH").contains("535").contains("AUTHENTICATION")
          .contains("authorization code");
      assertThat(report.lines().get(7)).startsWith("- test send");
      assertThat(report.lines()).noneMatch(l -> l.contains("\n"));
    }
  }

  @Test
  @DisplayName("an unresolvable host fails at RESOLVE with UNKNOWN_HOST")
  void unknownHostFailsAtResolve() {
    DiagnosticReport report = Diagnose.check(startTls(587).host("smtp.mailverify.invalid").build());
    assertFailedAt(report, Kind.RESOLVE, Category.UNKNOWN_HOST);
  }

  @Test
  @DisplayName("a closed port fails at CONNECT with CONNECTION_REFUSED and the firewall hint")
  void closedPortFailsAtConnect() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = s.getLocalPort();
    }
    DiagnosticReport report = Diagnose.check(startTls(port).build());
    assertFailedAt(report, Kind.CONNECT, Category.CONNECTION_REFUSED);
    assertThat(report.firstFailure().orElseThrow().hint()).contains("security group");
  }

  @Test
  @DisplayName("C23 a server that never speaks fails at BANNER with TIMEOUT within the bound")
  void silentServerFailsAtBanner() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().silent().start()) {
      long start = System.nanoTime();
      DiagnosticReport report = Diagnose.check(startTls(server.port()).timeout(Duration.ofMillis(500)).build());
      assertFailedAt(report, Kind.BANNER, Category.TIMEOUT);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  @DisplayName("a refusing greeting (554) fails at BANNER with its reply code")
  void refusingGreetingFailsAtBanner() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().reply("GREETING", "554 5.7.1 Go away").start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port()).build());
      assertFailedAt(report, Kind.BANNER, Category.UNKNOWN);
      assertThat(report.firstFailure().orElseThrow().reply()).hasValue(554);
    }
  }

  @Test
  @DisplayName("C22 a server without STARTTLS fails at TLS and never sees AUTH")
  void noStartTlsFailsAtTls() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).withoutStartTls()
        .auth(USER, SECRET).start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port()).build());
      assertFailedAt(report, Kind.TLS, Category.TLS);
      assertThat(report.firstFailure().orElseThrow().hint()).isEqualTo(FailureClassifier.NO_STARTTLS_HINT);
      assertThat(server.saw("AUTH")).isFalse();
    }
  }

  @Test
  @DisplayName("C22 a certificate for another host fails at TLS with the host-name hint")
  void wrongHostNameFailsAtTls() throws IOException {
    TestCertificates other = TestCertificates.otherHost();
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(other).auth(USER, SECRET).start()) {
      DiagnosticReport report = Diagnose.check(
          startTls(server.port()).trustedCertificates(other.certificate).build());
      assertFailedAt(report, Kind.TLS, Category.TLS);
      assertThat(report.firstFailure().orElseThrow().hint()).isEqualTo(FailureClassifier.HOST_MISMATCH_HINT);
    }
  }

  @Test
  @DisplayName("a wrong password fails at AUTH with AUTHENTICATION (535) and the authorization-code hint")
  void wrongPasswordFailsAtAuth() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost())
        .auth(USER, "the-right-one").start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port()).build());
      assertFailedAt(report, Kind.AUTH, Category.AUTHENTICATION);
      DiagnosticStep auth = report.firstFailure().orElseThrow();
      assertThat(auth.reply()).hasValue(535);
      assertThat(auth.hint()).contains("Settings > Account > POP3/IMAP/SMTP");
    }
  }

  @Test
  @DisplayName("a rejected test recipient fails at SEND with RECIPIENT_REJECTED after the other steps pass")
  void rejectedRecipientFailsAtSend() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, SECRET)
        .reply("RCPT", "550 5.1.1 No such user").start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port()).build(),
          EmailAddress.parse("nobody@example.org"));
      assertFailedAt(report, Kind.SEND, Category.RECIPIENT_REJECTED);
      assertThat(report.firstFailure().orElseThrow().detail()).contains("550 5.1.1 No such user");
    }
  }

  @Test
  @DisplayName("a test send that succeeds is reported and arrives")
  void testSendArrives() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, SECRET)
        .start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port()).build(),
          EmailAddress.parse("me@example.org"));
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.step(Kind.SEND).orElseThrow().detail()).contains("m***@example.org");
      assertThat(server.messages()).hasSize(1);
      assertThat(server.messages().get(0)).contains("mailverify SMTP test message");
    }
  }

  @Test
  @DisplayName("implicit TLS runs the handshake before the banner")
  void implicitTlsOrder() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().implicitTls(TestCertificates.localhost()).auth(USER, SECRET)
        .start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port()).security(SmtpSecurity.IMPLICIT_TLS)
          .build());
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.steps()).extracting(DiagnosticStep::kind)
          .containsExactly(Kind.RESOLVE, Kind.CONNECT, Kind.TLS, Kind.BANNER, Kind.EHLO, Kind.AUTH, Kind.SEND);
    }
  }

  @Test
  @DisplayName("C22 plain text shows the TLS step as skipped with a warning; no user skips AUTH")
  void plainSkipsTls() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().start()) {
      DiagnosticReport report = Diagnose.check(SmtpSettings.builder().host("127.0.0.1").port(server.port())
          .security(SmtpSecurity.PLAIN).from("dev@example.com").build());
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.step(Kind.TLS).orElseThrow().detail()).contains("plain text");
      assertThat(report.step(Kind.AUTH).orElseThrow().status()).isEqualTo(Status.SKIPPED);
    }
  }

  @ParameterizedTest(name = "{1} at {0} fails at {2} with {3}")
  @CsvSource(delimiter = '|', value = {
      "GREETING | 421 4.3.2 Service not available   | BANNER | SERVER_BUSY",
      "MAIL     | 421 4.7.0 Try again later         | SEND   | SERVER_BUSY",
      "DOT      | 451 4.3.0 Local error             | SEND   | SERVER_BUSY",
      "RCPT     | 452 4.2.2 Mailbox full            | SEND   | SERVER_BUSY",
      "RCPT     | 553 5.1.3 Invalid recipient       | SEND   | RECIPIENT_REJECTED",
      "MAIL     | 553 5.7.1 Sender not owned by user | SEND  | SENDER_REJECTED",
      "DOT      | 554 5.7.1 Rejected as spam        | SEND   | MESSAGE_REJECTED",
      "BODY     | DROP                              | SEND   | CONNECTION_LOST"})
  @DisplayName("C24 each scripted fault is reported at the right step")
  void faultsAreReportedAtTheRightStep(String verb, String reply, Kind step, Category category) throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, SECRET)
        .reply(verb, reply).start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port()).build(),
          EmailAddress.parse("someone@example.org"));
      assertFailedAt(report, step, category);
      if (!reply.equals("DROP")) {
        assertThat(report.firstFailure().orElseThrow().reply()).hasValue(Integer.parseInt(reply.substring(0, 3)));
      }
    }
  }
}
