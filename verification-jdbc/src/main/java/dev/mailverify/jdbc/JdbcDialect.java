package dev.mailverify.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The SQL databases the JDBC store speaks, each with its schema file. {@link JdbcCodeStore} and
 * {@link JdbcRateLimiter} detect the dialect from {@link DatabaseMetaData#getDatabaseProductName()}
 * unless one is set on their builders.
 *
 * <p>The schema files are resources of this module, written with the default table prefix
 * {@code mailverify_}, for the application's migration tool (Flyway, Liquibase): copy
 * {@code dev/mailverify/jdbc/schema/postgresql.sql} (or {@code mariadb.sql}, {@code h2.sql}) into
 * the tool's migrations, or read it through {@link #schema(String)}.
 */
public enum JdbcDialect {
  /** PostgreSQL 12 or newer: single-statement attempts and takes ({@code RETURNING}), advisory locks. */
  POSTGRESQL("postgresql.sql"),
  /** MariaDB 10.5 or newer: locking reads in short transactions, {@code DELETE ... RETURNING}. */
  MARIADB("mariadb.sql"),
  /**
   * MySQL 8: as {@link #MARIADB} but without {@code DELETE ... RETURNING} (a token is taken with a
   * locking read in a transaction). Not covered by this module's tests.
   */
  MYSQL("mariadb.sql"),
  /** H2 2.x: data change delta tables ({@code FINAL TABLE}, {@code OLD TABLE}). */
  H2("h2.sql");

  /** The prefix the schema files are written with. */
  static final String DEFAULT_PREFIX = "mailverify_";
  private static final Pattern STATEMENT_END = Pattern.compile(";\\s*(?:\\R|$)");

  private final String file;

  JdbcDialect(String file) {
    this.file = file;
  }

  /**
   * Returns the class-path location of this dialect's schema file, for example
   * {@code dev/mailverify/jdbc/schema/postgresql.sql}.
   *
   * @return the resource name
   */
  public String schemaResource() {
    return "dev/mailverify/jdbc/schema/" + file;
  }

  /**
   * Returns this dialect's schema, the SQL of {@link #schemaResource()}, with the tables named with
   * the given prefix.
   *
   * @param tablePrefix the prefix; see {@link JdbcCodeStore.Builder#tablePrefix(String)}
   * @return the SQL text, statements ending with {@code ;}
   * @throws IllegalArgumentException if the prefix is not allowed
   */
  public String schema(String tablePrefix) {
    String prefix = checkPrefix(tablePrefix);
    try (InputStream in = JdbcDialect.class.getResourceAsStream("schema/" + file)) {
      if (in == null) {
        throw new IllegalStateException("schema resource " + schemaResource() + " missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(DEFAULT_PREFIX, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + schemaResource(), e);
    }
  }

  /** The schema's statements without comments, for {@code createTablesIfMissing}. */
  List<String> schemaStatements(String tablePrefix) {
    StringBuilder sql = new StringBuilder();
    for (String line : schema(tablePrefix).split("\\R")) {
      if (!line.stripLeading().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String s : STATEMENT_END.split(sql)) {
      if (this == MYSQL && s.contains("ADD COLUMN IF NOT EXISTS")) {
        continue; // MySQL 8 has no such clause: its users add the column once, by hand (docs/stores.md)
      }
      if (!s.isBlank()) {
        statements.add(s.strip());
      }
    }
    return statements;
  }

  /** Lower-case letters, digits and underscores, starting with a letter or underscore; or empty. */
  static String checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "tablePrefix");
    if (!prefix.matches("(?:[a-z_][a-z0-9_]{0,39})?")) {
      throw new IllegalArgumentException("tablePrefix must be empty or up to 40 characters of a-z, 0-9 and _"
          + " starting with a letter or _, was '" + (prefix.length() > 40 ? prefix.substring(0, 40) + "..." : prefix)
          + "'");
    }
    return prefix;
  }

  /**
   * Finds the dialect for a database.
   *
   * @param meta the connection's metadata
   * @return the dialect, or empty for a database this module does not speak
   * @throws SQLException if the driver cannot tell
   */
  static Optional<JdbcDialect> detect(DatabaseMetaData meta) throws SQLException {
    String product = String.valueOf(meta.getDatabaseProductName()).toLowerCase(Locale.ROOT);
    String version = String.valueOf(meta.getDatabaseProductVersion()).toLowerCase(Locale.ROOT);
    if (product.contains("postgresql")) {
      return Optional.of(POSTGRESQL);
    }
    if (product.contains("mariadb") || product.contains("mysql") && version.contains("mariadb")) {
      return Optional.of(MARIADB);
    }
    if (product.contains("mysql")) {
      return Optional.of(MYSQL);
    }
    if (product.equals("h2")) {
      return Optional.of(H2);
    }
    return Optional.empty();
  }

  /** A name for messages: {@code PostgreSQL}, {@code MariaDB}, {@code MySQL}, {@code H2}. */
  String displayName() {
    return switch (this) {
      case POSTGRESQL -> "PostgreSQL";
      case MARIADB -> "MariaDB";
      case MYSQL -> "MySQL";
      case H2 -> "H2";
    };
  }
}
