package dev.mailverify.jdbc;

import dev.mailverify.core.StoreUnavailableException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
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
        // the resend grace's columns on a table of an earlier version (issue 21); a no-op otherwise
        db.createTables(List.of("ALTER TABLE " + prefix + "codes ADD COLUMN IF NOT EXISTS prev_mac VARBINARY(64) NULL,"
            + " ADD COLUMN IF NOT EXISTS prev_until BIGINT NULL"));
        db.createTables(MariaDbProcedures.create(prefix));
      } else if (resolved == JdbcDialect.MYSQL && !hasResendGraceColumns(db)) {
        db.createTables(List.of("ALTER TABLE " + prefix + "codes ADD COLUMN prev_mac VARBINARY(64) NULL,"
            + " ADD COLUMN prev_until BIGINT NULL"));
      }
    }
    db.checkPoolTimeout();
    return db;
  }

  /** MySQL, which has no {@code ADD COLUMN IF NOT EXISTS}: whether the codes table has {@code prev_mac}. */
  private boolean hasResendGraceColumns(Database db) {
    return db.autoCommit("looking for the resend grace's columns", s -> {
      try (PreparedStatement ps = s.prepare("SELECT count(*) FROM information_schema.COLUMNS"
          + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = 'prev_mac'")) {
        ps.setString(1, prefix + "codes");
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getInt(1) > 0;
        }
      }
    });
  }
}
