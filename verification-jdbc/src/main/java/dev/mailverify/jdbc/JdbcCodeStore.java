package dev.mailverify.jdbc;

import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.LimitingCodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.TokenRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CodeStore} in the application's own SQL database (PostgreSQL, MariaDB/MySQL, H2), over
 * its {@link DataSource}, so that every instance of the application shares codes and tokens (C28).
 *
 * <pre>{@code
 * CodeStore store = JdbcCodeStore.builder(dataSource).build();
 * }</pre>
 *
 * <p><b>Atomicity (C8).</b> Every operation is a single statement, or one short transaction that
 * locks the one row it is about; never a read followed by an unlocked write:
 *
 * <ul>
 *   <li>{@code attempt} counts the try with a conditional {@code UPDATE ... SET attempts = attempts + 1
 *       WHERE code_key = ? AND attempts < max_attempts AND expires_at > ?} and reads back the MAC of
 *       the row it counted on ({@code RETURNING} on PostgreSQL, {@code FINAL TABLE} on H2); the MAC
 *       is compared in Java with {@link PendingCode#macMatchesAny} (C15), and a match consumes the code
 *       with {@code DELETE ... WHERE code_key = ? AND mac = ?}, trusting the delete count (of many
 *       right tries, one deletes; a resend in between changed the MAC, so nothing is deleted). On
 *       MariaDB and MySQL, which have no {@code UPDATE ... RETURNING}, the row is read with
 *       {@code SELECT ... FOR UPDATE} in a transaction and counted or deleted under that lock.
 *   <li>{@code issue} is one upsert ({@code ON CONFLICT DO UPDATE}, {@code ON DUPLICATE KEY UPDATE},
 *       H2 {@code MERGE ... USING}) that resets the try counter, or, with a resend grace, keeps the
 *       replaced code's MAC in {@code prev_mac} until {@code prev_until} and carries its tries over,
 *       reading the replaced row in the same statement. An attempt compares both MACs; the consuming
 *       {@code DELETE} names the MAC that matched, as the row's code or, while the grace runs, as its
 *       previous one, so a try counted just before a resend with grace still consumes the new row.
 *   <li>{@code takeToken} is {@code DELETE ... WHERE token_hash = ? [AND address_key = ?] RETURNING}
 *       (PostgreSQL, MariaDB; H2 {@code OLD TABLE}), or a locking read and a delete in one
 *       transaction on MySQL.
 * </ul>
 *
 * <p><b>Round trips</b> on PostgreSQL: a wrong, expired, locked or unknown code costs one statement;
 * a right code two (the count, then the delete); issue, invalidate, store and take token one each.
 * With the limits in the same round trip (below) every try, right or wrong, is one statement and
 * one commit: the statement itself tells a right code from a wrong one, by comparing SHA-256
 * digests of the MACs salted with 16 random bytes fresh for each call (the MACs never reach the
 * database, so the comparison's timing says nothing about the stored one, C15), and consumes the
 * code and inserts the token it earns, or counts the try and logs it in the failed-tries budget,
 * which PostgreSQL keeps on the code's row (below).
 * On MariaDB an attempt is one transaction (set auto-commit, locking read, update or delete, commit,
 * reset auto-commit: five). An attempt that finds no countable code but a concurrent change (a
 * resend, another try that just locked it) reads the row once more to tell LOCKED, EXPIRED and
 * NOT_FOUND apart.
 *
 * <p><b>What is stored (C14).</b> Keyed hashes (MACs) of codes and hashes of tokens, never the
 * codes or tokens; addresses in clear as keys. Times are epoch milliseconds from the service's
 * clock, so expiry follows the service, never the database's clock. Expired codes stay (they
 * answer EXPIRED) until {@link #cleanup(Instant, int)}, which the application schedules.
 *
 * <p><b>Limits in the same round trip (PostgreSQL, MariaDB).</b> This store is a
 * {@link LimitingCodeStore}: with a {@link JdbcRateLimiter} on the same {@link DataSource} object
 * and table prefix, the service sends a code and takes the address's cooldown and caps in one round
 * trip and one commit, and counts a wrong try against the code and the failed-tries budget in one;
 * a failure leaves nothing half done (C29). On PostgreSQL a send is advisory locks and a CTE sent as
 * one execute, and a try one statement on the code's row: the row keeps the failed-tries budget of
 * its address and type ({@code failed_log}, the times of the latest failed tries, and
 * {@code failed_until}), so a wrong try is one single-row {@code UPDATE} that checks the budget,
 * counts the try and logs it, serialized by the row's own lock. A right code after failed tries
 * leaves the row without its code ({@code mac} null, read as no code by every call) until the
 * budget's window has passed, and {@link #cleanup(Instant, int)} keeps a row as long as its budget counts, so
 * neither a right, removed, replaced or expired code nor a new one resets the budget (C7). The
 * {@link JdbcRateLimiter} does not see this budget; the service asks only the store about it. On
 * MariaDB a {@code CALL} of a stored procedure whose body is one transaction (the
 * procedures, {@code <prefix>issue_limited_v2}, {@code <prefix>attempt_limited_v2},
 * {@code <prefix>consume_v2} and {@code <prefix>consume_token_v1}, are created by
 * {@code createTablesIfMissing(true)}; without them the calls are separate). A right verify is one
 * round trip on PostgreSQL and two on MariaDB (the counted try, then the consumption with the
 * token's insert). On MySQL and H2 the service calls the limiter and the store separately.
 *
 * <p><b>Failures (C29).</b> Each call borrows a connection, is bounded as a whole by
 * {@link Builder#timeout(Duration)} (the query timeout and the connection's network timeout are set
 * to the time left before every statement) and turns every {@link SQLException} into a
 * {@link StoreUnavailableException} naming the database URL without credentials. Waiting for a
 * connection is the pool's to bound: set HikariCP's {@code connectionTimeout} (or your pool's
 * equivalent) to at most the store's timeout. After an outage the next call borrows a new
 * connection, so the same store works again.
 *
 * <p>Thread-safe; holds no connection between calls.
 */
public final class JdbcCodeStore implements LimitingCodeStore {
  /** How often an attempt re-reads a row that a concurrent resend keeps changing. */
  static final int RETRIES = 3;

  private final Database db;
  private final JdbcDialect dialect;
  private final Duration cleanupGrace;
  private final String issueSql;
  private final String attemptSql;
  private final String lockCodeSql;
  private final String classifySql;
  private final String countSql;
  private final String consumeSql;
  private final String deleteKeySql;
  private final String invalidateSql;
  private final String storeTokenSql;
  private final String takeTokenSql;
  private final String takeTokenForAddressSql;
  private final String lockTokenSql;
  private final String lockTokenForAddressSql;
  private final String deleteTokenSql;
  private final String cleanupCodesSql;
  private final String cleanupTokensSql;
  /** The operations that take the limiter's permits with them ({@link LimitingCodeStore}). */
  private final LimitedCalls limited;

  private JdbcCodeStore(Builder b) {
    this.db = b.settings.open();
    this.dialect = db.resolveDialect(); // known after open: no second connection
    this.cleanupGrace = b.cleanupGrace;
    String codes = b.settings.tablePrefix() + "codes";
    String tokens = b.settings.tablePrefix() + "tokens";
    this.limited = new LimitedCalls(db, dialect, b.settings.tablePrefix());
    String columns = "(code_key, mac, expires_at, max_attempts, attempts) VALUES (?, ?, ?, ?, ?)";
    this.issueSql = switch (dialect) {
      case POSTGRESQL -> "INSERT INTO " + codes + " AS c " + columns + " ON CONFLICT (code_key) DO UPDATE SET "
          + replaceWithGrace("c.", "EXCLUDED.mac", "EXCLUDED.expires_at", "EXCLUDED.max_attempts",
              "EXCLUDED.attempts", "CAST(? AS BIGINT)");
      case MARIADB, MYSQL -> "INSERT INTO " + codes + " " + columns + " ON DUPLICATE KEY UPDATE "
          + replaceWithGrace("", "VALUES(mac)", "VALUES(expires_at)", "VALUES(max_attempts)", "VALUES(attempts)", "?");
      case H2 -> "MERGE INTO " + codes + " c USING (VALUES (CAST(? AS VARCHAR(300)), CAST(? AS VARBINARY(64)),"
          + " CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS INTEGER))) AS s(code_key, mac, expires_at,"
          + " max_attempts, attempts) ON c.code_key = s.code_key WHEN MATCHED THEN UPDATE SET "
          + replaceWithGrace("c.", "s.mac", "s.expires_at", "s.max_attempts", "s.attempts", "CAST(? AS BIGINT)")
          + " WHEN NOT MATCHED THEN INSERT (code_key, mac, expires_at, max_attempts, attempts)"
          + " VALUES (s.code_key, s.mac, s.expires_at, s.max_attempts, s.attempts)";
    };
    // a row without a code (mac null) keeps a failed-tries budget on PostgreSQL (LimitedCalls): no code
    String count = "UPDATE " + codes + " SET attempts = attempts + 1"
        + " WHERE code_key = ? AND mac IS NOT NULL AND attempts < max_attempts AND expires_at > ?";
    this.attemptSql = switch (dialect) {
      // one statement: the counted row, or (when nothing was counted) the row as it stood
      case POSTGRESQL -> "WITH counted AS (" + count
          + " RETURNING mac, attempts, max_attempts, expires_at, prev_mac, prev_until)"
          + " SELECT 1 AS counted, mac, attempts, max_attempts, expires_at, prev_mac, prev_until FROM counted"
          + " UNION ALL SELECT 0, CAST(NULL AS BYTEA), attempts, max_attempts, expires_at, CAST(NULL AS BYTEA),"
          + " CAST(NULL AS BIGINT) FROM " + codes + " WHERE code_key = ? AND mac IS NOT NULL"
          + " AND NOT EXISTS (SELECT 1 FROM counted)";
      case H2 -> "SELECT 1 AS counted, mac, attempts, max_attempts, expires_at, prev_mac, prev_until"
          + " FROM FINAL TABLE (" + count + ")";
      case MARIADB, MYSQL -> "";
    };
    this.lockCodeSql = "SELECT mac, attempts, max_attempts, expires_at, prev_mac, prev_until FROM " + codes
        + " WHERE code_key = ? FOR UPDATE";
    this.classifySql = "SELECT attempts, max_attempts, expires_at FROM " + codes
        + " WHERE code_key = ? AND mac IS NOT NULL";
    this.countSql = "UPDATE " + codes + " SET attempts = attempts + 1 WHERE code_key = ?";
    this.consumeSql = "DELETE FROM " + codes + " WHERE code_key = ? AND " + CONSUMABLE;
    this.deleteKeySql = "DELETE FROM " + codes + " WHERE code_key = ?";
    this.invalidateSql = dialect == JdbcDialect.POSTGRESQL
        // a row with failed tries keeps them, without its code, until they leave the budget's window (C7)
        ? "WITH kept AS (UPDATE " + codes + " SET mac = NULL, prev_mac = NULL, prev_until = NULL, attempts = 0,"
            + " max_attempts = 0, expires_at = failed_until WHERE code_key = ? AND mac IS NOT NULL"
            + " AND failed_log IS NOT NULL RETURNING 1), gone AS (DELETE FROM " + codes
            + " WHERE code_key = ? AND failed_log IS NULL RETURNING 1)"
            + " SELECT (SELECT count(*) FROM kept) + (SELECT count(*) FROM gone)"
        : deleteKeySql;
    this.storeTokenSql = "INSERT INTO " + tokens
        + " (token_hash, address, address_key, type, verified_at, expires_at, new_address)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    String take = "DELETE FROM " + tokens + " WHERE token_hash = ?";
    String takeForAddress = take + " AND address_key = ?";
    String record = "address, type, verified_at, expires_at, new_address";
    this.takeTokenSql = switch (dialect) {
      case POSTGRESQL, MARIADB -> take + " RETURNING " + record;
      case H2 -> "SELECT " + record + " FROM OLD TABLE (" + take + ")";
      case MYSQL -> "";
    };
    this.takeTokenForAddressSql = switch (dialect) {
      case POSTGRESQL, MARIADB -> takeForAddress + " RETURNING " + record;
      case H2 -> "SELECT " + record + " FROM OLD TABLE (" + takeForAddress + ")";
      case MYSQL -> "";
    };
    this.lockTokenSql = "SELECT " + record + " FROM " + tokens + " WHERE token_hash = ? FOR UPDATE";
    this.lockTokenForAddressSql = "SELECT " + record + " FROM " + tokens
        + " WHERE token_hash = ? AND address_key = ? FOR UPDATE";
    this.deleteTokenSql = take;
    this.cleanupCodesSql = dialect == JdbcDialect.POSTGRESQL
        // a row whose failed-tries budget is still in its window stays (C7): its code answers EXPIRED
        ? "DELETE FROM " + codes + " WHERE code_key IN (SELECT code_key FROM " + codes + " WHERE expires_at <= ?"
            + " AND COALESCE(failed_until, 0) <= ? LIMIT ?)"
        : cleanupSql(dialect, codes, "code_key");
    this.cleanupTokensSql = cleanupSql(dialect, tokens, "token_hash");
  }

  /**
   * Which row a matched MAC consumes (parameters: the MAC, the MAC again, now): the row whose code it
   * is, or, when a resend with grace replaced that code after the try was counted, the row that keeps
   * it as its previous code while the grace runs. Either way the row, both codes, is deleted.
   */
  private static final String CONSUMABLE = "(mac = ? OR (prev_mac = ? AND prev_until > ?))";

  /**
   * The {@code SET} list of an upsert that replaces a pending code (the resend grace, issue 21):
   * with a grace (parameter {@code graceEnd > 0}) and a replaced code that is neither expired nor
   * locked and has fewer tries than the new limit, its MAC becomes {@code prev_mac} until
   * {@code min(its expiry, graceEnd)} and its tries carry over; otherwise the previous columns are
   * cleared and the new code's tries are set. Every expression reads the replaced row's columns
   * before any is assigned (the MariaDB assignments run left to right, so the previous columns and
   * the tries come first). Parameters, in order: graceEnd, now, graceEnd, now, graceEnd, graceEnd,
   * now; see {@link #bindGrace}.
   *
   * @param old the replaced row's qualifier ({@code "c."}) or empty
   * @param param how a BIGINT parameter is written ({@code CAST(? AS BIGINT)} or {@code ?})
   */
  static String replaceWithGrace(String old, String mac, String expiresAt, String maxAttempts, String attempts,
      String param) {
    String keep = param + " > 0 AND " + old + "expires_at > " + param + " AND " + old + "attempts < " + old
        + "max_attempts AND " + old + "attempts < " + maxAttempts;
    return "prev_mac = CASE WHEN " + keep + " THEN " + old + "mac ELSE NULL END,"
        + " prev_until = CASE WHEN " + keep + " THEN LEAST(" + old + "expires_at, " + param + ") ELSE NULL END,"
        + " attempts = CASE WHEN " + keep + " THEN " + old + "attempts ELSE " + attempts + " END,"
        + " mac = " + mac + ", expires_at = " + expiresAt + ", max_attempts = " + maxAttempts;
  }

  /** Binds the parameters of {@link #replaceWithGrace} from {@code p} on; returns the next index. */
  static int bindGrace(PreparedStatement ps, int p, long graceEnd, long now) throws SQLException {
    ps.setLong(p++, graceEnd);
    ps.setLong(p++, now);
    ps.setLong(p++, graceEnd);
    ps.setLong(p++, now);
    ps.setLong(p++, graceEnd);
    ps.setLong(p++, graceEnd);
    ps.setLong(p++, now);
    return p;
  }

  /** The end of a resend grace starting now, epoch ms, or 0 for none. */
  private static long graceEnd(Duration resendGrace, Instant now) {
    Objects.requireNonNull(resendGrace, "resendGrace");
    if (resendGrace.isNegative()) {
      throw new IllegalArgumentException("resendGrace must not be negative, was " + resendGrace);
    }
    return resendGrace.isZero() ? 0 : now.plus(resendGrace).toEpochMilli();
  }

  /**
   * The MAC a try matched: the row's own, or its previous one while the grace runs ({@code now}
   * before {@code prevUntil}); null for no match. Both are compared in constant time, every time.
   */
  static byte @Nullable [] matchedMac(byte @Nullable [] mac, byte @Nullable [] prevMac, long prevUntil,
      List<byte[]> candidates, long now) {
    boolean current = PendingCode.macMatchesAny(mac, candidates);
    boolean previous = PendingCode.macMatchesAny(prevMac, candidates) && now < prevUntil;
    return current ? mac : previous ? prevMac : null;
  }

  /** {@code DELETE} at most {@code ?} rows with {@code expires_at <= ?}. */
  static String cleanupSql(JdbcDialect dialect, String table, String primaryKey) {
    return switch (dialect) {
      case POSTGRESQL -> "DELETE FROM " + table + " WHERE " + primaryKey + " IN (SELECT " + primaryKey + " FROM "
          + table + " WHERE expires_at <= ? LIMIT ?)";
      case MARIADB, MYSQL -> "DELETE FROM " + table + " WHERE expires_at <= ? LIMIT ?";
      case H2 -> "DELETE FROM " + table + " WHERE expires_at <= ? FETCH FIRST ? ROWS ONLY";
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
  public void issue(CodeKey key, PendingCode code, Instant now) {
    issue(key, code, Duration.ZERO, now);
  }

  @Override
  public boolean supportsResendGrace() {
    return true;
  }

  /**
   * One upsert that replaces the code and, with a grace, keeps the replaced one in
   * {@code prev_mac}/{@code prev_until} (see {@link #replaceWithGrace}); atomic under the row's
   * lock on every dialect.
   */
  @Override
  public void issue(CodeKey key, PendingCode code, Duration resendGrace, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(now, "now");
    long graceEnd = graceEnd(resendGrace, now);
    long nowMillis = now.toEpochMilli();
    String k = key.asString();
    byte[] mac = code.mac();
    long expiresAt = code.expiresAt().toEpochMilli();
    db.update("storing a code", s -> {
      for (int tries = 1; ; tries++) {
        try (PreparedStatement ps = s.prepare(issueSql)) {
          ps.setString(1, k);
          ps.setBytes(2, mac);
          ps.setLong(3, expiresAt);
          ps.setInt(4, code.maxAttempts());
          ps.setInt(5, code.attempts());
          bindGrace(ps, 6, graceEnd, nowMillis);
          ps.executeUpdate();
          return;
        } catch (SQLException e) {
          // H2's MERGE is an update then an insert: a concurrent first issue can collide once
          if (dialect != JdbcDialect.H2 || !"23505".equals(e.getSQLState()) || tries >= RETRIES) {
            throw e;
          }
        }
      }
    });
  }

  @Override
  public AttemptResult attempt(CodeKey key, List<byte[]> candidates, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(now, "now");
    String k = key.asString();
    long nowMillis = now.toEpochMilli();
    if (dialect == JdbcDialect.MARIADB || dialect == JdbcDialect.MYSQL) {
      return db.transaction("verifying a code", s -> attemptLocked(s, k, candidates, nowMillis));
    }
    return db.autoCommit("verifying a code", s -> {
      for (int round = 1; ; round++) {
        AttemptResult r = attemptOnce(s, k, candidates, nowMillis, round == RETRIES);
        if (r != null) {
          return r;
        }
      }
    });
  }

  /**
   * One conditional count. Returns null when nothing was counted and the row, read again, is
   * countable: a resend replaced it in between, so the try is made again on the new code.
   */
  private @Nullable AttemptResult attemptOnce(Database.Session s, String k, List<byte[]> candidates, long now,
      boolean last) throws SQLException {
    byte[] mac = null;
    int attempts = 0;
    int maxAttempts = 0;
    long expiresAt = 0;
    byte[] prevMac = null;
    long prevUntil = 0;
    boolean counted = false;
    boolean found = false;
    try (PreparedStatement ps = s.prepare(attemptSql)) {
      ps.setString(1, k);
      ps.setLong(2, now);
      if (dialect == JdbcDialect.POSTGRESQL) {
        ps.setString(3, k);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          found = true;
          counted = rs.getInt(1) == 1;
          mac = rs.getBytes(2);
          attempts = rs.getInt(3);
          maxAttempts = rs.getInt(4);
          expiresAt = rs.getLong(5);
          prevMac = rs.getBytes(6);
          prevUntil = rs.getLong(7);
        }
      }
    }
    if (counted) {
      byte[] matched = matchedMac(mac, prevMac, prevUntil, candidates, now);
      if (matched == null) {
        return AttemptResult.mismatched(Math.max(0, maxAttempts - attempts));
      }
      try (PreparedStatement ps = s.prepare(consumeSql)) {
        ps.setString(1, k);
        ps.setBytes(2, matched);
        ps.setBytes(3, matched);
        ps.setLong(4, now);
        // another right try consumed it first, or a resend replaced it: this try matched nothing
        return ps.executeUpdate() == 1 ? AttemptResult.matched() : AttemptResult.notFound();
      }
    }
    if (dialect == JdbcDialect.POSTGRESQL && !found) {
      matchedMac(null, null, 0, candidates, now); // a missing record costs the same work as a wrong code (C15)
      return AttemptResult.notFound();
    }
    if (found) {
      AttemptResult r = classify(attempts, maxAttempts, expiresAt, now);
      if (r != null) {
        return r;
      }
    }
    // The count found nothing, yet the row (as the statement saw it) was countable, or H2 does not
    // say: read the row as it is now.
    try (PreparedStatement ps = s.prepare(classifySql)) {
      ps.setString(1, k);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          PendingCode.macMatchesAny(null, candidates);
          return AttemptResult.notFound();
        }
        AttemptResult r = classify(rs.getInt(1), rs.getInt(2), rs.getLong(3), now);
        if (r != null) {
          return r;
        }
      }
    }
    // countable now: a new code was issued after the count; the old one, which this try was for,
    // is gone. After a few such rounds the try gives up as if it came before the new code.
    return last ? AttemptResult.notFound() : null;
  }

  /** EXPIRED or LOCKED, or null for a countable code. */
  static @Nullable AttemptResult classify(int attempts, int maxAttempts, long expiresAt, long now) {
    if (now >= expiresAt) {
      return AttemptResult.expired();
    }
    if (attempts >= maxAttempts) {
      return AttemptResult.locked();
    }
    return null;
  }

  /** MariaDB and MySQL: read the row under a lock, then count or consume it, in one transaction. */
  private AttemptResult attemptLocked(Database.Session s, String k, List<byte[]> candidates, long now)
      throws SQLException {
    byte[] mac;
    int attempts;
    int maxAttempts;
    long expiresAt;
    byte[] prevMac;
    long prevUntil;
    try (PreparedStatement ps = s.prepare(lockCodeSql)) {
      ps.setString(1, k);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          PendingCode.macMatchesAny(null, candidates);
          return AttemptResult.notFound();
        }
        mac = rs.getBytes(1);
        attempts = rs.getInt(2);
        maxAttempts = rs.getInt(3);
        expiresAt = rs.getLong(4);
        prevMac = rs.getBytes(5);
        prevUntil = rs.getLong(6);
      }
    }
    AttemptResult r = classify(attempts, maxAttempts, expiresAt, now);
    if (r != null) {
      return r;
    }
    boolean match = matchedMac(mac, prevMac, prevUntil, candidates, now) != null; // the row holds both codes
    try (PreparedStatement ps = s.prepare(match ? deleteKeySql : countSql)) {
      ps.setString(1, k);
      ps.executeUpdate();
    }
    return match ? AttemptResult.matched() : AttemptResult.mismatched(maxAttempts - attempts - 1);
  }

  /**
   * Tells whether the limiter keeps its permits in this store's database and tables: a
   * {@link JdbcRateLimiter} on the same {@link DataSource} object, with the same table prefix, on
   * PostgreSQL, or on MariaDB when this prefix's stored procedures exist (looked up once, here). On
   * MySQL and H2 the answer is {@code false}, and the service calls the limiter and the store
   * separately.
   */
  @Override
  public boolean sharesBucketsWith(RateLimiter limiter) {
    Objects.requireNonNull(limiter, "limiter");
    return limited.sharesBucketsWith(limiter);
  }

  /**
   * Takes the permits and stores the code in one round trip and one commit. PostgreSQL: the
   * buckets' advisory locks, in a fixed order, then one CTE that finds the first full bucket and,
   * if there is none, inserts a permit into each and upserts the code; all in one implicit
   * transaction. MariaDB: the same in the stored procedure {@code <prefix>issue_limited_v2} (bucket
   * rows locked in key order). A replay (the same code already stored) takes nothing.
   *
   * @throws UnsupportedOperationException on MySQL and H2, where
   *     {@link #sharesBucketsWith} is false and the service never calls this
   */
  @Override
  public Optional<Refusal> issue(CodeKey key, PendingCode code, List<Permit> permits, Instant now) {
    return issue(key, code, Duration.ZERO, permits, now);
  }

  /**
   * As {@link #issue(CodeKey, PendingCode, List, Instant)}, keeping the replaced code for the
   * grace with the same upsert as {@link #issue(CodeKey, PendingCode, Duration, Instant)}: still one
   * round trip and one commit.
   */
  @Override
  public Optional<Refusal> issue(CodeKey key, PendingCode code, Duration resendGrace, List<Permit> permits,
      Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(permits, "permits");
    Objects.requireNonNull(now, "now");
    return limited.issue(key, code, graceEnd(resendGrace, now), permits, now);
  }

  /**
   * Checks the budget and makes the try in one round trip and one commit. PostgreSQL: one statement
   * that counts a wrong try and logs it in the budget on the code's row, or consumes a right code
   * (see the class comment for how it compares; the bucket's name is not stored: the budget is the
   * key's). MariaDB: the procedure {@code <prefix>attempt_limited_v2} counts
   * the try and takes the permit before the MACs are compared in Java; a match then consumes the
   * code and gives the permit back in a second call.
   *
   * @throws UnsupportedOperationException on MySQL and H2, where
   *     {@link #sharesBucketsWith} is false and the service never calls this
   */
  @Override
  public Optional<AttemptResult> attempt(CodeKey key, List<byte[]> candidates, Permit failedTries, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(failedTries, "failedTries");
    Objects.requireNonNull(now, "now");
    return limited.attempt(key, candidates, failedTries, null, now);
  }

  /**
   * {@link #attempt(CodeKey, List, Permit, Instant)}, and on a match the token's insert in the same
   * statement as the code's consumption (PostgreSQL: the attempt's CTE inserts the token only if it
   * consumed the code), so a right verify is one round trip and one commit; on MariaDB the
   * attempt's call, then a second that consumes the code and inserts the token (the procedure
   * {@code <prefix>consume_token_v1}; without it, the token in a third).
   */
  @Override
  public Optional<AttemptResult> attemptAndStoreToken(CodeKey key, List<byte[]> candidates, Permit failedTries,
      String tokenHash, TokenRecord token, Instant now) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(token, "token");
    if (!limited.storesTokenWithMatch()) {
      return LimitingCodeStore.super.attemptAndStoreToken(key, candidates, failedTries, tokenHash, token, now);
    }
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(failedTries, "failedTries");
    Objects.requireNonNull(now, "now");
    return limited.attempt(key, candidates, failedTries, new LimitedCalls.TokenToStore(tokenHash, token), now);
  }

  @Override
  public boolean invalidate(CodeKey key) {
    String k = Objects.requireNonNull(key, "key").asString();
    return db.autoCommit("removing a code", s -> {
      try (PreparedStatement ps = s.prepare(invalidateSql)) {
        ps.setString(1, k);
        if (dialect != JdbcDialect.POSTGRESQL) {
          return ps.executeUpdate() > 0;
        }
        ps.setString(2, k);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getLong(1) > 0;
        }
      }
    });
  }

  @Override
  public void storeToken(String tokenHash, TokenRecord token, Instant now) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(now, "now");
    db.update("storing a token", s -> {
      try (PreparedStatement ps = s.prepare(storeTokenSql)) {
        ps.setString(1, tokenHash);
        ps.setString(2, token.address());
        ps.setString(3, token.address().toLowerCase(Locale.ROOT));
        ps.setString(4, token.type().name());
        ps.setLong(5, token.verifiedAt().toEpochMilli());
        ps.setLong(6, token.expiresAt().toEpochMilli());
        ps.setString(7, token.newAddress()); // null for every token but a revert token (C33)
        ps.executeUpdate();
        return;
      }
    });
  }

  @Override
  public Optional<TokenRecord> takeToken(String tokenHash, @Nullable String expectedAddress, Instant now) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(now, "now");
    Optional<TokenRecord> taken;
    if (dialect == JdbcDialect.MYSQL) {
      taken = db.transaction("taking a token", s -> {
        Optional<TokenRecord> found = readToken(s, expectedAddress == null ? lockTokenSql : lockTokenForAddressSql,
            tokenHash, expectedAddress);
        if (found.isPresent()) {
          try (PreparedStatement ps = s.prepare(deleteTokenSql)) {
            ps.setString(1, tokenHash);
            ps.executeUpdate();
          }
        }
        return found;
      });
    } else {
      taken = db.autoCommit("taking a token", s -> readToken(s,
          expectedAddress == null ? takeTokenSql : takeTokenForAddressSql, tokenHash, expectedAddress));
    }
    return taken.filter(t -> now.isBefore(t.expiresAt())); // an expired token is removed, never returned
  }

  private static Optional<TokenRecord> readToken(Database.Session s, String sql, String tokenHash,
      @Nullable String expectedAddress) throws SQLException {
    try (PreparedStatement ps = s.prepare(sql)) {
      ps.setString(1, tokenHash);
      if (expectedAddress != null) {
        ps.setString(2, expectedAddress);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new TokenRecord(rs.getString(1), VerificationType.of(rs.getString(2)),
            Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5)));
      }
    }
  }

  /**
   * Deletes expired rows, at most {@code maxRows} per call: codes that expired more than the
   * {@linkplain Builder#cleanupGrace(Duration) grace} before {@code now} (until then they answer
   * EXPIRED), and expired tokens. On PostgreSQL a code's row stays while the failed-tries budget it
   * keeps still counts (C7; see the class comment). The application schedules it, for example
   * every minute with 1,000 rows; each call is two short statements, so it never holds locks for
   * long.
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
    long codesBefore = now.minus(cleanupGrace).toEpochMilli();
    return db.readCommitted("deleting expired codes and tokens", s -> {
      int deleted = dialect == JdbcDialect.POSTGRESQL
          ? deleteCodes(s, codesBefore, now.toEpochMilli(), maxRows)
          : delete(s, cleanupCodesSql, codesBefore, maxRows);
      if (deleted < maxRows) {
        deleted += delete(s, cleanupTokensSql, now.toEpochMilli(), maxRows - deleted);
      }
      return deleted;
    });
  }

  /** PostgreSQL: {@link #cleanupCodesSql}, which keeps a row while its failed-tries budget counts. */
  private int deleteCodes(Database.Session s, long before, long now, int maxRows) throws SQLException {
    try (PreparedStatement ps = s.prepare(cleanupCodesSql)) {
      ps.setLong(1, before);
      ps.setLong(2, now);
      ps.setInt(3, maxRows);
      return ps.executeUpdate();
    }
  }

  static int delete(Database.Session s, String sql, long before, int maxRows) throws SQLException {
    try (PreparedStatement ps = s.prepare(sql)) {
      ps.setLong(1, before);
      ps.setInt(2, maxRows);
      return ps.executeUpdate();
    }
  }

  @Override
  public String toString() {
    return "JdbcCodeStore[" + dialect.displayName() + "]";
  }

  /**
   * Builds a {@link JdbcCodeStore}. Every setter checks its argument at once and names it when it
   * refuses one; calling a setter twice keeps the last value.
   */
  public static final class Builder {
    private final JdbcSettings settings;
    private Duration cleanupGrace = Duration.ofHours(1);

    private Builder(JdbcSettings settings) {
      this.settings = settings;
    }

    /**
     * Sets the prefix of the table names ({@code mailverify_codes}, {@code mailverify_tokens}).
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
     * Bounds every call of the store, all its statements together (C29): each statement's query
     * timeout and the connection's network timeout are set to the time left. The wait for a
     * connection is bounded by the pool: set its connection timeout to at most this value.
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
     * Sets how long expired codes are kept, so that they answer EXPIRED rather than NOT_FOUND,
     * before {@link #cleanup(Instant, int)} may delete them.
     *
     * @param value zero or more, at most 30 days; default 1 hour
     * @return this builder
     * @throws IllegalArgumentException outside that range
     */
    public Builder cleanupGrace(Duration value) {
      Objects.requireNonNull(value, "cleanupGrace");
      if (value.isNegative() || value.compareTo(Duration.ofDays(30)) > 0) {
        throw new IllegalArgumentException("cleanupGrace must be from 0 to 30 days, was " + value);
      }
      cleanupGrace = value;
      return this;
    }

    /**
     * Creates the tables and indexes at {@link #build()} when they do not exist, with the
     * statements of the dialect's schema file and this builder's prefix. Off by default: most
     * applications let their migration tool apply {@link JdbcDialect#schemaResource()}.
     *
     * @param value whether to create them
     * @return this builder
     */
    public Builder createTablesIfMissing(boolean value) {
      settings.createTablesIfMissing(value);
      return this;
    }

    /**
     * Builds the store. Unless a dialect was set, it connects once to detect it.
     *
     * @return the store
     * @throws StoreUnavailableException if the database is needed (to detect the dialect or create
     *     tables) and cannot be reached
     * @throws IllegalStateException if the database is not one this module speaks
     */
    public JdbcCodeStore build() {
      return new JdbcCodeStore(this);
    }
  }
}
