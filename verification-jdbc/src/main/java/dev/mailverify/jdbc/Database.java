package dev.mailverify.jdbc;

import dev.mailverify.core.StoreUnavailableException;
import java.lang.reflect.Method;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that talks to the {@link DataSource}: borrows a connection per call, bounds the
 * whole call by the store's timeout ({@link Connection#setNetworkTimeout} set to the time left as
 * soon as the connection is borrowed and before each statement, and {@link Statement#setQueryTimeout}
 * on MariaDB, MySQL and H2), runs it in auto-commit or as one
 * short transaction, retries a transaction the database chose as a deadlock victim, and turns every
 * {@link SQLException} into a {@link StoreUnavailableException} that names the database, never a
 * secret (C29).
 */
final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final Executor SAME_THREAD = Runnable::run;
  private static final int TRANSACTION_TRIES = 3;

  /** Work done on one connection. */
  interface Work<T> {
    T run(Session session) throws SQLException;
  }

  /** Work done on one connection for its effect only: it answers nothing. */
  interface Update {
    void run(Session session) throws SQLException;
  }

  private final DataSource dataSource;
  private final long timeoutNanos;
  private final String timeoutText;
  private volatile @Nullable JdbcDialect dialect;
  private volatile String where = "the database of the DataSource";
  private volatile boolean networkTimeoutUnsupported;

  /** The DataSource, for a store that checks whether a limiter uses the same one. */
  DataSource dataSource() {
    return dataSource;
  }

  Database(DataSource dataSource, @Nullable JdbcDialect dialect, Duration timeout) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.dialect = dialect;
    this.timeoutNanos = timeout.toNanos();
    this.timeoutText = timeout.toMillis() + " ms";
  }

  /** Connects once to detect the dialect (if not set) and learn the URL for messages. */
  JdbcDialect resolveDialect() {
    JdbcDialect known = dialect;
    if (known != null) {
      return known;
    }
    return call("detecting the database", false, session -> {
      DatabaseMetaData meta = session.connection().getMetaData();
      String product = meta.getDatabaseProductName();
      JdbcDialect found = JdbcDialect.detect(meta).orElseThrow(() -> new IllegalStateException(
          "the JDBC store speaks PostgreSQL, MariaDB, MySQL and H2, not " + product
              + " at " + where + "; set dialect(...) only if it is compatible with one of them"));
      dialect = found;
      return found;
    });
  }

  /** Runs the schema's statements (all {@code IF NOT EXISTS}). */
  void createTables(List<String> statements) {
    update("creating the tables", session -> {
      for (String sql : statements) {
        try (PreparedStatement ps = session.prepare(sql)) {
          ps.execute();
        }
      }
    });
  }

  /**
   * Warns when the DataSource is a pool whose wait for a connection exceeds the store's timeout
   * (HikariCP's {@code getConnectionTimeout()}, read reflectively: no dependency on any pool).
   */
  void checkPoolTimeout() {
    try {
      Method m = dataSource.getClass().getMethod("getConnectionTimeout");
      if (m.getReturnType() == long.class) {
        long poolMillis = (long) m.invoke(dataSource);
        if (Duration.ofMillis(poolMillis).toNanos() > timeoutNanos) {
          LOG.warn("the pool waits up to {} ms for a connection (connectionTimeout) but the mailverify store's"
              + " timeout is {}: during an outage calls wait for the pool; set connectionTimeout to at most {} (C29)",
              poolMillis, timeoutText, timeoutText);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not a pool with that property: nothing to check
    }
  }

  /** Runs work in auto-commit: each statement commits on its own. */
  <T> T autoCommit(String operation, Work<T> work) {
    return call(operation, false, work);
  }

  /** Runs an update in auto-commit: each statement commits on its own. */
  void update(String operation, Update update) {
    call(operation, false, s -> {
      update.run(s);
      return Boolean.TRUE;
    });
  }

  /**
   * Runs bulk deletes in auto-commit at READ COMMITTED (MariaDB's default REPEATABLE READ would
   * lock gaps of the scanned ranges and stall concurrent inserts), then restores the isolation.
   */
  <T> T readCommitted(String operation, Work<T> work) {
    JdbcDialect d = dialect;
    if (d != JdbcDialect.MARIADB && d != JdbcDialect.MYSQL) {
      return call(operation, false, work); // PostgreSQL and H2 default to READ COMMITTED
    }
    return call(operation, false, s -> {
      Connection c = s.connection();
      int before = c.getTransactionIsolation();
      if (before == Connection.TRANSACTION_READ_COMMITTED) {
        return work.run(s);
      }
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      try {
        return work.run(s);
      } finally {
        c.setTransactionIsolation(before);
      }
    });
  }

  /** Runs work as one transaction, retried when the database breaks a deadlock. */
  /**
   * Runs {@code work} on the connection the DataSource hands out, leaving its auto-commit and
   * transaction alone: with a transaction-aware DataSource the work joins the caller's transaction.
   */
  <T> T asIs(String operation, Work<T> work) {
    long start = System.nanoTime();
    try (Connection c = dataSource.getConnection()) {
      int networkTimeout = networkTimeoutUnsupported ? 0 : c.getNetworkTimeout();
      try {
        return work.run(new Session(c, start + timeoutNanos));
      } finally {
        if (!networkTimeoutUnsupported) {
          c.setNetworkTimeout(SAME_THREAD, networkTimeout); // the application's connection, as it was
        }
      }
    } catch (SQLException e) {
      throw unavailable(operation, e, start);
    }
  }

  <T> T transaction(String operation, Work<T> work) {
    return call(operation, true, work);
  }

  /** Runs an update as one transaction, retried when the database breaks a deadlock. */
  void updateInTransaction(String operation, Update update) {
    call(operation, true, s -> {
      update.run(s);
      return Boolean.TRUE;
    });
  }

  private <T> T call(String operation, boolean transaction, Work<T> work) {
    long start = System.nanoTime();
    long deadline = start + timeoutNanos;
    for (int attempt = 1; ; attempt++) {
      try {
        return once(transaction, deadline, work);
      } catch (SQLException e) {
        if (transaction && attempt < TRANSACTION_TRIES && isDeadlock(e) && System.nanoTime() - deadline < 0) {
          continue;
        }
        throw unavailable(operation, e, start);
      }
    }
  }

  private <T> T once(boolean transaction, long deadline, Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (where.startsWith("the database")) {
        where = describe(c);
      }
      Session session = new Session(c, deadline);
      session.bound(); // the driver may talk to the server before the first statement (auto-commit)
      boolean auto = c.getAutoCommit();
      if (!transaction) {
        if (!auto) {
          c.setAutoCommit(true);
        }
        try {
          return work.run(session);
        } finally {
          if (!auto) {
            c.setAutoCommit(false);
          }
        }
      }
      if (auto) {
        c.setAutoCommit(false);
      }
      boolean committed = false;
      try {
        T result = work.run(session);
        c.commit();
        committed = true;
        return result;
      } finally {
        if (!committed) {
          rollbackQuietly(c);
        }
        if (auto && committed) {
          restoreAutoCommit(c);
        }
      }
    }
  }

  /** After a commit the work is done: a connection that breaks now is the pool's to drop. */
  private static void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException | RuntimeException e) {
      // the pool resets or drops it; the committed result stands
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException | RuntimeException e) {
      // the connection is broken; the pool drops it and the caller sees the first failure
    }
  }

  private static boolean isDeadlock(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state) || s.getErrorCode() == 1213) {
          return true;
        }
      }
    }
    return false;
  }

  /** The URL without credentials or parameters, for messages. */
  private static String describe(Connection c) {
    try {
      String url = c.getMetaData().getURL();
      return url == null ? "the database of the DataSource" : sanitize(url);
    } catch (SQLException | RuntimeException e) {
      return "the database of the DataSource";
    }
  }

  /** Drops {@code user:password@} and everything after {@code ?} or {@code ;}. */
  static String sanitize(String url) {
    String s = url;
    int cut = indexOfAny(s, '?', ';');
    if (cut >= 0) {
      s = s.substring(0, cut);
    }
    int scheme = s.indexOf("//");
    if (scheme >= 0) {
      int at = s.indexOf('@', scheme + 2);
      int slash = s.indexOf('/', scheme + 2);
      if (at >= 0 && (slash < 0 || at < slash)) {
        s = s.substring(0, scheme + 2) + s.substring(at + 1);
      }
    }
    return s;
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }

  /** Turns a driver's exception into the typed outage (C29); the message holds no secret. */
  StoreUnavailableException unavailable(String operation, SQLException e, long startNanos) {
    long tookMillis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    JdbcDialect d = dialect;
    String db = (d == null ? "database" : d.displayName()) + " at " + where;
    String state = e.getSQLState();
    String detail = " [" + e.getClass().getSimpleName() + (state == null ? "" : ", SQLState " + state) + "]";
    String message;
    if (isTimeout(e) || tookMillis >= timeoutNanos / 1_000_000) {
      message = db + " did not answer " + operation + " within " + timeoutText + " (took " + tookMillis
          + " ms): is it running and reachable, or overloaded? The pool's connectionTimeout and the store's"
          + " queryTimeout bound each call";
    } else if (isConnectionProblem(e)) {
      message = db + " could not be reached " + operation + ": connection refused, lost or not available"
          + " from the pool (is the database running? check host, port, credentials and the pool size)";
    } else if (state != null && (state.equals("42P01") || state.equals("42S02") || state.equals("42102")
        || state.equals("42104"))) {
      message = db + " has no mailverify table " + operation + ": apply the schema "
          + (d == null ? "for your database" : d.schemaResource()) + " with your migration tool, or build the"
          + " store with createTablesIfMissing(true)";
    } else if (state != null && (state.equals("42703") || state.equals("42S22") || state.equals("42122"))) {
      message = db + " has a mailverify table without a column this version needs " + operation + " (the codes"
          + " table's prev_mac and prev_until, added for the resend grace; on PostgreSQL also failed_log and"
          + " failed_until, the failed-tries budget): apply the migration in "
          + (d == null ? "the schema for your database" : d.schemaResource()) + " (ALTER TABLE <prefix>codes ADD"
          + " COLUMN prev_mac ..., ADD COLUMN prev_until BIGINT, and the statements after them), or build the store"
          + " with createTablesIfMissing(true), which adds them";
    } else {
      message = db + " failed " + operation + " (check the database log and that the schema matches "
          + (d == null ? "this version" : d.schemaResource()) + ")";
    }
    return new StoreUnavailableException(message + detail, e);
  }

  private static boolean isTimeout(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTimeoutException || t instanceof SocketTimeoutException) {
        return true;
      }
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if ("57014".equals(state) || "HY008".equals(state) || "70100".equals(state) || "57P05".equals(state)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isConnectionProblem(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException || t instanceof java.io.IOException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null
          && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }

  /** One borrowed connection and the deadline of the call. */
  final class Session {
    private final Connection connection;
    private final long deadline;

    Session(Connection connection, long deadline) {
      this.connection = connection;
      this.deadline = deadline;
    }

    Connection connection() {
      return connection;
    }

    /**
     * Bounds every wait on the connection's socket by the time left in the call.
     *
     * @return the time left, in milliseconds
     */
    int bound() throws SQLException {
      long leftNanos = deadline - System.nanoTime();
      if (leftNanos <= 0) {
        throw new SQLTimeoutException("the store's timeout passed before the next statement");
      }
      int leftMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, leftNanos / 1_000_000));
      if (!networkTimeoutUnsupported) {
        try {
          connection.setNetworkTimeout(SAME_THREAD, leftMillis);
        } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
          networkTimeoutUnsupported = true; // an embedded database has no network to wait for
        }
      }
      return leftMillis;
    }

    /** Prepares a statement bounded by the time left in the call. */
    PreparedStatement prepare(String sql) throws SQLException {
      int leftMillis = bound();
      PreparedStatement ps = connection.prepareStatement(sql);
      if (dialect != JdbcDialect.POSTGRESQL) {
        // MariaDB's driver bounds the statement on the server (max_statement_time), H2 in process.
        // pgjdbc cancels from the client over a second connection and then waits for that cancel
        // (cancelSignalTimeout, 10 s): in a network partition that would stretch the bound, so on
        // PostgreSQL the network timeout alone bounds the call.
        ps.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, (leftMillis + 999) / 1000));
      }
      return ps;
    }
  }
}
