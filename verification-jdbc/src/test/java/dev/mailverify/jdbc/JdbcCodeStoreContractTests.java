package dev.mailverify.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.LimitingCodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.test.CodeStoreContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** {@link CodeStoreContract} on PostgreSQL, MariaDB and H2, each through HikariCP. */
class JdbcCodeStoreContractTests {

  /** One database: a pool and a fresh table prefix for the class, emptied before each test. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class OnDatabase extends CodeStoreContract {
    private final TestDatabase database;
    private final String prefix = TestDatabase.freshPrefix();
    private HikariDataSource pool;
    private boolean created;

    OnDatabase(TestDatabase database) {
      this.database = database;
    }

    @BeforeEach
    void serverRunning() {
      database.require();
    }

    @Override
    protected CodeStore createStore() {
      // JUnit runs the contract's @BeforeEach (which calls this) before ours: check here too
      database.require();
      if (pool == null) {
        pool = database.pool("codes-" + database + "-" + prefix);
      }
      JdbcCodeStore store = JdbcCodeStore.builder(pool).tablePrefix(prefix).timeout(TestDatabase.CONTRACT_TIMEOUT)
          .createTablesIfMissing(!created).build();
      created = true;
      try {
        TestDatabase.truncate(pool, prefix);
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
      return store;
    }

    @Override
    protected RateLimiter sharedLimiter(CodeStore store) {
      return JdbcRateLimiter.builder(pool).tablePrefix(prefix).timeout(TestDatabase.CONTRACT_TIMEOUT).build();
    }

    @Test
    @DisplayName("C28: the store takes the limiter's permits itself exactly on PostgreSQL and MariaDB, with the same"
        + " pool and prefix")
    void sharesBucketsOnPostgreSqlAndMariaDbOnly() {
      LimitingCodeStore s = (LimitingCodeStore) store;
      assertEquals(database != TestDatabase.H2, s.sharesBucketsWith(sharedLimiter(store)));
      assertFalse(s.sharesBucketsWith(JdbcRateLimiter.builder(pool).tablePrefix("other_").build()));
    }

    @Override
    protected String dump(CodeStore store) {
      try {
        return TestDatabase.dump(pool, prefix);
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
    }

    @AfterAll
    void dropTables() throws SQLException {
      if (pool != null) {
        TestDatabase.drop(pool, prefix);
        pool.close();
      }
    }
  }

  @Nested
  class PostgreSql extends OnDatabase {
    PostgreSql() {
      super(TestDatabase.POSTGRESQL);
    }
  }

  @Nested
  class MariaDb extends OnDatabase {
    MariaDb() {
      super(TestDatabase.MARIADB);
    }
  }

  @Nested
  class H2 extends OnDatabase {
    H2() {
      super(TestDatabase.H2);
    }
  }
}
