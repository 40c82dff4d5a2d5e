package dev.mailverify.jdbc;

import dev.mailverify.test.CrashStores;
import dev.mailverify.test.OutboxCrashKit;
import org.junit.jupiter.api.Nested;

/** {@link OutboxCrashKit} on PostgreSQL and MariaDB: kill -9 of an instance in its own JVM. */
class JdbcOutboxCrashTests {

  @Nested
  class PostgreSql extends OutboxCrashKit {
    @Override
    protected Class<? extends CrashStores> storesClass() {
      return JdbcCrashStores.Postgres.class;
    }

    @Override
    protected void requireServer() {
      TestDatabase.POSTGRESQL.require();
    }
  }

  @Nested
  class MariaDb extends OutboxCrashKit {
    @Override
    protected Class<? extends CrashStores> storesClass() {
      return JdbcCrashStores.MariaDb.class;
    }

    @Override
    protected void requireServer() {
      TestDatabase.MARIADB.require();
    }
  }
}
