package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryException.Category;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.spi.EmailMessage;
import jakarta.mail.Header;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * C22 and C24 against a real STARTTLS server: Debian's aiosmtpd on 127.0.0.1 (see
 * {@link AiosmtpdServer}). Skipped with a message when it is not installed; required in CI.
 */
class AiosmtpdStartTlsTest {
  private static final String USER = "roamio@example.com";
  private static final String SECRET = "throwaway-aiosmtpd-secret";
  private static final String CODE = "482913";

  @BeforeEach
  void serverInstalled() {
    AiosmtpdServer.requireAvailable();
  }

  private static SmtpSettings.Builder startTls(int port, AiosmtpdServer.Pem trusted) {
    return SmtpSettings.builder().host("localhost").port(port).security(SmtpSecurity.STARTTLS)
        .credentials(USER, SECRET).from("漫游 Roamio <" + USER + ">")
        .trustedCertificatesPem(trusted.certificate()).timeout(Duration.ofSeconds(5));
  }

  private static EmailMessage message(String subject) {
    return EmailMessage.builder(EmailAddress.parse("alice@example.org")).subject(subject)
        .text("Your code is " + CODE + ". It is valid for 10 minutes.")
        .html("<p>Your code is <b>" + CODE + "</b>. It is valid for 10 minutes.</p>")
        .code(CODE).build();
  }

