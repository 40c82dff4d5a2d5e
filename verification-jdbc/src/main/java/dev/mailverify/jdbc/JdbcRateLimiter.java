package dev.mailverify.jdbc;

import dev.mailverify.core.Quota;
import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.spi.RateLimiter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RateLimiter} in the application's own SQL database, shared by every instance of the
 * application (C28): an exact sliding window kept as one row per permit ({@code bucket_key},
 * {@code taken_at}, {@code id}).
 *
 * <pre>{@code
 * RateLimiter limiter = JdbcRateLimiter.builder(dataSource).build();
 * }</pre>
 *
 * <p><b>Atomicity.</b> Every decision on a key holds that key's lock for one short transaction:
 * it finds the {@code limit}-th newest permit inside the window ({@code ORDER BY taken_at DESC
 * OFFSET limit - 1}, at most {@code limit} index entries), and inserts a permit only if there is
 * none, so of many concurrent calls no more than the limit are granted. The lock is a
 * transaction-scoped advisory lock on PostgreSQL ({@code pg_advisory_xact_lock} on a 64-bit hash of
 * the key; the lock, the count and the insert go to the server in one round trip), and a row of
 * the {@code buckets} table on MariaDB, MySQL and H2 ({@code INSERT ... ON DUPLICATE KEY UPDATE} or
 * {@code MERGE}, which creates or locks it). {@link #release} removes the key's newest permit
 * under the same lock.
 *
 * <p><b>Round trips</b>: on PostgreSQL one per call. On MariaDB six (set auto-commit, lock, count,
 * insert a permit or find the blocking one, commit, reset auto-commit); on H2 the same statements
 * in process. {@code release}: one on PostgreSQL, six on MariaDB.
 *
 * <p>Permits stay until {@link #cleanup(Instant, int)} removes those outside their window; each
 * permit records its own window's end, so cleanup needs no knowledge of the quotas. Keys longer
 * than 200 characters or not printable ASCII are stored as their SHA-256.
 *
 * <p>Failures and timeouts are those of {@link JdbcCodeStore}: every call is bounded by
 * {@link Builder#timeout(Duration)} and fails with {@link StoreUnavailableException}, never with a
 * permit granted that was not stored (C29).
 */
public final class JdbcRateLimiter implements RateLimiter {
  private static final int MAX_PLAIN_KEY = 200;

  private final Database db;
  private final JdbcDialect dialect;
  private final String prefix;
  private final String lockSql;
  private final String lockExistingSql;
  private final String nthSql;
  private final String countSql;
  private final String insertSql;
  private final String acquireSql;
  private final String newestSql;
  private final String deleteSql;
  private final String releaseSql;
  private final String cleanupPermitsSql;
  private final @Nullable String cleanupBucketsSql;

  private JdbcRateLimiter(Builder b) {
    this.db = b.settings.open();
    this.dialect = db.resolveDialect(); // known after open: no second connection
    this.prefix = b.settings.tablePrefix();
    String permits = prefix + "permits";
    String buckets = prefix + "buckets";
    this.lockSql = switch (dialect) {
      case POSTGRESQL -> "SELECT pg_advisory_xact_lock(?)";
      case MARIADB, MYSQL -> "INSERT INTO " + buckets + " (bucket_key) VALUES (?)"
          + " ON DUPLICATE KEY UPDATE bucket_key = bucket_key";
      case H2 -> "MERGE INTO " + buckets + " (bucket_key) KEY (bucket_key) VALUES (?)";
    };
    this.lockExistingSql = "SELECT bucket_key FROM " + buckets + " WHERE bucket_key = ? FOR UPDATE";
    String page = dialect == JdbcDialect.MARIADB || dialect == JdbcDialect.MYSQL
        ? " LIMIT 1 OFFSET ?" : " OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY";
    this.nthSql = "SELECT taken_at FROM " + permits + " WHERE bucket_key = ? AND taken_at > ?"
        + " ORDER BY taken_at DESC, id DESC" + page;
    this.countSql = "SELECT count(*) FROM " + permits + " WHERE bucket_key = ? AND taken_at > ?";
    this.insertSql = "INSERT INTO " + permits + " (bucket_key, taken_at, expires_at) VALUES (?, ?, ?)";
    // PostgreSQL: lock, find and insert in one round trip; the statements of one execute run in
    // one implicit transaction, and the second takes its snapshot after the lock is held
    this.acquireSql = lockSql + ";\nWITH nth AS (" + nthSql + "), taken AS (INSERT INTO " + permits
        + " (bucket_key, taken_at, expires_at) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM nth) RETURNING 1)"
        + " SELECT (SELECT taken_at FROM nth), (SELECT count(*) FROM taken)";
    this.newestSql = "SELECT id FROM " + permits + " WHERE bucket_key = ? ORDER BY taken_at DESC, id DESC"
        + (page.startsWith(" LIMIT") ? " LIMIT 1" : " FETCH FIRST 1 ROWS ONLY");
    this.deleteSql = "DELETE FROM " + permits + " WHERE id = ?";
    this.releaseSql = lockSql + ";\nDELETE FROM " + permits + " WHERE id = (SELECT id FROM " + permits
        + " WHERE bucket_key = ? ORDER BY taken_at DESC, id DESC LIMIT 1)";
    this.cleanupPermitsSql = JdbcCodeStore.cleanupSql(dialect, permits, "id");
    String noPermits = " WHERE NOT EXISTS (SELECT 1 FROM " + permits + " WHERE " + permits + ".bucket_key = "
        + buckets + ".bucket_key)";
    this.cleanupBucketsSql = switch (dialect) {
      case POSTGRESQL -> null;
      case MARIADB, MYSQL -> "DELETE FROM " + buckets + noPermits + " LIMIT ?";
      case H2 -> "DELETE FROM " + buckets + noPermits + " FETCH FIRST ? ROWS ONLY";
    };
  }

  /**
   * Starts a builder.
   *
   * @param dataSource the application's DataSource (usually a pool); not null
   * @return a builder with the defaults: prefix {@code mailverify_}, dialect detected, 2 s timeout,
   *     tables not created
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(new JdbcSettings(dataSource));
  }

  /**
   * Returns the dialect in use (set on the builder or detected).
   *
   * @return the dialect
   */
  public JdbcDialect dialect() {
    return dialect;
  }

  @Override
  public Decision tryAcquire(String key, Quota quota, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(quota, "quota");
    Objects.requireNonNull(now, "now");
    String k = storedKey(key);
    long nowMillis = now.toEpochMilli();
    long window = quota.window().toMillis();
    long windowStart = nowMillis - window;
    int offset = quota.limit() - 1;
    if (dialect == JdbcDialect.POSTGRESQL) {
      return db.autoCommit("taking a rate-limit permit", s -> {
        try (PreparedStatement ps = s.prepare(acquireSql)) {
          ps.setLong(1, lockId(k));
          ps.setString(2, k);
          ps.setLong(3, windowStart);
          ps.setInt(4, offset);
          ps.setString(5, k);
          ps.setLong(6, nowMillis);
          ps.setLong(7, nowMillis + window);
          ps.execute(); // the lock's result
          if (!ps.getMoreResults()) {
            throw new SQLException("expected the permit's result after the lock");
          }
          try (ResultSet rs = ps.getResultSet()) {
            rs.next();
            long blocking = rs.getLong(1);
            boolean none = rs.wasNull();
            return decide(none ? null : blocking, window, nowMillis);
          }
        }
      });
    }
    return db.transaction("taking a rate-limit permit", s -> {
      lockBucket(s, k);
      // count first (an index range, no sort); the blocking permit is looked up only to refuse
      long inWindow;
      try (PreparedStatement ps = s.prepare(countSql)) {
        ps.setString(1, k);
        ps.setLong(2, windowStart);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          inWindow = rs.getLong(1);
        }
      }
      if (inWindow < quota.limit()) {
        try (PreparedStatement ps = s.prepare(insertSql)) {
          ps.setString(1, k);
          ps.setLong(2, nowMillis);
          ps.setLong(3, nowMillis + window);
          ps.executeUpdate();
        }
        return Decision.grant();
      }
      try (PreparedStatement ps = s.prepare(nthSql)) {
        ps.setString(1, k);
        ps.setLong(2, windowStart);
        ps.setInt(3, offset);
        try (ResultSet rs = ps.executeQuery()) {
          // under the lock the count and this agree; a full window is the safe answer otherwise
          return rs.next() ? decide(rs.getLong(1), window, nowMillis) : Decision.deny(quota.window());
        }
      }
    });
  }

  /** Granted when no permit blocks; otherwise wait until the blocking permit leaves the window. */
  private static Decision decide(@Nullable Long blocking, long window, long now) {
    return blocking == null ? Decision.grant() : Decision.deny(Duration.ofMillis(blocking + window - now));
  }

  /** Creates or locks the key's bucket row (MariaDB, MySQL, H2). */
  private void lockBucket(Database.Session s, String k) throws SQLException {
    for (int tries = 1; ; tries++) {
      try (PreparedStatement ps = s.prepare(lockSql)) {
        ps.setString(1, k);
        ps.executeUpdate();
        return;
      } catch (SQLException e) {
        // H2's MERGE is an update then an insert: two first calls for a key can collide once
        if (dialect != JdbcDialect.H2 || !"23505".equals(e.getSQLState()) || tries >= 3) {
          throw e;
        }
      }
    }
  }

  @Override
  public void release(String key, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(now, "now");
    String k = storedKey(key);
    if (dialect == JdbcDialect.POSTGRESQL) {
      db.update("giving back a rate-limit permit", s -> {
        try (PreparedStatement ps = s.prepare(releaseSql)) {
          ps.setLong(1, lockId(k));
          ps.setString(2, k);
          ps.execute();
          ps.getMoreResults();
          return;
        }
      });
      return;
    }
    db.updateInTransaction("giving back a rate-limit permit", s -> {
      try (PreparedStatement ps = s.prepare(lockExistingSql)) {
        ps.setString(1, k);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return; // no bucket, no permit
          }
        }
      }
      long id;
      try (PreparedStatement ps = s.prepare(newestSql)) {
        ps.setString(1, k);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return;
          }
          id = rs.getLong(1);
        }
      }
      try (PreparedStatement ps = s.prepare(deleteSql)) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
      return;
    });
  }

  /**
   * Deletes permits whose window has ended at {@code now} (and, on MariaDB, MySQL and H2, bucket rows
   * left without permits), at most {@code maxRows} rows per call. The application schedules it; a
   * permit still inside its window is never deleted, so the counts stay exact.
   *
   * @param now the current time, from the service's clock
   * @param maxRows at most this many rows are deleted, at least 1
   * @return how many rows were deleted
   * @throws StoreUnavailableException if the database fails or does not answer in time
   */
  public int cleanup(Instant now, int maxRows) {
    Objects.requireNonNull(now, "now");
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
    }
    long nowMillis = now.toEpochMilli();
    return db.readCommitted("deleting expired rate-limit permits", s -> {
      int deleted = JdbcCodeStore.delete(s, cleanupPermitsSql, nowMillis, maxRows);
      if (cleanupBucketsSql != null && deleted < maxRows) {
        try (PreparedStatement ps = s.prepare(cleanupBucketsSql)) {
          ps.setInt(1, maxRows - deleted);
          deleted += ps.executeUpdate();
        }
      }
      return deleted;
    });
  }

  /** The key as stored: itself if short printable ASCII, else {@code sha256:} and its hash. */
  static String storedKey(String key) {
    if (key.length() <= MAX_PLAIN_KEY && !key.startsWith("sha256:") && key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return key;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The advisory lock of a key: 64-bit FNV-1a of the table prefix and the key. */
  private long lockId(String k) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < prefix.length(); i++) {
      h = (h ^ prefix.charAt(i)) * 0x100000001b3L;
    }
    h = (h ^ '/') * 0x100000001b3L;
    for (int i = 0; i < k.length(); i++) {
      h = (h ^ k.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  @Override
  public String toString() {
    return "JdbcRateLimiter[" + dialect.displayName() + "]";
  }

  /**
   * Builds a {@link JdbcRateLimiter}. Every setter checks its argument at once and names it when it
   * refuses one; calling a setter twice keeps the last value.
   */
  public static final class Builder {
    private final JdbcSettings settings;

    private Builder(JdbcSettings settings) {
      this.settings = settings;
    }

    /**
     * Sets the prefix of the table names ({@code mailverify_permits}, {@code mailverify_buckets}).
     *
     * @param value empty, or up to 40 characters of {@code a-z 0-9 _} starting with a letter or
     *     {@code _}; default {@code mailverify_}
     * @return this builder
     * @throws IllegalArgumentException for another value
     */
    public Builder tablePrefix(String value) {
      settings.tablePrefix(value);
      return this;
    }

    /**
     * Sets the SQL dialect instead of detecting it from the database at {@link #build()}.
     *
     * @param value the dialect; not null
     * @return this builder
     */
    public Builder dialect(JdbcDialect value) {
      settings.dialect(value);
      return this;
    }

    /**
     * Bounds every call, all its statements together (C29); see
     * {@link JdbcCodeStore.Builder#timeout(Duration)}.
     *
     * @param value from 100 ms to 1 minute; default 2 s
     * @return this builder
     * @throws IllegalArgumentException outside that range
     */
    public Builder timeout(Duration value) {
      settings.timeout(value);
      return this;
    }

    /**
     * Creates the tables and indexes at {@link #build()} when they do not exist (the dialect's
     * whole schema file, with this builder's prefix).
     *
     * @param value whether to create them
     * @return this builder
     */
    public Builder createTablesIfMissing(boolean value) {
      settings.createTablesIfMissing(value);
      return this;
    }

    /**
     * Builds the limiter. Unless a dialect was set, it connects once to detect it.
     *
     * @return the limiter
     * @throws StoreUnavailableException if the database is needed and cannot be reached
     * @throws IllegalStateException if the database is not one this module speaks
     */
    public JdbcRateLimiter build() {
      return new JdbcRateLimiter(this);
    }
  }
}
