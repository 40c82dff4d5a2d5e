package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryException.Category;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.spi.EmailMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 2920 PIPELINING (issue 22), proved against one scripted server switched each way: listing
 * PIPELINING in EHLO (the transport pipelines) and not (the transport talks in lock-step through
 * Angus, as before). Both ways deliver the same commands and bytes, and classify every fault alike
 * (C24), with each reply matched to the command it answers.
 */
class PipeliningTest {
  private static final String USER = FailureClassificationTest.USER;
  private static final String SECRET = FailureClassificationTest.SECRET;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private SmtpTransport transport(FakeSmtpServer server, int connections) {
    return transport(server, connections, Duration.ofSeconds(5));
  }

  private SmtpTransport transport(FakeSmtpServer server, int connections, Duration timeout) {
    return SmtpTransport.create(FailureClassificationTest.settings(server.port()).maxConnections(connections)
        .timeout(timeout).build(), Clock.systemUTC(), nanos::get);
  }

  private static EmailMessage mailTo(String address) {
    return EmailMessage.builder(EmailAddress.parse(address)).subject("Your code")
        .text("Your code is 123456.\n.a line that starts with a dot\n.\n..two dots\nend").code("123456").build();
  }

  @ParameterizedTest(name = "PIPELINING listed: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("C24: each way, mails in a row arrive with the same commands and the same dot-stuffed bytes;"
      + " pipelined, each envelope (MAIL, RCPT, DATA) costs one round trip instead of three")
  void bothWaysDeliverTheSameCommandsAndBytes(boolean pipelining) throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).pipelining(pipelining).start();
        SmtpTransport transport = transport(server, 1)) {
      transport.send(mailTo("first@example.org"));
      for (int i = 0; i < 5; i++) {
        transport.send(mailTo("user" + i + "@example.org"));
      }

      List<String> transactions = server.commands().stream()
          .filter(c -> c.startsWith("MAIL") || c.startsWith("RCPT") || c.startsWith("DATA") || c.startsWith("RSET")
              || c.startsWith("NOOP")).toList();
      List<String> expected = new ArrayList<>(List.of("MAIL FROM:<roamio@example.com>",
          "RCPT TO:<first@example.org>", "DATA"));
      for (int i = 0; i < 5; i++) {
        expected.addAll(List.of("MAIL FROM:<roamio@example.com>", "RCPT TO:<user" + i + "@example.org>", "DATA"));
      }
      assertThat(transactions).containsExactlyElementsOf(expected);
      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.messages()).hasSize(6);
      String body = new String(server.rawMessages().get(1), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(body).contains("\r\n..a line that starts with a dot\r\n..\r\n...two dots\r\nend\r\n");
      assertThat(server.messages().get(1)).contains("\r\n.a line that starts with a dot\r\n.\r\n..two dots\r\n");
      if (pipelining) {
        assertThat(envelopes(server)).as("each envelope answered in one round trip").hasSize(6)
            .allSatisfy(g -> assertThat(g).endsWith("MAIL", "RCPT", "DATA"));
      } else {
        assertThat(server.replyGroups()).as("a server without PIPELINING holds nothing").isEmpty();
      }
    }
  }

  @Test
  @DisplayName("C24: the pipelined and the lock-step path put the very same bytes into DATA")
  void bothWaysSendTheSameBytes() throws Exception {
    List<byte[]> raw = new ArrayList<>();
    for (boolean pipelining : new boolean[] {true, false}) {
      try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).pipelining(pipelining).start();
          SmtpTransport transport = SmtpTransport.create(FailureClassificationTest.settings(server.port()).build(),
              Clock.fixed(java.time.Instant.parse("2026-12-06T10:00:00Z"), java.time.ZoneOffset.UTC))) {
        EmailMessage message = EmailMessage.builder(EmailAddress.parse("zhang@example.org"))
            .subject("【Roamio】您的验证码").text("您的验证码是 845031。\n.\n").html("<p>845031</p>\n.x\n")
            .code("845031").messageId("<fixed-id@example.com>").build();
        transport.send(message);
        raw.add(server.rawMessages().get(0));
      }
    }
    assertThat(raw.get(0)).isEqualTo(raw.get(1));
  }

  /** A fault on the first mail, and what both paths must make of it. */
  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of("550 at RCPT", "RCPT", "550 5.1.1 <alice@example.org>: Recipient address rejected",
            Category.RECIPIENT_REJECTED, 550, false),
        Arguments.of("450 at RCPT", "RCPT", "450 4.2.0 <alice@example.org>: Recipient address rejected: greylisted",
            Category.SERVER_BUSY, 450, true),
        Arguments.of("553 at MAIL", "MAIL", "553 5.7.1 Sender address rejected: not owned by user",
            Category.SENDER_REJECTED, 553, false),
        Arguments.of("421 at MAIL", "MAIL", "421 4.7.0 Try again later", Category.SERVER_BUSY, 421, true),
        Arguments.of("554 at DATA", "DATA", "554 5.5.1 Error: transaction failed", Category.MESSAGE_REJECTED, 554,
            false),
        Arguments.of("552 after the dot", "DOT", "552 5.3.4 Message too big", Category.MESSAGE_REJECTED, 552, false),
        Arguments.of("451 after the dot", "DOT", "451 4.3.0 Queue file write error", Category.SERVER_BUSY, 451, true),
        Arguments.of("dropped after the dot", "DOT", "DROP", Category.CONNECTION_LOST, -1, true),
        Arguments.of("no answer to MAIL", "MAIL", "SILENT", Category.TIMEOUT, -1, true));
  }

  @ParameterizedTest(name = "{0}, PIPELINING listed: {6}")
  @MethodSource("faultsBothWays")
  @DisplayName("C24: a fault is classified alike with and without pipelining, and the next mail gets through")
  void faultsAreClassifiedAlikeBothWays(String name, String verb, String reply, Category category, int code,
      boolean transientFailure, boolean pipelining) throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).pipelining(pipelining)
            .responder((v, connection, mail) -> v.equals(verb) && connection == 1 && mail == 1 ? reply : null)
            .start();
        SmtpTransport transport = transport(server, 1, Duration.ofSeconds(2))) {
      DeliveryException e = catchThrowableOfType(DeliveryException.class,
          () -> transport.send(mailTo("alice@example.org")));
      assertThat(e).as(name).isNotNull();
      assertThat(e.category()).as(name).isEqualTo(category);
      assertThat(e.isTransient()).as(name).isEqualTo(transientFailure);
      assertThat(e.replyCode().orElse(-1)).as(name).isEqualTo(code);
      assertThat(e.toString()).doesNotContain(SECRET);

      transport.send(mailTo("bob@example.org"));
      assertThat(server.messages()).as("only the second mail is accepted").hasSize(1);
      assertThat(server.messages().get(0)).contains("bob@example.org");
    }
  }

  static Stream<Arguments> faultsBothWays() {
    return faults().flatMap(a -> Stream.of(true, false).map(p -> {
      Object[] args = java.util.Arrays.copyOf(a.get(), 7);
      args[6] = p;
      return Arguments.of(args);
    }));
  }

  @ParameterizedTest(name = "PIPELINING listed: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("C24: a reused connection the server closed (421 at MAIL) is replaced and the mail sent once, both ways")
  void staleConnectionIsRetriedBothWays(boolean pipelining) throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).pipelining(pipelining)
            .responder((verb, connection, mail) -> verb.equals("MAIL") && connection == 1 && mail == 2
                ? "421 4.4.2 Idle too long, closing" : null)
            .start();
        SmtpTransport transport = transport(server, 1)) {
      transport.send(mailTo("a@example.org"));
      nanos.addAndGet(Duration.ofSeconds(2).toNanos());
      transport.send(mailTo("b@example.org"));
      assertThat(server.messages()).hasSize(2);
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("C24: pipelined behind other mails, a 550 to one mail's RCPT fails that mail only; RSET opens the next")
  void recipientRejectedInTheMiddleFailsThatMailOnly() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch atFirstDot = new CountDownLatch(1);
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).pipelining()
            .rejectRecipient("nobody@example.org", "550 5.1.1 <nobody@example.org>: Recipient address rejected")
            .responder((verb, connection, mail) -> {
              if (verb.equals("DOT") && mail == 1) {
                atFirstDot.countDown();
                await(release);
              }
              return null;
            })
            .start();
        SmtpTransport transport = transport(server, 1)) {
      Map<String, Future<?>> sends = new LinkedHashMap<>();
      ExecutorService senders = Executors.newFixedThreadPool(4);
      try {
        sends.put("first@example.org", senders.submit(() -> transport.send(mailTo("first@example.org"))));
        await(atFirstDot); // its body is out and nothing was waiting: the next mails queue
        for (String to : List.of("nobody@example.org", "second@example.org", "third@example.org")) {
          sends.put(to, senders.submit(() -> transport.send(mailTo(to))));
          int queued = sends.size() - 1;
          awaitCondition(() -> transport.waitingMails() == queued); // queued in this order
        }
        release.countDown();
        Map<String, @Nullable Throwable> outcome = outcomes(sends);

        assertThat(outcome.get("first@example.org")).isNull();
        assertThat(outcome.get("second@example.org")).isNull();
        assertThat(outcome.get("third@example.org")).isNull();
        Throwable failed = outcome.get("nobody@example.org");
        assertThat(failed).isInstanceOf(DeliveryException.class);
        DeliveryException e = (DeliveryException) failed;
        assertThat(e.category()).isEqualTo(Category.RECIPIENT_REJECTED);
        assertThat(e.replyCode()).hasValue(550);
        assertThat(e.isTransient()).isFalse();
        assertThat(server.messages()).hasSize(3);
        assertThat(server.connections()).isEqualTo(1);
        List<String> commands = server.commands();
        int rejected = commands.indexOf("RCPT TO:<nobody@example.org>");
        assertThat(commands.subList(rejected, commands.size())).as("RSET follows the failed transaction")
            .containsSubsequence("DATA", "RSET", "MAIL FROM:<roamio@example.com>");
        assertThat(commands.stream().filter(c -> c.equals("RSET")).count()).as("RSET only after the failure")
            .isLessThanOrEqualTo(1);
      } finally {
        release.countDown();
        senders.shutdownNow();
      }
    }
  }

  @Test
  @DisplayName("C24: a 421 closing the session fails the mail and the one pipelined behind it as transient;"
      + " a mail still waiting goes out on a new connection")
  void closingReplyFailsTheRestAsTransient() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch atFirstDot = new CountDownLatch(1);
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).pipelining()
            .responder((verb, connection, mail) -> {
              if (verb.equals("DOT") && connection == 1 && mail == 1) {
                atFirstDot.countDown();
                await(release);
              }
              return verb.equals("DOT") && connection == 1 && mail == 2 ? "421 4.3.2 Service shutting down" : null;
            })
            .start();
        SmtpTransport transport = transport(server, 1)) {
      ExecutorService senders = Executors.newFixedThreadPool(4);
      try {
        Map<String, Future<?>> sends = new LinkedHashMap<>();
        sends.put("m1@example.org", senders.submit(() -> transport.send(mailTo("m1@example.org"))));
        await(atFirstDot); // its body is out and nothing was waiting: the next mails queue
        for (String to : List.of("m2@example.org", "m3@example.org", "m4@example.org")) {
          sends.put(to, senders.submit(() -> transport.send(mailTo(to))));
          int queued = sends.size() - 1;
          awaitCondition(() -> transport.waitingMails() == queued); // queued in this order
        }
        release.countDown();
        Map<String, @Nullable Throwable> outcome = outcomes(sends);

        assertThat(outcome.get("m1@example.org")).isNull();
        for (String to : List.of("m2@example.org", "m3@example.org")) {
          assertThat(outcome.get(to)).as(to).isInstanceOf(DeliveryException.class);
          DeliveryException e = (DeliveryException) outcome.get(to);
          assertThat(e.category()).as(to).isEqualTo(Category.SERVER_BUSY);
          assertThat(e.replyCode()).as(to).hasValue(421);
          assertThat(e.isTransient()).as(to).isTrue();
        }
        assertThat(outcome.get("m4@example.org")).isNull();
        assertThat(server.connections()).isEqualTo(2);
        assertThat(server.messages()).hasSize(2);
      } finally {
        release.countDown();
        senders.shutdownNow();
      }
    }
  }

  @Test
  @DisplayName("issue 22: with mails waiting, each mail costs one round trip (body, dot and the next envelope in"
      + " one write); no RSET between good mails")
  void steadyStateCostsOneRoundTripPerMail() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).pipelining().start();
        SmtpTransport transport = transport(server, 1)) {
      transport.send(mailTo("warm@example.org"));
      int threads = 6;
      int each = 15;
      ExecutorService senders = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          all.add(senders.submit(() -> {
            for (int i = 0; i < each; i++) {
              transport.send(mailTo("t" + thread + "m" + i + "@example.org"));
            }
            return null;
          }));
        }
        for (Future<?> f : all) {
          f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
      } finally {
        senders.shutdownNow();
      }
      int mails = threads * each;
      assertThat(server.messages()).hasSize(mails + 1);
      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.saw("RSET")).isFalse();
      List<List<String>> envelopes = envelopes(server);
      assertThat(envelopes).hasSize(mails + 1).allSatisfy(g -> assertThat(g).endsWith("MAIL", "RCPT", "DATA"));
      long behindBody = envelopes.stream().filter(g -> g.equals(List.of("DOT", "MAIL", "RCPT", "DATA"))).count();
      assertThat(behindBody).as("of %d mails, those whose envelope rode with the previous body and dot: one round"
          + " trip for both", mails).isGreaterThanOrEqualTo(mails / 2);
      assertThat(transport.stats().messagesSent()).isEqualTo(mails + 1);
    }
  }

  @ParameterizedTest(name = "PIPELINING listed: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("issue 22: a pooled connection is kept warm with NOOP through a quiet minute, then reused without"
      + " reconnecting; keep-alive stops at idleTimeout")
  void quietMinuteKeepsTheConnectionWarm(boolean pipelining) throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).pipelining(pipelining).start();
        SmtpTransport transport = transport(server, 1)) {
      transport.send(mailTo("a@example.org"));
      transport.sweep();
      assertThat(server.saw("NOOP")).as("no NOOP right after a mail").isFalse();
      for (int i = 0; i < 2; i++) {
        nanos.addAndGet(SmtpTransport.KEEP_ALIVE.plusSeconds(1).toNanos());
        assertThat(transport.sweep()).isZero();
      }
      assertThat(server.commands().stream().filter(c -> c.equals("NOOP")).count()).isEqualTo(2);
      int noops = 2;
      transport.send(mailTo("b@example.org"));
      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.messages()).hasSize(2);
      if (pipelining) {
        assertThat(server.commands().stream().filter(c -> c.equals("NOOP")).count())
            .as("a pipelining connection is not probed again before the mail").isEqualTo(noops);
      }

      nanos.addAndGet(SmtpSettings.DEFAULT_IDLE_TIMEOUT.toNanos());
      assertThat(transport.sweep()).as("closed at idleTimeout, not kept alive").isEqualTo(1);
      assertThat(server.awaitClosedByClient(1, WAIT)).isTrue();
    }
  }

  @Test
  @DisplayName("C23: a pipelining server that stops answering fails the mail in about the read timeout, and the"
      + " mails queued behind it are not lost")
  void silentServerIsBounded() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).pipelining()
            .responder((verb, connection, mail) -> verb.equals("DOT") && connection == 1 && mail == 1 ? "SILENT" : null)
            .start();
        SmtpTransport transport = transport(server, 1, Duration.ofSeconds(1))) {
      ExecutorService senders = Executors.newFixedThreadPool(2);
      try {
        Map<String, Future<?>> sends = new LinkedHashMap<>();
        sends.put("s1@example.org", senders.submit(() -> transport.send(mailTo("s1@example.org"))));
        awaitCondition(() -> server.saw("DATA"));
        sends.put("s2@example.org", senders.submit(() -> transport.send(mailTo("s2@example.org"))));
        awaitCondition(() -> transport.waitingMails() == 1 || sends.get("s1@example.org").isDone());
        Map<String, @Nullable Throwable> outcome = outcomes(sends);
        assertThat(outcome.get("s1@example.org")).isInstanceOf(DeliveryException.class);
        assertThat(((DeliveryException) outcome.get("s1@example.org")).category()).isEqualTo(Category.TIMEOUT);
        assertThat(outcome.get("s2@example.org")).as("sent on a new connection").isNull();
        assertThat(server.messages()).anyMatch(m -> m.contains("s2@example.org"));
      } finally {
        senders.shutdownNow();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"STARTTLS", "IMPLICIT_TLS"})
  @DisplayName("C22: pipelining runs inside TLS (after STARTTLS, and from the first byte), never in the clear")
  void pipeliningRunsInsideTls(SmtpSecurity security) throws Exception {
    FakeSmtpServer.Builder b = FakeSmtpServer.builder().auth(USER, SECRET).pipelining();
    b = security == SmtpSecurity.STARTTLS ? b.startTls(TestCertificates.localhost())
        : b.implicitTls(TestCertificates.localhost());
    try (FakeSmtpServer server = b.start();
        SmtpTransport transport = SmtpTransport.create(SmtpSettings.builder().host("localhost").port(server.port())
            .security(security).credentials(USER, SECRET).trustedCertificates(TestCertificates.localhost().certificate)
            .timeout(Duration.ofSeconds(5)).maxConnections(1).build(), Clock.systemUTC(), nanos::get)) {
      transport.send(mailTo("first@example.org"));
      for (int i = 0; i < 3; i++) {
        transport.send(mailTo("tls" + i + "@example.org"));
      }
      assertThat(envelopes(server)).as("each envelope answered in one round trip").hasSize(4)
          .allSatisfy(g -> assertThat(g).endsWith("MAIL", "RCPT", "DATA"));
      assertThat(server.messages()).hasSize(4);
      assertThat(server.messages().get(3)).contains("\r\n.a line that starts with a dot\r\n");
      assertThat(server.plainCommands()).noneMatch(c -> c.startsWith("MAIL") || c.startsWith("RCPT"));
      assertThat(server.tlsCommands()).contains("RCPT TO:<tls2@example.org>");
    }
  }

  /** The server's reply groups that answer an envelope (they hold MAIL). */
  private static List<List<String>> envelopes(FakeSmtpServer server) {
    return server.replyGroups().stream().filter(g -> g.contains("MAIL")).toList();
  }

  private static Map<String, @Nullable Throwable> outcomes(Map<String, Future<?>> sends) throws Exception {
    Map<String, @Nullable Throwable> out = new LinkedHashMap<>();
    for (Map.Entry<String, Future<?>> e : sends.entrySet()) {
      try {
        e.getValue().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        out.put(e.getKey(), null);
      } catch (java.util.concurrent.ExecutionException failed) {
        out.put(e.getKey(), failed.getCause());
      }
    }
    return out;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the server");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits (bounded) for a condition the test cannot be told of directly. */
  private static void awaitCondition(BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}
