package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.smtp.DiagnosticStep.Kind;
import dev.mailverify.smtp.DiagnosticStep.Status;
import dev.mailverify.smtp.spi.SenderCheck;
import dev.mailverify.smtp.spi.SenderCheck.Finding;
import java.io.IOException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The seam between the diagnostics and the sender's DNS checks ({@link SenderCheck}, implemented in
 * verification-dns): what the check is asked, how its findings become report lines, and that the
 * runs with and without a test send ask the same configured check. No DNS here: the check is a
 * recording fake.
 */
class SenderCheckSeamTest {
  private static final String USER = FailureClassificationTest.USER;
  private static final String SECRET = FailureClassificationTest.SECRET;

  private static SmtpSettings.Builder settings(int port) {
    return SmtpSettings.builder().host("localhost").port(port).credentials(USER, SECRET).from("noreply@sender.test")
        .trustedCertificates(TestCertificates.localhost().certificate).timeout(Duration.ofSeconds(5));
  }

  private static FakeSmtpServer server() throws IOException {
    return FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, SECRET).start();
  }

  /** A sender check that records what it is asked and answers with fixed findings. */
  private static final class Recording implements SenderCheck {
    final List<Sender> asked = new CopyOnWriteArrayList<>();
    private final List<Finding> answer;

    Recording(List<Finding> answer) {
      this.answer = answer;
    }

    @Override
    public List<Finding> check(Sender sender) {
      asked.add(sender);
      return answer;
    }
  }

  private static final List<Finding> MIXED = List.of(
      new Finding(Kind.SPF, Finding.Status.PASSED, "SPF at sender.test: v=spf1 -all", null),
      new Finding(Kind.DMARC, Finding.Status.WARNING, "no DMARC record at _dmarc.sender.test",
          "add a TXT record at _dmarc.sender.test"),
      new Finding(Kind.DKIM, Finding.Status.SKIPPED, "DKIM signing is not configured", null),
      new Finding(Kind.SENDER_MX, Finding.Status.PASSED, "MX of sender.test: 10 mx.sender.test", null));

  @Test
  @DisplayName("passed and skipped findings become steps after the SMTP steps, a warning becomes a ⚠ line with its hint; the report passes")
  void findingsBecomeStepsAndWarnings() throws IOException {
    try (FakeSmtpServer server = server()) {
      DiagnosticReport report = SmtpDiagnostics.builder(settings(server.port()).build())
          .senderCheck(new Recording(MIXED)).build().run();
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.steps()).extracting(DiagnosticStep::kind).containsExactly(Kind.RESOLVE, Kind.CONNECT,
          Kind.BANNER, Kind.EHLO, Kind.TLS, Kind.AUTH, Kind.SEND, Kind.SPF, Kind.DKIM, Kind.SENDER_MX);
      assertThat(report.step(Kind.SPF).orElseThrow().status()).isEqualTo(Status.PASSED);
      assertThat(report.step(Kind.DKIM).orElseThrow().status()).isEqualTo(Status.SKIPPED);
      assertThat(report.step(Kind.SENDER_MX).orElseThrow().detail()).isEqualTo("MX of sender.test: 10 mx.sender.test");
      assertThat(report.warnings()).containsExactly(
          "sender DMARC: no DMARC record at _dmarc.sender.test -> add a TXT record at _dmarc.sender.test");
      assertThat(report.lines()).anyMatch(l -> l.startsWith("✔ sender SPF")).anyMatch(l -> l.startsWith("⚠ sender DMARC"));
    }
  }

  @Test
  @DisplayName("the check is asked about the From domain, the SMTP host and the DKIM signer of the settings")
  void senderCarriesFromDomainHostAndSigner() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    DkimSigner signer = DkimSigner.builder().domain("sender.test").selector("mail")
        .privateKeyPem(DkimSignerTest.pem(g.generateKeyPair())).build();
    Recording check = new Recording(MIXED);
    try (FakeSmtpServer server = server()) {
      SmtpDiagnostics.builder(settings(server.port()).dkim(signer).build()).senderCheck(check).build().run();
    }
    assertThat(check.asked).singleElement().satisfies(sender -> {
      assertThat(sender.domain()).isEqualTo("sender.test");
      assertThat(sender.smtpHost()).isEqualTo("localhost");
      assertThat(sender.dkim()).containsSame(signer);
    });
  }

  @Test
  @DisplayName("a run with a test send asks the same configured sender check as a run without one (doctor --to)")
  void testSendRunUsesTheConfiguredCheck() throws IOException {
    Recording check = new Recording(MIXED);
    try (FakeSmtpServer server = server()) {
      SmtpDiagnostics doctor = SmtpDiagnostics.builder(settings(server.port()).build()).senderCheck(check).build();
      DiagnosticReport plain = doctor.run();
      DiagnosticReport withSend = doctor.run(EmailAddress.parse("me@example.org"));
      assertThat(check.asked).hasSize(2);
      assertThat(withSend.passed()).as(withSend.toString()).isTrue();
      assertThat(withSend.step(Kind.SEND).orElseThrow().status()).isEqualTo(Status.PASSED);
      assertThat(server.messages()).hasSize(1);
      assertThat(withSend.warnings()).isEqualTo(plain.warnings());
      assertThat(withSend.step(Kind.SPF)).isPresent();
    }
  }

  @Test
  @DisplayName("without a sender check, the static checks report the SMTP steps only")
  void noSenderCheckNoSenderSteps() throws IOException {
    try (FakeSmtpServer server = server()) {
      DiagnosticReport report = SmtpDiagnostics.check(settings(server.port()).build(),
          EmailAddress.parse("me@example.org"));
      assertThat(report.steps()).extracting(DiagnosticStep::kind).containsExactly(Kind.RESOLVE, Kind.CONNECT,
          Kind.BANNER, Kind.EHLO, Kind.TLS, Kind.AUTH, Kind.SEND);
      assertThat(report.warnings()).isEmpty();
    }
  }

  @Test
  @DisplayName("a sender check that throws costs one warning naming the exception's type, never its message, and no failed step")
  void throwingCheckIsOneWarning() throws IOException {
    SenderCheck broken = sender -> {
      throw new IllegalStateException("resolver said " + SECRET);
    };
    try (FakeSmtpServer server = server()) {
      DiagnosticReport report = SmtpDiagnostics.builder(settings(server.port()).build()).senderCheck(broken).build()
          .run();
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.warnings()).containsExactly("sender checks of sender.test skipped: IllegalStateException");
      assertThat(report.toString()).doesNotContain(SECRET);
    }
  }

  @Test
  @DisplayName("a finding must be about a sender record: an SMTP step kind is refused, naming the allowed kinds")
  void findingKindIsASenderRecord() {
    assertThatThrownBy(() -> new Finding(Kind.AUTH, Finding.Status.PASSED, "x", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind must be one of")
        .hasMessageContaining("SENDER_MX").hasMessageContaining("AUTH");
    assertThatThrownBy(() -> new SenderCheck.Sender(" ", "smtp.qq.com", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("domain");
    assertThatThrownBy(() -> SmtpDiagnostics.builder(settings(25).build()).senderCheck(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("senderCheck");
  }
}
