package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryException.Category;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.spi.EmailMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** C24: every fault of a scripted server becomes the right category, transience, code and hint. */
class FailureClassificationTest {
  static final String USER = "roamio@example.com";
  static final String SECRET = "qwertyuiopasdfgh";

  static SmtpSettings.Builder settings(int port) {
    return SmtpSettings.builder().host("127.0.0.1").port(port).security(SmtpSecurity.PLAIN)
        .credentials(USER, SECRET).timeout(Duration.ofSeconds(5));
  }

  static EmailMessage message() {
    return EmailMessage.builder(EmailAddress.parse("alice@example.org")).subject("Your code")
        .text("Your code is 123456.").code("123456").build();
  }

  static DeliveryException sendExpectingFailure(SmtpSettings settings) {
    try (SmtpTransport transport = SmtpTransport.create(settings)) {
      DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> transport.send(message()));
      assertThat(e).as("the send must fail").isNotNull();
      assertNoSecret(e);
      return e;
    }
  }

  static void assertNoSecret(DeliveryException e) {
    String all = e.getMessage() + " " + e.hint() + " " + e.serverReply() + " " + e;
    assertThat(all).doesNotContain(SECRET).doesNotContain("123456");
  }

  static Stream<Arguments> replies() {
    return Stream.of(
        Arguments.of("MAIL", "421 4.7.0 Too many connections, try again later", Category.SERVER_BUSY, true, 421),
        Arguments.of("DOT", "451 4.3.0 Local error in processing", Category.SERVER_BUSY, true, 451),
        Arguments.of("RCPT", "452 4.2.2 Mailbox full, try later", Category.SERVER_BUSY, true, 452),
        Arguments.of("RCPT", "450 4.2.1 Mailbox busy", Category.SERVER_BUSY, true, 450),
        Arguments.of("AUTH", "535 5.7.8 Error: authentication failed", Category.AUTHENTICATION, false, 535),
        Arguments.of("RCPT", "550 5.1.1 Mailbox not found", Category.RECIPIENT_REJECTED, false, 550),
        Arguments.of("RCPT", "553 5.1.3 Invalid recipient address", Category.RECIPIENT_REJECTED, false, 553),
        Arguments.of("MAIL", "553 5.7.1 Sender address rejected: not owned by user", Category.SENDER_REJECTED, false,
            553),
        Arguments.of("MAIL", "501 5.1.7 Mail from address must be same as authorization user",
            Category.SENDER_REJECTED, false, 501),
        Arguments.of("DOT", "554 5.7.1 Message rejected as spam", Category.MESSAGE_REJECTED, false, 554),
        Arguments.of("MAIL", "530 5.7.0 Must issue a STARTTLS command first", Category.TLS, false, 530),
        Arguments.of("MAIL", "530 5.7.0 Authentication required", Category.AUTHENTICATION, false, 530),
        Arguments.of("GREETING", "554 5.7.1 Your IP is listed, go away", Category.UNKNOWN, false, 554),
        Arguments.of("GREETING", "421 4.3.2 Service not available, closing channel", Category.SERVER_BUSY, true, 421));
  }

  @ParameterizedTest(name = "C24 {1} at {0} -> {2}, transient={3}")
  @MethodSource("replies")
  void replyCodesAreClassified(String verb, String reply, Category category, boolean transientFailure, int code)
      throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).reply(verb, reply).start()) {
      DeliveryException e = sendExpectingFailure(settings(server.port()).build());
      assertThat(e.category()).isEqualTo(category);
      assertThat(e.isTransient()).isEqualTo(transientFailure);
      assertThat(e.replyCode()).hasValue(code);
      assertThat(e.hint()).isNotBlank();
      assertThat(e.serverReply()).contains(reply.substring(4));
      assertThat(server.messages()).isEmpty();
    }
  }

  @Test
  @DisplayName("C24 535 carries the hint about the authorization code from the provider's settings")
  void authHint() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, "another-secret").start()) {
      DeliveryException e = sendExpectingFailure(settings(server.port()).build());
      assertThat(e.category()).isEqualTo(Category.AUTHENTICATION);
      assertThat(e.hint()).contains("authorization code generated in the mail provider's settings")
          .contains("QQ Mail: Settings > Account > POP3/IMAP/SMTP").contains("not the login password");
    }
  }

  @Test
  @DisplayName("C24 501 at MAIL FROM says QQ Mail requires From to be the login account")
  void senderHint() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET)
        .reply("MAIL", "501 mail from address must be same as authorization user").start()) {
      DeliveryException e = sendExpectingFailure(settings(server.port()).build());
      assertThat(e.hint()).contains("QQ Mail requires From").contains("login account");
    }
  }

  @Test
  @DisplayName("C24 421 at MAIL FROM keeps its reply code although the server closes the socket (no Transport.send trap)")
  void code421SurvivesTheClose() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET)
        .reply("MAIL", "421 4.7.0 Closing connection").start()) {
      DeliveryException e = sendExpectingFailure(settings(server.port()).build());
      assertThat(e.replyCode()).hasValue(421);
      assertThat(e.getMessage()).doesNotContain("Can't send command");
    }
  }

  @Test
  @DisplayName("C23 a server that accepts and never speaks fails with TIMEOUT within the configured bound")
  void silentServerTimesOut() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().silent().start()) {
      long start = System.nanoTime();
      DeliveryException e = sendExpectingFailure(settings(server.port()).timeout(Duration.ofMillis(500)).build());
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      assertThat(e.category()).isEqualTo(Category.TIMEOUT);
      assertThat(e.isTransient()).isTrue();
      assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(450)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  @DisplayName("C23 a server that stops answering mid-conversation times out within the bound too")
  void silentAfterDataTimesOut() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).reply("DOT", "SILENT").start()) {
      long start = System.nanoTime();
      DeliveryException e = sendExpectingFailure(settings(server.port()).timeout(Duration.ofMillis(500)).build());
      assertThat(e.category()).isEqualTo(Category.TIMEOUT);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  @DisplayName("C24 a connection dropped mid-DATA is a transient failure, never a success")
  void droppedMidData() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).reply("BODY", "DROP").start()) {
      DeliveryException e = sendExpectingFailure(settings(server.port()).build());
      assertThat(e.category()).isEqualTo(Category.CONNECTION_LOST);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.hint()).isEqualTo(FailureClassifier.CONNECTION_LOST_HINT);
      assertThat(server.messages()).isEmpty();
    }
  }

  @Test
  @DisplayName("C24 a closed port gives CONNECTION_REFUSED with the firewall hint")
  void closedPort() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = s.getLocalPort();
    }
    DeliveryException e = sendExpectingFailure(settings(port).build());
    assertThat(e.category()).isEqualTo(Category.CONNECTION_REFUSED);
    assertThat(e.isTransient()).isTrue();
    assertThat(e.hint()).contains("security group").contains("587").contains("465");
  }

  @Test
  @DisplayName("C24 an unresolvable host gives UNKNOWN_HOST at once, without the network")
  void unknownHost() {
    long start = System.nanoTime();
    DeliveryException e = sendExpectingFailure(SmtpSettings.builder().host("smtp.mailverify.invalid")
        .credentials(USER, SECRET).build());
    assertThat(e.category()).isEqualTo(Category.UNKNOWN_HOST);
    assertThat(e.isTransient()).isFalse();
    assertThat(e.hint()).contains("DNS");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  @DisplayName("C24 implicit TLS against a plain-text port is a TLS failure hinting at the port/mode mismatch")
  void implicitTlsAgainstPlainPort() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).start()) {
      DeliveryException e = sendExpectingFailure(settings(server.port()).security(SmtpSecurity.IMPLICIT_TLS).build());
      assertThat(e.category()).isEqualTo(Category.TLS);
      assertThat(e.hint()).isEqualTo(FailureClassifier.WRONG_TLS_MODE_HINT);
    }
  }

  @Test
  @DisplayName("C16 server text that echoes the password is scrubbed")
  void serverTextIsScrubbed() {
    String reply = "535 5.7.8 credentials " + SECRET + " are wrong";
    DeliveryException e = FailureClassifier.forReply(FailureClassifier.Stage.AUTH, 535, reply, USER, SECRET, null);
    assertThat(e.serverReply()).contains("[PROTECTED]").doesNotContain(SECRET);
  }

  @Test
  @DisplayName("C16 a short password is scrubbed as a whole token without mangling other words")
  void shortPasswordScrubbedAsToken() {
    String scrubbed = FailureClassifier.scrub("535 bad password x for user max", "max@example.com", "x");
    assertThat(scrubbed).isEqualTo("535 bad password [PROTECTED] for user max");
  }

  @Test
  @DisplayName("C24 credentials configured but no AUTH offered: AUTHENTICATION, and nothing is sent unauthenticated")
  void noAuthOfferedWithCredentials() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().start()) {
      DeliveryException e = sendExpectingFailure(settings(server.port()).build());
      assertThat(e.category()).isEqualTo(Category.AUTHENTICATION);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.hint()).contains("does not offer AUTH");
      assertThat(server.messages()).isEmpty();
    }
  }
}
