package dev.mailverify.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.jdbc.JdbcCodeStore;
import dev.mailverify.jdbc.JdbcRateLimiter;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's SQL store ({@code STORE=jdbc:...}): a small HikariCP pool over the URL, the
 * verification-jdbc store and limiter on it (tables created when missing, as a demo may; a real
 * application applies {@code JdbcDialect.schemaResource()} with its migration tool), and the
 * cleanup of expired rows once a minute. The PostgreSQL and MariaDB drivers are on the demo's
 * runtime classpath.
 */
final class JdbcBackend implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcBackend.class);
  /** Rows each cleanup call deletes at most. */
  private static final int CLEANUP_ROWS = 1_000;

  private final HikariDataSource pool;
  private final JdbcCodeStore store;
  private final JdbcRateLimiter limiter;
  private final ScheduledExecutorService cleaner;

  private JdbcBackend(HikariDataSource pool, JdbcCodeStore store, JdbcRateLimiter limiter,
      ScheduledExecutorService cleaner) {
    this.pool = pool;
    this.store = store;
    this.limiter = limiter;
    this.cleaner = cleaner;
  }

  /**
   * Opens the pool, creates the tables if missing and starts the cleanup.
   *
   * @param setting the JDBC URL
   * @param clock the service's clock, for the cleanup
   * @return the backend
   * @throws StoreUnavailableException if the database does not answer (the message shows the URL
   *     without its password)
   */
  static JdbcBackend open(StoreSetting.Jdbc setting, Clock clock) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(setting.url());
    config.setPoolName("mailverify-demo");
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(2_000); // at most the store's timeout (C29)
    config.setValidationTimeout(1_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("the " + setting.describe() + " did not accept a connection: "
          + StoreSetting.mask(rootMessage(e)), null);
    }
    try {
      JdbcCodeStore store = JdbcCodeStore.builder(pool).createTablesIfMissing(true).build();
      JdbcRateLimiter limiter = JdbcRateLimiter.builder(pool).createTablesIfMissing(true).build();
      ScheduledExecutorService cleaner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mailverify-demo-cleanup");
        t.setDaemon(true);
        return t;
      });
      cleaner.scheduleWithFixedDelay(() -> {
        try {
          int rows = store.cleanup(clock.instant(), CLEANUP_ROWS) + limiter.cleanup(clock.instant(), CLEANUP_ROWS);
          if (rows > 0) {
            LOG.debug("cleanup deleted {} expired rows", rows);
          }
        } catch (RuntimeException e) {
          LOG.warn("cleanup of expired rows failed (tried again in a minute): {}", e.getMessage());
        }
      }, 1, 1, TimeUnit.MINUTES);
      LOG.info("SQL store: {} dialect, tables created if missing", store.dialect());
      return new JdbcBackend(pool, store, limiter, cleaner);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip().replace('\n', ' ');
  }

  JdbcCodeStore store() {
    return store;
  }

  JdbcRateLimiter limiter() {
    return limiter;
  }

  /** Stops the cleanup and closes the pool. */
  @Override
  public void close() {
    cleaner.shutdownNow();
    pool.close();
  }
}
