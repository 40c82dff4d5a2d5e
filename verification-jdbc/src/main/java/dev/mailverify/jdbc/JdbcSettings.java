package dev.mailverify.jdbc;

import dev.mailverify.core.StoreUnavailableException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The settings that {@link JdbcCodeStore.Builder} and {@link JdbcRateLimiter.Builder} share (the
 * DataSource, table prefix, dialect, timeout, table creation), their defaults and checks, and the
 * one way both open their {@link Database}. Each setter checks its argument at once; the last call
 * wins.
 */
final class JdbcSettings {
  private final DataSource dataSource;
  private String prefix = JdbcDialect.DEFAULT_PREFIX;
  private @Nullable JdbcDialect dialect;
  private Duration timeout = Duration.ofSeconds(2);
  private boolean createTables;

  JdbcSettings(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  void tablePrefix(String value) {
    prefix = JdbcDialect.checkPrefix(value);
  }

  String tablePrefix() {
    return prefix;
  }

  void dialect(JdbcDialect value) {
    dialect = Objects.requireNonNull(value, "dialect");
  }

  void timeout(Duration value) {
    Objects.requireNonNull(value, "timeout");
    if (value.compareTo(Duration.ofMillis(100)) < 0 || value.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("timeout must be from 100ms to 1 minute, was " + value);
    }
    timeout = value;
  }

  void createTablesIfMissing(boolean value) {
    createTables = value;
  }

  /**
   * Opens the database: detects the dialect unless one was set, creates the tables if asked, and
   * warns when the pool waits longer than the timeout.
   *
   * @throws StoreUnavailableException if the database is needed and cannot be reached
   * @throws IllegalStateException if the database is not one this module speaks
   */
  Database open() {
    Database db = new Database(dataSource, dialect, timeout);
    JdbcDialect resolved = db.resolveDialect();
    if (createTables) {
      db.createTables(resolved.schemaStatements(prefix));
      if (resolved == JdbcDialect.MARIADB) {
        db.createTables(MariaDbProcedures.create(prefix));
      }
    }
    db.checkPoolTimeout();
    return db;
  }
}
