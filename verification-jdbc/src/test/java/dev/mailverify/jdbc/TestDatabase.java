package dev.mailverify.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The three databases the tests run on: PostgreSQL and MariaDB as local servers on 127.0.0.1
 * (skipped with one line on the console when not running, failed when
 * {@value #REQUIRE_SERVERS}=1 as in CI), and embedded H2, which always runs.
 */
enum TestDatabase {
  POSTGRESQL("jdbc:postgresql://127.0.0.1:%d/test", 5432, "postgres",
      "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"),
  MARIADB("jdbc:mariadb://127.0.0.1:%d/test", 3306, "root",
      "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"),
  H2("jdbc:h2:mem:mailverify-%d;DB_CLOSE_DELAY=-1", 0, "sa", "");

  /** Set to 1 to turn a missing server into a test failure instead of a skip. */
  static final String REQUIRE_SERVERS = "MAILVERIFY_REQUIRE_SERVERS";
  private static final Set<TestDatabase> ANNOUNCED = ConcurrentHashMap.newKeySet();
  private static final Map<TestDatabase, Optional<String>> PROBLEMS = new ConcurrentHashMap<>();

  private final String url;
  private final int port;
  private final String user;
  private final String startCommand;

  TestDatabase(String url, int port, String user, String startCommand) {
    this.url = url;
    this.port = port;
    this.user = user;
    this.startCommand = startCommand;
  }

  /** The JDBC URL through another port (a proxy), or the server's own. */
  String url(int viaPort) {
    return String.format(url, viaPort);
  }

  int port() {
    return port;
  }

  /**
   * Skips the calling test when the server is not running (one line on the console, once), or
   * fails it when {@value #REQUIRE_SERVERS}=1. Call from {@code @BeforeEach} or a test.
   */
  void require() {
    if (this == H2) {
      return;
    }
    Optional<String> problem = PROBLEMS.computeIfAbsent(this, d -> d.probe());
    if (problem.isEmpty()) {
      return;
    }
    String message = name() + " is not running on 127.0.0.1:" + port + " (" + problem.get() + "); start it with: "
        + startCommand;
    if ("1".equals(System.getenv(REQUIRE_SERVERS))) {
      Assertions.fail(message + " (required: " + REQUIRE_SERVERS + "=1)");
    }
    message += " (skipped; " + REQUIRE_SERVERS + "=1 makes this a failure)";
    if (ANNOUNCED.add(this)) {
      // surefire keeps test output in files; the JVM's own standard error reaches the console
      @SuppressWarnings("resource") // never close: it is the process's file descriptor 2
      PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
      console.println("[mailverify] SKIPPED: " + message);
    }
    Assumptions.abort(message);
  }

  private Optional<String> probe() {
    DriverManager.setLoginTimeout(3);
    try (Connection c = DriverManager.getConnection(url(port), user, "")) {
      return Optional.empty();
    } catch (SQLException e) {
      return Optional.of(e.getClass().getSimpleName() + ", SQLState " + e.getSQLState());
    }
  }

  /** A pool as an application would configure it: connection waits bounded by the store timeout. */
  HikariDataSource pool(String name, int viaPort, int size, long connectionTimeoutMillis) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url(this == H2 ? Math.abs(name.hashCode()) : viaPort));
    config.setUsername(user);
    config.setPassword("");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(connectionTimeoutMillis);
    config.setValidationTimeout(Math.max(250, connectionTimeoutMillis / 2));
    config.setInitializationFailTimeout(-1);
    if (this == POSTGRESQL) {
      config.addDataSourceProperty("connectTimeout", "2");
      config.addDataSourceProperty("loginTimeout", "2");
      config.addDataSourceProperty("tcpKeepAlive", "true");
    } else if (this == MARIADB) {
      config.addDataSourceProperty("connectTimeout", "2000");
    }
    return new HikariDataSource(config);
  }

  /**
   * How long contract tests let a call take: they test atomicity, with 100 threads on one key whose
   * quota of 10,000 makes every decision count thousands of permits while the others queue.
   */
  static final java.time.Duration CONTRACT_TIMEOUT = java.time.Duration.ofSeconds(60);

  /**
   * A pool for the contract tests. A race of 100 threads on one key serializes every call behind
   * one lock, so a thread may wait seconds for the pool: the outage tests check the short bounds.
   */
  HikariDataSource pool(String name) {
    return pool(name, port, 20, CONTRACT_TIMEOUT.toMillis());
  }

  /** A table prefix no other test class uses. */
  static String freshPrefix() {
    return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "_";
  }

  static final List<String> TABLES = List.of("codes", "tokens", "permits", "buckets", "outbox");

  /** Empties the tables of a prefix (those that exist). */
  static void truncate(DataSource ds, String prefix) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      for (String t : TABLES) {
        if (exists(c, prefix + t)) {
          st.executeUpdate("DELETE FROM " + prefix + t);
        }
      }
    }
  }

  /** Drops the tables of a prefix. */
  static void drop(DataSource ds, String prefix) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      for (String t : TABLES) {
        st.executeUpdate("DROP TABLE IF EXISTS " + prefix + t);
      }
    }
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
      try (ResultSet rs = c.getMetaData().getTables(null, null, name, null)) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Every row of every table of a prefix as text; binary columns as hex and as Latin-1 text. */
  static String dump(DataSource ds, String prefix) throws SQLException {
    StringBuilder sb = new StringBuilder();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      for (String t : TABLES) {
        if (!exists(c, prefix + t)) {
          continue;
        }
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + prefix + t)) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            sb.append(t).append(':');
            for (int i = 1; i <= md.getColumnCount(); i++) {
              Object v = rs.getObject(i);
              sb.append(' ').append(md.getColumnLabel(i)).append('=');
              if (v instanceof byte[] b) {
                sb.append(HexFormat.of().formatHex(b)).append('/').append(new String(b, StandardCharsets.ISO_8859_1));
              } else {
                sb.append(v);
              }
            }
            sb.append('\n');
          }
        }
      }
    }
    return sb.toString();
  }
}
