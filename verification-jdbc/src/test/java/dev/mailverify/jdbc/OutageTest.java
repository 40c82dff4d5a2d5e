package dev.mailverify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.TcpProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * C29 against PostgreSQL behind a loopback proxy that the test cuts (a black hole) and restores
 * (every connection dropped, as after a restart): bounded, typed failures, no mail for a code that
 * was not stored, and the same service working again afterwards.
 */
class OutageTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  /** The timeout plus the pool's wait and scheduling slack on a busy 2-core machine. */
  private static final Duration BOUND = Duration.ofMillis(3500);
  private static final VerificationType TYPE = VerificationType.REGISTER;

  private final String prefix = TestDatabase.freshPrefix();
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private TcpProxy proxy;
  private HikariDataSource pool;
  private VerificationCodeService service;

  @BeforeEach
  void serviceThroughProxy() throws Exception {
    TestDatabase.POSTGRESQL.require();
    proxy = new TcpProxy(TestDatabase.POSTGRESQL.port());
    pool = TestDatabase.POSTGRESQL.pool("outage", proxy.port(), 4, TIMEOUT.toMillis());
    service = VerificationCodeService.builder()
        .transport(outbox)
        .store(JdbcCodeStore.builder(pool).tablePrefix(prefix).timeout(TIMEOUT).createTablesIfMissing(true).build())
        .rateLimiter(JdbcRateLimiter.builder(pool).tablePrefix(prefix).timeout(TIMEOUT).build())
        .secret("outage test secret, at least 32 bytes long".getBytes(StandardCharsets.US_ASCII))
        .build();
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (pool != null) {
      pool.close();
      proxy.close();
      try (HikariDataSource direct = TestDatabase.POSTGRESQL.pool("outage-cleanup", TestDatabase.POSTGRESQL.port(), 1,
          2000)) {
        TestDatabase.drop(direct, prefix);
      }
    }
  }

  private static StoreUnavailableException failsWithinBound(ThrowingCallable call) {
    long start = System.nanoTime();
    StoreUnavailableException e = catchThrowableOfType(StoreUnavailableException.class, call);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(e).as("a typed outage").isNotNull();
    assertThat(took).as("bounded by the timeout").isLessThan(BOUND);
    assertThat(e.getMessage()).contains("PostgreSQL at jdbc:postgresql://127.0.0.1:").doesNotContain("password");
    return e;
  }

  @Test
  @DisplayName("C29: during an outage send, verify and redeem fail typed within the timeout, no mail leaves; afterwards the same service works")
  void outageIsBoundedTypedAndRecovers() throws IOException {
    assertThat(service.sendVerificationCode("ann@example.com", TYPE, Duration.ofMinutes(10)))
        .isInstanceOf(SendResult.Sent.class);
    String code = outbox.latestCode("ann@example.com").orElseThrow();
    outbox.clear();

    proxy.blackHole();
    failsWithinBound(() -> service.sendVerificationCode("bob@example.com", TYPE, Duration.ofMinutes(10)));
    assertThat(outbox.size()).as("a send whose code was not stored sends no mail").isZero();
    failsWithinBound(() -> service.verifyCode("ann@example.com", TYPE, code));
    failsWithinBound(() -> service.redeemToken("A".repeat(43), TYPE));

    proxy.restore();
    assertThat(service.verifyCode("ann@example.com", TYPE, code)).isInstanceOf(VerifyResult.Verified.class);
    assertThat(service.sendVerificationCode("bob@example.com", TYPE, Duration.ofMinutes(10)))
        .isInstanceOf(SendResult.Sent.class);
    assertThat(outbox.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("C29: a store call on a dropped connection fails typed, and the next call gets a new connection")
  void droppedConnectionsAreReplaced() throws SQLException, IOException {
    JdbcCodeStore store = JdbcCodeStore.builder(pool).tablePrefix(prefix).timeout(TIMEOUT).build();
    assertThat(store.cleanup(java.time.Instant.now(), 10)).isZero();
    proxy.blackHole();
    StoreUnavailableException e = failsWithinBound(() -> store.cleanup(java.time.Instant.now(), 10));
    assertThat(e.getMessage()).contains("within 1000 ms");
    proxy.restore(); // every pooled connection is now closed, as after a server restart
    assertThat(store.cleanup(java.time.Instant.now(), 10)).isZero();
  }
}
