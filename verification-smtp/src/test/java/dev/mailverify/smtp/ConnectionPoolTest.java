package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryException.Category;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The connection pool: reuse, liveness checks, reconnects, idle close and close(), with a fake ticker. */
class ConnectionPoolTest {
  private static final String USER = FailureClassificationTest.USER;
  private static final String SECRET = FailureClassificationTest.SECRET;
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private SmtpTransport transport(FakeSmtpServer server) {
    return SmtpTransport.create(FailureClassificationTest.settings(server.port()).build(), Clock.systemUTC(),
        nanos::get);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  @DisplayName("twenty sends in a row use one connection")
  void sequentialSendsReuseOneConnection() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).start();
        SmtpTransport transport = transport(server)) {
      for (int i = 0; i < 20; i++) {
        transport.send(FailureClassificationTest.message());
      }
      assertThat(server.messages()).hasSize(20);
      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.saw("NOOP")).as("no liveness check inside a burst").isFalse();
      assertThat(transport.stats()).isEqualTo(new SmtpTransport.Stats(1, 0, 20, 1, 0));
    }
  }

  @Test
  @DisplayName("a connection idle for a while is checked with NOOP and reused when alive")
  void livenessCheckKeepsLiveConnection() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).start();
        SmtpTransport transport = transport(server)) {
      transport.send(FailureClassificationTest.message());
      advance(Duration.ofSeconds(2));
      transport.send(FailureClassificationTest.message());
      assertThat(server.saw("NOOP")).isTrue();
      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.messages()).hasSize(2);
    }
  }

  @Test
  @DisplayName("a connection that fails its liveness check is replaced by a new one")
  void deadConnectionIsReplaced() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET)
            .responder((verb, connection, mail) -> verb.equals("NOOP") && connection == 1 ? "421 4.4.2 Timeout" : null)
            .start();
        SmtpTransport transport = transport(server)) {
      transport.send(FailureClassificationTest.message());
      advance(Duration.ofSeconds(2));
      transport.send(FailureClassificationTest.message());
      assertThat(server.connections()).isEqualTo(2);
      assertThat(server.messages()).hasSize(2);
      assertThat(transport.stats().connectionsOpened()).isEqualTo(2);
      assertThat(transport.stats().connectionsClosed()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a reused connection the server already closed (421 at MAIL) is retried once on a new connection")
  void staleConnectionIsRetriedOnce() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET)
            .responder((verb, connection, mail) -> verb.equals("MAIL") && connection == 1 && mail == 2
                ? "421 4.4.2 Idle too long, closing" : null)
            .start();
        SmtpTransport transport = transport(server)) {
      transport.send(FailureClassificationTest.message());
      transport.send(FailureClassificationTest.message());
      assertThat(server.connections()).isEqualTo(2);
      assertThat(server.messages()).hasSize(2);
    }
  }

  @Test
  @DisplayName("a drop after the final dot is never retried, so a message is never sent twice")
  void dropAfterDotIsNotRetried() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET)
            .responder((verb, connection, mail) -> verb.equals("DOT") && mail == 2 ? "DROP" : null).start();
        SmtpTransport transport = transport(server)) {
      transport.send(FailureClassificationTest.message());
      DeliveryException e = catchThrowableOfType(DeliveryException.class,
          () -> transport.send(FailureClassificationTest.message()));
      assertThat(e.category()).isEqualTo(Category.CONNECTION_LOST);
      assertThat(e.isTransient()).isTrue();
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a fresh connection answering 421 is not retried: the failure is reported at once")
  void freshConnectionFailureIsNotRetried() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET)
            .reply("MAIL", "421 4.7.0 Try again later").start();
        SmtpTransport transport = transport(server)) {
      DeliveryException e = catchThrowableOfType(DeliveryException.class,
          () -> transport.send(FailureClassificationTest.message()));
      assertThat(e.category()).isEqualTo(Category.SERVER_BUSY);
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a rejected recipient leaves the connection usable: it is checked with NOOP and reused")
  void rejectedRecipientKeepsConnection() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET)
            .responder((verb, connection, mail) -> verb.equals("RCPT") && mail == 1 ? "550 5.1.1 No such user" : null)
            .start();
        SmtpTransport transport = transport(server)) {
      DeliveryException e = catchThrowableOfType(DeliveryException.class,
          () -> transport.send(FailureClassificationTest.message()));
      assertThat(e.category()).isEqualTo(Category.RECIPIENT_REJECTED);
      transport.send(FailureClassificationTest.message());
      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.saw("NOOP")).isTrue();
      assertThat(server.messages()).hasSize(1);
    }
  }

  @Test
  @DisplayName("a connection idle past idleTimeout is closed and a new one is opened")
  void idleConnectionIsClosed() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).start();
        SmtpTransport transport = transport(server)) {
      transport.send(FailureClassificationTest.message());
      advance(SmtpSettings.DEFAULT_IDLE_TIMEOUT.plusSeconds(1));
      transport.send(FailureClassificationTest.message());
      assertThat(server.connections()).isEqualTo(2);
      assertThat(server.awaitClosedByClient(1, WAIT)).isTrue();
      assertThat(server.saw("NOOP")).as("an expired connection is closed, not probed").isFalse();
    }
  }

  @Test
  @DisplayName("the sweeper closes idle connections without waiting for the next send")
  void sweeperClosesIdleConnections() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).start();
        SmtpTransport transport = transport(server)) {
      transport.send(FailureClassificationTest.message());
      assertThat(transport.sweep()).isZero();
      advance(SmtpSettings.DEFAULT_IDLE_TIMEOUT);
      transport.sweep();
      assertThat(transport.stats().idleConnections()).isZero();
      assertThat(transport.stats().connectionsClosed()).isEqualTo(1);
      assertThat(server.awaitClosedByClient(1, WAIT)).isTrue();
    }
  }

  @Test
  @DisplayName("close() closes every connection; later sends fail with CLOSED; close is idempotent")
  void closeClosesEverything() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).start()) {
      SmtpTransport transport = transport(server);
      transport.send(FailureClassificationTest.message());
      transport.close();
      transport.close();
      assertThat(server.awaitClosedByClient(1, WAIT)).isTrue();
      assertThat(server.quits()).isEqualTo(1);
      assertThat(transport.stats().idleConnections()).isZero();
      DeliveryException e = catchThrowableOfType(DeliveryException.class,
          () -> transport.send(FailureClassificationTest.message()));
      assertThat(e.category()).isEqualTo(Category.CLOSED);
    }
  }
}