  private static DeliveryException sendExpectingFailure(SmtpSettings settings) {
    try (SmtpTransport transport = SmtpTransport.create(settings)) {
      DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> transport.send(message("code")));
      assertThat(e).as("the send must fail").isNotNull();
      assertThat(e.getMessage() + " " + e.hint() + " " + e.serverReply() + " " + e)
          .doesNotContain(SECRET).doesNotContain(CODE);
      return e;
    }
  }

  @Test
  @DisplayName("C22 STARTTLS + AUTH against aiosmtpd (STARTTLS required) delivers; AUTH and MAIL only inside TLS")
  void startTlsAndAuthDeliver() throws Exception {
    String subject = "【漫游】您的验证码 " + "— valid 10 minutes";
    try (AiosmtpdServer server = AiosmtpdServer.builder().startTls(AiosmtpdServer.localhost()).requireStartTls()
            .auth(USER, SECRET).start();
        SmtpTransport transport = SmtpTransport.create(startTls(server.port(), AiosmtpdServer.localhost()).build())) {
      transport.send(message(subject));

      assertThat(server.events()).containsExactly(
          "STARTTLS", "AUTH tls", "AUTH-LOGIN accepted", "MAIL tls authenticated=True");
      assertThat(server.messages()).hasSize(1);
      MimeMessage received = server.messages().get(0);
      assertThat(received.getSubject()).isEqualTo(subject);
      assertThat(((InternetAddress) received.getFrom()[0]).getPersonal()).isEqualTo("漫游 Roamio");
      assertThat(received.getContentType()).startsWith("multipart/alternative");
      MimeMultipart parts = (MimeMultipart) received.getContent();
      assertThat(parts.getCount()).isEqualTo(2);
      assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain").containsIgnoringCase("UTF-8");
      assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html").containsIgnoringCase("UTF-8");
      assertThat((String) parts.getBodyPart(1).getContent()).contains("<b>" + CODE + "</b>");
      for (Header h : Collections.list(received.getAllHeaders())) {
        assertThat(h.getValue().chars().allMatch(c -> c < 0x80)).as("header %s is ASCII", h.getName()).isTrue();
      }
    }
  }

  @Test
  @DisplayName("C22 STARTTLS + AUTH PLAIN (the server offers no LOGIN) delivers over a reused connection")
  void authPlainDelivers() throws Exception {
    try (AiosmtpdServer server = AiosmtpdServer.builder().startTls(AiosmtpdServer.localhost()).requireStartTls()
            .auth(USER, SECRET).withoutAuthMechanism("LOGIN").start();
        SmtpTransport transport = SmtpTransport.create(startTls(server.port(), AiosmtpdServer.localhost()).build())) {
      transport.send(message("one"));
      transport.send(message("two"));

      assertThat(server.events()).containsExactly("STARTTLS", "AUTH tls", "AUTH-PLAIN accepted",
          "MAIL tls authenticated=True", "MAIL tls authenticated=True");
      assertThat(server.messages()).extracting(MimeMessage::getSubject).containsExactly("one", "two");
      assertThat(transport.stats().connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("C22 aiosmtpd without STARTTLS: the send fails with TLS, no AUTH, no mail (never falls back to plain)")
  void noStartTlsFails() throws Exception {
    try (AiosmtpdServer server = AiosmtpdServer.builder().auth(USER, SECRET).start()) {
      DeliveryException e = sendExpectingFailure(startTls(server.port(), AiosmtpdServer.localhost()).build());

      assertThat(e.category()).isEqualTo(Category.TLS);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.hint()).isEqualTo(FailureClassifier.NO_STARTTLS_HINT);
      assertThat(server.events()).as("no STARTTLS, AUTH or MAIL command reached the server").isEmpty();
      assertThat(server.rawMessages()).isEmpty();
    }
  }

  @Test
  @DisplayName("C22 a trusted certificate for other.example while connecting to localhost fails with TLS, no AUTH")
  void certificateForAnotherNameFails() throws Exception {
    AiosmtpdServer.Pem other = AiosmtpdServer.otherHost();
    try (AiosmtpdServer server = AiosmtpdServer.builder().startTls(other).requireStartTls().auth(USER, SECRET)
        .start()) {
      // the certificate is trusted (it is the trust store), but it names other.example, not localhost
      DeliveryException e = sendExpectingFailure(startTls(server.port(), other).build());

      assertThat(e.category()).isEqualTo(Category.TLS);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.hint()).isEqualTo(FailureClassifier.HOST_MISMATCH_HINT);
      assertThat(server.events()).containsExactly("STARTTLS");
      assertThat(server.rawMessages()).isEmpty();
    }
  }

  @Test
  @DisplayName("C22 the same certificate for other.example fails when connecting to 127.0.0.1 too")
  void certificateForAnotherNameFailsByAddress() throws Exception {
    AiosmtpdServer.Pem other = AiosmtpdServer.otherHost();
    try (AiosmtpdServer server = AiosmtpdServer.builder().startTls(other).requireStartTls().auth(USER, SECRET)
        .start()) {
      DeliveryException e = sendExpectingFailure(startTls(server.port(), other).host("127.0.0.1").build());

      assertThat(e.category()).isEqualTo(Category.TLS);
      assertThat(e.hint()).isEqualTo(FailureClassifier.HOST_MISMATCH_HINT);
      assertThat(server.events()).doesNotContain("AUTH tls", "AUTH plain");
      assertThat(server.rawMessages()).isEmpty();
    }
  }

  @Test
  @DisplayName("C22 aiosmtpd's self-signed certificate without a custom trust store fails with TLS (untrusted)")
  void untrustedCertificateFails() throws Exception {
    try (AiosmtpdServer server = AiosmtpdServer.builder().startTls(AiosmtpdServer.localhost()).requireStartTls()
        .auth(USER, SECRET).start()) {
      DeliveryException e = sendExpectingFailure(
          startTls(server.port(), AiosmtpdServer.localhost()).trustedCertificates(java.util.List.of()).build());

      assertThat(e.category()).isEqualTo(Category.TLS);
      assertThat(e.hint()).isEqualTo(FailureClassifier.UNTRUSTED_HINT);
      assertThat(server.events()).containsExactly("STARTTLS");
      assertThat(server.rawMessages()).isEmpty();
    }
  }

  @Test
  @DisplayName("C24 a wrong password against aiosmtpd gives AUTHENTICATION (535, permanent), nothing delivered")
  void wrongPasswordIsAuthentication() throws Exception {
    try (AiosmtpdServer server = AiosmtpdServer.builder().startTls(AiosmtpdServer.localhost()).requireStartTls()
        .auth(USER, "the-right-throwaway-secret").start()) {
      DeliveryException e = sendExpectingFailure(startTls(server.port(), AiosmtpdServer.localhost()).build());

      assertThat(e.category()).isEqualTo(Category.AUTHENTICATION);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.replyCode()).hasValue(535);
      assertThat(e.hint()).contains("authorization code");
      assertThat(server.events()).containsExactly("STARTTLS", "AUTH tls", "AUTH-LOGIN rejected");
      assertThat(server.rawMessages()).isEmpty();
    }
  }

  @Test
  @DisplayName("diagnostics against aiosmtpd pass every step (TLS, AUTH, test send) and the test message arrives")
  void diagnosticsPass() throws Exception {
    try (AiosmtpdServer server = AiosmtpdServer.builder().startTls(AiosmtpdServer.localhost()).requireStartTls()
        .auth(USER, SECRET).start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port(), AiosmtpdServer.localhost()).build(),
          EmailAddress.parse("kate@example.org"));

      assertThat(report.passed()).as(report.toString()).isTrue();
      // the SMTP steps; the sender's DNS checks are left out here (Diagnose) and tested against dnsmasq
      assertThat(report.steps()).extracting(DiagnosticStep::kind).containsExactly(DiagnosticStep.Kind.RESOLVE,
          DiagnosticStep.Kind.CONNECT, DiagnosticStep.Kind.BANNER, DiagnosticStep.Kind.EHLO, DiagnosticStep.Kind.TLS,
          DiagnosticStep.Kind.AUTH, DiagnosticStep.Kind.SEND);
      assertThat(report.steps()).as(report.toString())
          .allMatch(s -> s.status() == DiagnosticStep.Status.PASSED);
      assertThat(report.step(DiagnosticStep.Kind.TLS).orElseThrow().detail()).contains("CN=localhost")
          .contains("AUTH LOGIN PLAIN");
      assertThat(report.toString()).doesNotContain(SECRET);
      assertThat(server.events()).containsExactly(
          "STARTTLS", "AUTH tls", "AUTH-LOGIN accepted", // the probe
          "STARTTLS", "AUTH tls", "AUTH-LOGIN accepted", "MAIL tls authenticated=True"); // the test send
      assertThat(server.messages()).extracting(MimeMessage::getSubject)
          .containsExactly("mailverify SMTP test message");
    }
  }

  @Test
  @DisplayName("C22 diagnostics against aiosmtpd without STARTTLS fail at the TLS step and never try AUTH")
  void diagnosticsWithoutStartTls() throws Exception {
    try (AiosmtpdServer server = AiosmtpdServer.builder().auth(USER, SECRET).start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port(), AiosmtpdServer.localhost()).build(),
          EmailAddress.parse("kate@example.org"));

      DiagnosticStep failure = report.firstFailure().orElseThrow();
      assertThat(failure.kind()).as(report.toString()).isEqualTo(DiagnosticStep.Kind.TLS);
      assertThat(failure.category()).isEqualTo(Category.TLS);
      assertThat(report.step(DiagnosticStep.Kind.AUTH).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.SKIPPED);
      assertThat(report.step(DiagnosticStep.Kind.SEND).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.SKIPPED);
      assertThat(server.events()).isEmpty();
      assertThat(server.rawMessages()).isEmpty();
    }
  }

  @Test
  @DisplayName("C24 diagnostics against aiosmtpd with a wrong password fail at AUTH with 535")
  void diagnosticsWrongPassword() throws Exception {
    try (AiosmtpdServer server = AiosmtpdServer.builder().startTls(AiosmtpdServer.localhost()).requireStartTls()
        .auth(USER, "the-right-throwaway-secret").start()) {
      DiagnosticReport report = Diagnose.check(startTls(server.port(), AiosmtpdServer.localhost()).build());

      DiagnosticStep failure = report.firstFailure().orElseThrow();
      assertThat(failure.kind()).as(report.toString()).isEqualTo(DiagnosticStep.Kind.AUTH);
      assertThat(failure.category()).isEqualTo(Category.AUTHENTICATION);
      assertThat(failure.replyCode()).isEqualTo(535);
      assertThat(report.step(DiagnosticStep.Kind.TLS).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.PASSED);
      assertThat(report.toString()).doesNotContain(SECRET);
      assertThat(server.events()).containsExactly("STARTTLS", "AUTH tls", "AUTH-LOGIN rejected");
    }
  }
}
