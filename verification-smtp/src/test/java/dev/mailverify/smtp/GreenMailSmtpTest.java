package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.spi.EmailMessage;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Real delivery to GreenMail over SMTP (plain, opted in) and SMTPS, both with AUTH. */
class GreenMailSmtpTest {
  private static final String USER = "roamio@example.com";
  private static final String SECRET = "abcdefghijklmnop";
  private static final Instant NOW = Instant.parse("2026-11-24T08:30:00Z");

  static {
    // GreenMail's SMTPS reads its key store once per JVM: give it a certificate for localhost
    System.setProperty("greenmail.tls.keystore.file", TestCertificates.localhost().keyStoreFile.toString());
    System.setProperty("greenmail.tls.keystore.password", TestCertificates.PASSWORD);
  }

  private GreenMail greenMail;

  @BeforeEach
  void start() {
    greenMail = new GreenMail(new ServerSetup[] {
        new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
        new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS)});
    greenMail.withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, USER, SECRET));
    greenMail.start();
  }

  @AfterEach
  void stop() {
    greenMail.stop();
  }

  private SmtpSettings.Builder plain(int port) {
    return SmtpSettings.builder().host("localhost").port(port).security(SmtpSecurity.PLAIN)
        .credentials(USER, SECRET).from("Roamio <" + USER + ">").timeout(Duration.ofSeconds(5));
  }

  private static EmailMessage message(String to, String subject) {
    return EmailMessage.builder(EmailAddress.parse(to)).subject(subject)
        .text("Your code is 123456. It is valid for 10 minutes.")
        .html("<p>Your code is <b>123456</b>. It is valid for 10 minutes.</p>")
        .code("123456").build();
  }

  @Test
  @DisplayName("C18 a sender at localhost, as local test servers are set up, is accepted and delivered")
  void senderAtLocalhostIsDelivered() throws Exception {
    SmtpSettings settings = plain(greenMail.getSmtp().getPort()).from("Roamio <app@localhost>").build();
    try (SmtpTransport transport = SmtpTransport.create(settings)) {
      transport.send(message("alice@example.org", "Your Roamio code"));
    }
    assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
    MimeMessage received = greenMail.getReceivedMessages()[0];
    assertThat(((InternetAddress) received.getFrom()[0]).getAddress()).isEqualTo("app@localhost");
    assertThat(received.getMessageID()).endsWith("@localhost>");
  }

  @Test
  @DisplayName("delivers a multipart/alternative mail: UTF-8 text part first, then HTML")
  void deliversMultipartAlternative() throws Exception {
    try (SmtpTransport transport = SmtpTransport.create(plain(greenMail.getSmtp().getPort()).build())) {
      transport.send(message("alice@example.org", "Your Roamio code"));
    }
    assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
    MimeMessage received = greenMail.getReceivedMessages()[0];
    assertThat(received.getContentType()).startsWith("multipart/alternative");
    MimeMultipart parts = (MimeMultipart) received.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html").containsIgnoringCase("charset=UTF-8");
    assertThat((String) parts.getBodyPart(0).getContent()).contains("123456");
    assertThat((String) parts.getBodyPart(1).getContent()).contains("<b>123456</b>");
    assertThat(received.getRecipients(Message.RecipientType.TO)).extracting(a -> ((InternetAddress) a).getAddress())
        .containsExactly("alice@example.org");
  }

  @Test
  @DisplayName("a mail without HTML is a single text/plain UTF-8 part")
  void plainTextOnly() throws Exception {
    try (SmtpTransport transport = SmtpTransport.create(plain(greenMail.getSmtp().getPort()).build())) {
      transport.send(EmailMessage.builder(EmailAddress.parse("bob@example.org")).subject("Code")
          .text("验证码 654321").build());
    }
    assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
    MimeMessage received = greenMail.getReceivedMessages()[0];
    assertThat(received.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
    assertThat(((String) received.getContent()).strip()).isEqualTo("验证码 654321");
  }

  @Test
  @DisplayName("C20 a Chinese subject and display name round-trip, and the raw headers are ASCII")
  void chineseSubjectAndDisplayNameRoundTrip() throws Exception {
    String subject = "【漫游】您的验证码，10 分钟内有效——请勿泄露给他人，这是一段足够长的中文主题，用来检验折行编码是否正确";
    SmtpSettings settings = plain(greenMail.getSmtp().getPort()).from("漫游 Roamio 团队 <" + USER + ">").build();
    try (SmtpTransport transport = SmtpTransport.create(settings)) {
      transport.send(message("carol@example.org", subject));
    }
    assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
    MimeMessage received = greenMail.getReceivedMessages()[0];
    assertThat(received.getSubject()).isEqualTo(subject);
    InternetAddress from = (InternetAddress) received.getFrom()[0];
    assertThat(from.getPersonal()).isEqualTo("漫游 Roamio 团队");
    assertThat(from.getAddress()).isEqualTo(USER);
    for (Header h : Collections.list(received.getAllHeaders())) {
      assertThat(h.getValue().chars().allMatch(c -> c < 0x80)).as("header %s is ASCII", h.getName()).isTrue();
    }
    assertThat(received.getHeader("Subject")[0]).contains("=?UTF-8?");
  }

  @Test
  @DisplayName("a message from EmailMessage.from() overrides the configured sender")
  void messageFromOverridesSettings() throws Exception {
    try (SmtpTransport transport = SmtpTransport.create(plain(greenMail.getSmtp().getPort()).build())) {
      transport.send(EmailMessage.builder(EmailAddress.parse("dave@example.org"))
          .from(new Mailbox("security@example.net", "Security"))
          .subject("Code").text("123456").header("X-Mailverify-Type", "register").build());
    }
    assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
    MimeMessage received = greenMail.getReceivedMessages()[0];
    assertThat(((InternetAddress) received.getFrom()[0]).getAddress()).isEqualTo("security@example.net");
    assertThat(received.getMessageID()).endsWith("@example.net>");
    assertThat(received.getHeader("X-Mailverify-Type")[0]).isEqualTo("register");
  }

  @Test
  @DisplayName("Message-ID is unique and on the sender's domain; Date comes from the clock")
  void messageIdAndDate() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    try (SmtpTransport transport = SmtpTransport.create(plain(greenMail.getSmtp().getPort()).build(), clock)) {
      transport.send(message("erin@example.org", "one"));
      transport.send(message("erin@example.org", "two"));
    }
    assertThat(greenMail.waitForIncomingEmail(5_000, 2)).isTrue();
    MimeMessage[] received = greenMail.getReceivedMessages();
    assertThat(received[0].getMessageID()).matches("<[0-9a-f]{32}@example\\.com>");
    assertThat(received[1].getMessageID()).endsWith("@example.com>").isNotEqualTo(received[0].getMessageID());
    assertThat(received[0].getSentDate().toInstant()).isEqualTo(NOW);
  }

  @Test
  @DisplayName("many messages travel over one reused connection (counted by a proxy)")
  void manyMessagesReuseOneConnection() throws Exception {
    try (CountingProxy proxy = new CountingProxy(greenMail.getSmtp().getPort());
        SmtpTransport transport = SmtpTransport.create(plain(proxy.port()).build())) {
      for (int i = 0; i < 30; i++) {
        transport.send(message("frank" + i + "@example.org", "code " + i));
      }
      assertThat(greenMail.waitForIncomingEmail(10_000, 30)).isTrue();
      assertThat(proxy.connections()).isEqualTo(1);
      assertThat(transport.stats().connectionsOpened()).isEqualTo(1);
      assertThat(transport.stats().messagesSent()).isEqualTo(30);
    }
  }

  @Test
  @DisplayName("concurrent senders share a pool no larger than maxConnections")
  void concurrentSendersSharePool() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(6);
    try (CountingProxy proxy = new CountingProxy(greenMail.getSmtp().getPort());
        SmtpTransport transport = SmtpTransport.create(plain(proxy.port()).maxConnections(3).build())) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int thread = t;
        futures.add(threads.submit(() -> {
          for (int i = 0; i < 10; i++) {
            transport.send(message("t" + thread + "m" + i + "@example.org", "code"));
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(greenMail.waitForIncomingEmail(10_000, 60)).isTrue();
      assertThat(greenMail.getReceivedMessages()).hasSize(60);
      assertThat(proxy.connections()).isBetween(1, 3);
      assertThat(transport.stats().connectionsOpened()).isEqualTo(proxy.connections());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  @DisplayName("C24 a wrong password gives AUTHENTICATION (535, permanent) with the authorization-code hint")
  void wrongPasswordIsAuthentication() {
    String wrong = "wrong-secret-value";
    SmtpSettings settings = plain(greenMail.getSmtp().getPort()).credentials(USER, wrong).build();
    DeliveryException e;
    try (SmtpTransport transport = SmtpTransport.create(settings)) {
      e = catchThrowableOfType(DeliveryException.class, () -> transport.send(message("gina@example.org", "code")));
    }
    assertThat(e.category()).isEqualTo(DeliveryException.Category.AUTHENTICATION);
    assertThat(e.isTransient()).isFalse();
    assertThat(e.replyCode()).hasValue(535);
    assertThat(e.hint()).contains("authorization code").contains("Settings > Account > POP3/IMAP/SMTP")
        .contains("not the login password");
    assertThat(e.getMessage() + e.hint() + e.serverReply()).doesNotContain(wrong);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  @DisplayName("C22 SMTPS (implicit TLS) delivers with the server identity checked against a custom trust store")
  void smtpsWithCustomTrustStore() throws Exception {
    SmtpSettings settings = SmtpSettings.builder().host("localhost").port(greenMail.getSmtps().getPort())
        .security(SmtpSecurity.IMPLICIT_TLS).credentials(USER, SECRET).from(USER)
        .trustedCertificates(TestCertificates.localhost().certificate).timeout(Duration.ofSeconds(5)).build();
    try (SmtpTransport transport = SmtpTransport.create(settings)) {
      transport.send(message("henry@example.org", "over TLS"));
    }
    assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
    assertThat(greenMail.getReceivedMessages()[0].getSubject()).isEqualTo("over TLS");
  }

  @Test
  @DisplayName("C22 SMTPS with a certificate the JVM does not trust fails with TLS, nothing sent")
  void smtpsUntrustedCertificateFails() {
    SmtpSettings settings = SmtpSettings.builder().host("localhost").port(greenMail.getSmtps().getPort())
        .security(SmtpSecurity.IMPLICIT_TLS).credentials(USER, SECRET).from(USER).timeout(Duration.ofSeconds(5))
        .build();
    DeliveryException e;
    try (SmtpTransport transport = SmtpTransport.create(settings)) {
      e = catchThrowableOfType(DeliveryException.class, () -> transport.send(message("ivy@example.org", "x")));
    }
    assertThat(e.category()).isEqualTo(DeliveryException.Category.TLS);
    assertThat(e.hint()).isEqualTo(FailureClassifier.UNTRUSTED_HINT);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  @DisplayName("C22 a private CA given as a PEM file is trusted, identity checks stay on")
  void pemTrustedCertificates() throws Exception {
    SmtpSettings settings = SmtpSettings.builder().host("localhost").port(greenMail.getSmtps().getPort())
        .security(SmtpSecurity.IMPLICIT_TLS).credentials(USER, SECRET).from(USER)
        .trustedCertificatesPem(TestCertificates.localhost().pemFile()).timeout(Duration.ofSeconds(5)).build();
    try (SmtpTransport transport = SmtpTransport.create(settings)) {
      transport.send(message("jack@example.org", "pem"));
    }
    assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
  }

  @Test
  @DisplayName("diagnostics against GreenMail pass every step and the test send arrives")
  void diagnosticsPassAndTestSendArrives() {
    DiagnosticReport report = Diagnose.check(plain(greenMail.getSmtp().getPort()).build(),
        EmailAddress.parse("kate@example.org"));
    assertThat(report.passed()).as(report.toString()).isTrue();
    assertThat(report.step(DiagnosticStep.Kind.AUTH).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.PASSED);
    assertThat(report.step(DiagnosticStep.Kind.SEND).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.PASSED);
    assertThat(report.step(DiagnosticStep.Kind.TLS).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.SKIPPED);
    assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
    assertThat(report.toString()).doesNotContain(SECRET);
  }

  @Test
  @DisplayName("diagnostics over SMTPS show the certificate's subject and expiry")
  void diagnosticsOverSmtps() {
    SmtpSettings settings = SmtpSettings.builder().host("localhost").port(greenMail.getSmtps().getPort())
        .security(SmtpSecurity.IMPLICIT_TLS).credentials(USER, SECRET).from(USER)
        .trustedCertificates(TestCertificates.localhost().certificate).timeout(Duration.ofSeconds(5)).build();
    DiagnosticReport report = Diagnose.check(settings);
    assertThat(report.passed()).as(report.toString()).isTrue();
    assertThat(report.steps()).extracting(DiagnosticStep::kind).startsWith(DiagnosticStep.Kind.RESOLVE,
        DiagnosticStep.Kind.CONNECT, DiagnosticStep.Kind.TLS, DiagnosticStep.Kind.BANNER);
    assertThat(report.step(DiagnosticStep.Kind.TLS).orElseThrow().detail()).contains("CN=localhost").contains("expires");
  }
}
