package dev.mailverify.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailverify.smtp.DiagnosticReport;
import dev.mailverify.smtp.DiagnosticStep;
import dev.mailverify.smtp.DkimSigner;
import dev.mailverify.smtp.SmtpDiagnostics;
import dev.mailverify.smtp.SmtpSecurity;
import dev.mailverify.smtp.SmtpSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor's sender checks: SmtpDiagnostics with this module's SenderDomainCheck plugged in,
 * against GreenMail's plain SMTP server on 127.0.0.1 and DNS from a real dnsmasq.
 */
class SenderDiagnosticsTest {
  private static DnsmasqServer dns;
  private static KeyPair rsa;

  @BeforeEach
  void server() throws Exception {
    DnsmasqServer.requireAvailable();
    if (dns == null) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      rsa = g.generateKeyPair();
      String record = DkimKeys.record(rsa.getPublic());
      dns = DnsmasqServer.start(List.of(
          "mx-host=good.test,mx1.good.test,10",
          "host-record=mx1.good.test,127.0.0.2",
          "txt-record=good.test,\"v=spf1 ip4:127.0.0.0/8 -all\"",
          "txt-record=_dmarc.good.test,\"v=DMARC1; p=reject; adkim=s\"",
          "txt-record=mail._domainkey.good.test,\"" + record.substring(0, 200) + "\",\"" + record.substring(200) + "\"",
          "host-record=bare.test,127.0.0.3"));
    }
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
      dns = null;
    }
  }

  /** A plain SMTP server on 127.0.0.1 without login: the SMTP steps pass, the sender checks are under test. */
  private static final class SmtpServer implements AutoCloseable {
    private final GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    SmtpServer() {
      mail.start();
    }

    int port() {
      return mail.getSmtp().getPort();
    }

    @Override
    public void close() {
      mail.stop();
    }
  }

  private static DiagnosticReport check(SmtpSettings settings, SenderDomainCheck senderCheck) {
    return SmtpDiagnostics.builder(settings).senderCheck(senderCheck).build().run();
  }

  private static SmtpSettings.Builder settings(SmtpServer server, String from) {
    return SmtpSettings.builder().host("127.0.0.1").port(server.port()).security(SmtpSecurity.PLAIN).from(from)
        .timeout(Duration.ofSeconds(5));
  }

  private static SenderDomainCheck local() {
    return SenderDomainCheck.builder().resolver("127.0.0.1", dns.port()).timeout(Duration.ofSeconds(2)).build();
  }

  @Test
  @DisplayName("doctor: a From domain with SPF, DMARC, a matching DKIM key and MX gets four passed sender steps and no warning")
  void goodDomainPasses(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("k.pem"), DkimKeys.pem(rsa), StandardCharsets.US_ASCII);
    DkimSigner signer = DkimSigner.fromPemFile("good.test", "mail", key);
    try (SmtpServer server = new SmtpServer()) {
      DiagnosticReport report = check(settings(server, "noreply@good.test").dkim(signer).build(),
          local());
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.warnings()).as(report.toString()).isEmpty();
      for (DiagnosticStep.Kind kind : List.of(DiagnosticStep.Kind.SPF, DiagnosticStep.Kind.DMARC,
          DiagnosticStep.Kind.DKIM, DiagnosticStep.Kind.SENDER_MX)) {
        assertThat(report.step(kind).orElseThrow().status()).as(kind.name()).isEqualTo(DiagnosticStep.Status.PASSED);
      }
      assertThat(report.step(DiagnosticStep.Kind.DMARC).orElseThrow().detail()).contains("p=reject");
      assertThat(report.lines()).anyMatch(l -> l.startsWith("✔ sender DKIM"));
    }
  }

  @Test
  @DisplayName("doctor: a domain without SPF, DMARC and MX gets ⚠ warnings naming the record to add, never a failed step")
  void bareDomainWarns() throws Exception {
    try (SmtpServer server = new SmtpServer()) {
      DiagnosticReport report = check(settings(server, "noreply@bare.test").build(), local());
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.steps()).noneMatch(DiagnosticStep::failed);
      assertThat(report.warnings()).hasSize(3);
      assertThat(report.warnings().get(0)).startsWith("sender SPF: no SPF record at bare.test")
          .contains("add a TXT record at bare.test");
      assertThat(report.warnings().get(1)).startsWith("sender DMARC: no DMARC record at _dmarc.bare.test")
          .contains("v=DMARC1; p=none");
      assertThat(report.warnings().get(2)).startsWith("sender MX: no MX record at bare.test");
      assertThat(report.step(DiagnosticStep.Kind.DKIM).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.SKIPPED);
      assertThat(report.lines()).anyMatch(l -> l.startsWith("⚠ sender SPF"));
    }
  }

  @Test
  @DisplayName("C30: when DNS does not answer, the sender checks are warnings 'skipped: DNS did not answer', within one timeout")
  void silentDnsIsWarningOnly() throws Exception {
    try (SmtpServer server = new SmtpServer(); DnsPeers.Silent silent = new DnsPeers.Silent()) {
      SenderDomainCheck check = SenderDomainCheck.builder().resolver("127.0.0.1", silent.port())
          .timeout(Duration.ofMillis(300)).build();
      long start = System.nanoTime();
      DiagnosticReport report = check(settings(server, "noreply@good.test").build(), check);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(report.passed()).as(report.toString()).isTrue();
      assertThat(report.warnings()).hasSize(3).allSatisfy(w -> assertThat(w).contains("skipped: DNS did not answer"));
      assertThat(took).isLessThan(Duration.ofSeconds(3));
    }
  }
}
