package dev.mailverify.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.test.NothingLeftBehindContract;
import dev.mailverify.test.TcpProxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * C29 on PostgreSQL and MariaDB: the store reaches the database through a loopback proxy that
 * drops every byte (a black hole: a cut statement never reaches the server), the limiter through a
 * pool of its own that stays up, on the same tables. The limit is taken, then the store dies; the
 * service gives back every permit and counts no try. On PostgreSQL once more with one pool for
 * both, where the store takes the address's permits in its own statement (all or nothing).
 */
class JdbcNothingLeftBehindTest {
  /** No bound is tested here: long enough that a call that works never runs out on a loaded machine. */
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  /** The fixture both databases share. */
  abstract static class ThroughProxy extends NothingLeftBehindContract {
    private final String prefix = TestDatabase.freshPrefix();
    private TcpProxy proxy;
    private HikariDataSource direct;
    private HikariDataSource proxied;
    private JdbcCodeStore store;
    private JdbcRateLimiter limiter;

    abstract TestDatabase database();

    /** Whether the limiter uses the store's (proxied) pool: then the store takes the address's permits itself. */
    boolean sharedPool() {
      return false;
    }

    @BeforeEach
    void start() throws Exception {
      TestDatabase db = database();
      db.require();
      direct = db.pool("nlb-direct", db.port(), 2, 2_000);
      proxy = new TcpProxy(db.port());
      proxied = db.pool("nlb-proxied", proxy.port(), 2, TIMEOUT.toMillis());
      JdbcCodeStore.builder(direct).tablePrefix(prefix).createTablesIfMissing(true).build();
      limiter = JdbcRateLimiter.builder(sharedPool() ? proxied : direct).tablePrefix(prefix).timeout(TIMEOUT).build();
      store = JdbcCodeStore.builder(proxied).tablePrefix(prefix).timeout(TIMEOUT).build();
      assertEquals(sharedPool(), store.sharesBucketsWith(limiter), "the path under test");
    }

    @AfterEach
    void stop() throws Exception {
      if (proxied != null) {
        proxied.close();
      }
      if (proxy != null) {
        proxy.close();
      }
      if (direct != null) {
        TestDatabase.drop(direct, prefix);
        direct.close();
      }
    }

    @Override
    protected CodeStore store() {
      return store;
    }

    @Override
    protected RateLimiter limiter() {
      return limiter;
    }

    @Override
    protected void cut() {
      proxy.blackHole();
    }

    @Override
    protected void restore() throws Exception {
      proxy.restore(); // every pooled connection is closed, as after a server restart
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      CodeKey probe = new CodeKey(VerificationType.LOGIN, "probe@example.com");
      while (true) {
        try {
          store.invalidate(probe);
          return;
        } catch (StoreUnavailableException e) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("the store did not come back within 30 s", e);
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
      }
    }
  }

  @Nested
  @DisplayName("PostgreSQL")
  class PostgreSql extends ThroughProxy {
    @Override
    TestDatabase database() {
      return TestDatabase.POSTGRESQL;
    }
  }

  @Nested
  @DisplayName("PostgreSQL, one pool: the address's permits taken with the code")
  class PostgreSqlOneStatement extends ThroughProxy {
    @Override
    TestDatabase database() {
      return TestDatabase.POSTGRESQL;
    }

    @Override
    boolean sharedPool() {
      return true;
    }
  }

  @Nested
  @DisplayName("MariaDB")
  class MariaDb extends ThroughProxy {
    @Override
    TestDatabase database() {
      return TestDatabase.MARIADB;
    }
  }

  @Nested
  @DisplayName("MariaDB, one pool: the address's permits taken with the code (stored procedures)")
  class MariaDbOneCall extends ThroughProxy {
    @Override
    TestDatabase database() {
      return TestDatabase.MARIADB;
    }

    @Override
    boolean sharedPool() {
      return true;
    }
  }
}
