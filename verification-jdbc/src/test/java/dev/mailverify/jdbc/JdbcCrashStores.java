package dev.mailverify.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.test.CrashStores;
import java.sql.SQLException;
import java.time.Duration;

/** The crash kit's stores on one database: a pool, the outbox and the code store under one prefix. */
public abstract class JdbcCrashStores implements CrashStores {
  private final HikariDataSource pool;
  private final String prefix;
  private final JdbcMailOutbox outbox;
  private final JdbcCodeStore codes;

  JdbcCrashStores(TestDatabase database, String prefix) {
    this.prefix = prefix;
    this.pool = database.pool("crash-" + prefix, database.port(), 10, 5_000);
    this.outbox = JdbcMailOutbox.builder(pool).tablePrefix(prefix).timeout(Duration.ofSeconds(5))
        .createTablesIfMissing(true).build();
    this.codes = JdbcCodeStore.builder(pool).tablePrefix(prefix).timeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public MailOutbox outbox() {
    return outbox;
  }

  @Override
  public CodeStore codeStore() {
    return codes;
  }

  @Override
  public void close() {
    try {
      TestDatabase.drop(pool, prefix);
    } catch (SQLException e) {
      throw new AssertionError(e);
    } finally {
      pool.close();
    }
  }

  /** On PostgreSQL. */
  public static final class Postgres extends JdbcCrashStores {
    /**
     * Opens the stores.
     *
     * @param prefix the table prefix
     */
    public Postgres(String prefix) {
      super(TestDatabase.POSTGRESQL, prefix);
    }
  }

  /** On MariaDB. */
  public static final class MariaDb extends JdbcCrashStores {
    /**
     * Opens the stores.
     *
     * @param prefix the table prefix
     */
    public MariaDb(String prefix) {
      super(TestDatabase.MARIADB, prefix);
    }
  }
}
