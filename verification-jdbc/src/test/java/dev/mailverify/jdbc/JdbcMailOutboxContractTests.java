package dev.mailverify.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.test.MailOutboxContract;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** {@link MailOutboxContract} on PostgreSQL, MariaDB and H2, each through HikariCP. */
class JdbcMailOutboxContractTests {

  /** One database: a pool and a fresh table prefix for the class, emptied before each test. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class OnDatabase extends MailOutboxContract {
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
    protected MailOutbox createOutbox() {
      database.require();
      if (pool == null) {
        pool = database.pool("outbox-" + database + "-" + prefix);
      }
      JdbcMailOutbox outbox = JdbcMailOutbox.builder(pool).tablePrefix(prefix).timeout(TestDatabase.CONTRACT_TIMEOUT)
          .createTablesIfMissing(!created).build();
      created = true;
      try {
        TestDatabase.truncate(pool, prefix);
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
      return outbox;
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
