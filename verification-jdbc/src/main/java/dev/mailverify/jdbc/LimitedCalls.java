package dev.mailverify.jdbc;

import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.LimitingCodeStore.Permit;
import dev.mailverify.core.spi.LimitingCodeStore.Refusal;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.TokenRecord;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The half of {@link JdbcCodeStore} that takes the limiter's permits in the store's own round trip
 * ({@link dev.mailverify.core.spi.LimitingCodeStore}): a send that takes the address's cooldown and
 * caps with the code, a try counted against the code and the failed-tries budget together. On
 * PostgreSQL a send is the buckets' advisory locks and one CTE sent as one execute, and a try one
 * statement on the code's row, which keeps the address's failed-tries budget
 * ({@link #limitedAttemptSql(String, String)}); on MariaDB a {@code CALL} of one of this prefix's
 * stored procedures ({@link MariaDbProcedures}). The store
 * checks its arguments and hands the call here; MySQL and H2 never get here (the store's
 * {@link JdbcCodeStore#sharesBucketsWith} is false there, so the service calls the limiter).
 */
final class LimitedCalls {
  private final Database db;
  private final JdbcDialect dialect;
  private final String prefix;
  private final String codesTable;
  private final String permitsTable;
  /** MariaDB: whether {@code <prefix>consume_token_v1} exists (found by {@link #sharesBucketsWith}). */
  private volatile boolean tokenProcedure;
  /**
   * PostgreSQL: the try as one statement (see {@link #limitedAttemptPostgreSql}), with
   * {@code :name} parameters turned into {@code ?}; {@link #attemptParameters} names them in order.
   */
  private final String limitedAttemptSql;
  private final List<String> attemptParameters;

  LimitedCalls(Database db, JdbcDialect dialect, String prefix) {
    this.db = db;
    this.dialect = dialect;
    this.prefix = prefix;
    String codes = prefix + "codes";
    String tokens = prefix + "tokens";
    String permits = prefix + "permits";
    this.codesTable = codes;
    this.permitsTable = permits;
    Named attempt = Named.of(limitedAttemptSql(codes, tokens));
    this.limitedAttemptSql = attempt.sql();
    this.attemptParameters = attempt.names();
  }

  /**
   * PostgreSQL's try within the failed-tries budget, one statement. The budget of an address and
   * type is kept on the code's row: {@code failed_log}, the times of its latest failed tries (at
   * most the budget's limit, ascending), and {@code failed_until}, when the newest leaves the
   * window. The budget is full when the limit-th newest time is inside the window. Then
   * {@code counted} counts a wrong try and logs it ({@code UPDATE}, the row's own lock serializing
   * the tries: PostgreSQL re-checks the conditions, the budget's among them, on the newest version
   * of a row a concurrent try changed), or {@code consumed} deletes the row of a right code and
   * inserts the token the match earns. If failed tries still count, {@code kept} inserts the row
   * again as the budget alone (no code: {@code mac} is null, and it expires with
   * {@code failed_until}), so that neither a right code nor a new one gives a guesser a new budget
   * (C7). The two conditions exclude each other, so one write happens at most (a separate
   * {@code UPDATE} that cleared the code instead measured about 5% slower: one more index scan and
   * match on every try).
   */
  private static String limitedAttemptSql(String codes, String tokens) {
    String now = "CAST(:now AS BIGINT)";
    String limit = "CAST(:limit AS INTEGER)";
    String countable = "c.code_key = :k AND c.mac IS NOT NULL AND c.attempts < c.max_attempts AND c.expires_at > "
        + now;
    String full = "COALESCE(c.failed_log[cardinality(c.failed_log) + 1 - " + limit + "] > CAST(:cutoff AS BIGINT),"
        + " FALSE)";
    String hit = "COALESCE(sha256(CAST(:salt AS BYTEA) || c.mac) = ANY(CAST(:digests AS BYTEA[])) OR (c.prev_until > "
        + now + " AND sha256(CAST(:salt AS BYTEA) || c.prev_mac) = ANY(CAST(:digests AS BYTEA[]))), FALSE)";
    // the newest limit times, ascending: appended, or (a clock behind the newest time) sorted in
    String logged = "CASE WHEN c.failed_log IS NULL THEN ARRAY[" + now + "]"
        + " WHEN " + now + " >= c.failed_log[cardinality(c.failed_log)] THEN (c.failed_log || " + now
        + ")[GREATEST(1, cardinality(c.failed_log) + 2 - " + limit + "):]"
        + " ELSE ARRAY(SELECT x FROM unnest(c.failed_log || " + now + ") AS x ORDER BY x"
        + " OFFSET GREATEST(0, cardinality(c.failed_log) + 1 - " + limit + ")) END";
    return "WITH counted AS (UPDATE " + codes + " c SET attempts = c.attempts + 1, failed_log = " + logged
        + ", failed_until = GREATEST(COALESCE(c.failed_until, 0), CAST(:budget_end AS BIGINT))"
        + " WHERE " + countable + " AND NOT " + full + " AND NOT " + hit
        + " RETURNING c.mac, c.attempts, c.max_attempts, c.prev_mac, c.prev_until),"
        + " consumed AS (DELETE FROM " + codes + " c WHERE " + countable + " AND NOT " + full + " AND " + hit
        + " RETURNING c.mac, c.prev_mac, c.prev_until, c.failed_log, c.failed_until),"
        // failed tries that still count outlive the code: the row comes back without it (C7)
        + " kept AS (INSERT INTO " + codes + " (code_key, mac, expires_at, max_attempts, attempts, failed_log,"
        + " failed_until) SELECT :k, NULL, d.failed_until, 0, 0, d.failed_log, d.failed_until FROM consumed d"
        + " WHERE d.failed_until > " + now + "),"
        + " t AS (SELECT CAST(:token_hash AS VARCHAR) AS h, CAST(:token_address AS VARCHAR) AS address,"
        + " CAST(:token_address_key AS VARCHAR) AS address_key, CAST(:token_type AS VARCHAR) AS type,"
        + " CAST(:token_verified_at AS BIGINT) AS verified_at, CAST(:token_expires_at AS BIGINT) AS expires_at),"
        + " token AS (INSERT INTO " + tokens + " (token_hash, address, address_key, type, verified_at, expires_at)"
        + " SELECT t.h, t.address, t.address_key, t.type, t.verified_at, t.expires_at"
        + " FROM t, consumed WHERE t.h IS NOT NULL)"
        + " SELECT " + full + ", k.mac, k.attempts, k.max_attempts, c.attempts, c.max_attempts, c.expires_at,"
        + " k.prev_mac, k.prev_until, d.mac, d.prev_mac, d.prev_until, c.mac IS NULL"
        + " FROM (SELECT 1) AS one LEFT JOIN " + codes + " c ON c.code_key = :k"
        + " LEFT JOIN counted k ON TRUE LEFT JOIN consumed d ON TRUE";
  }

  /** SQL written with {@code :name} parameters, as JDBC takes it: {@code ?} and the names in order. */
  record Named(String sql, List<String> names) {
    private static final Pattern PARAMETER = Pattern.compile(":([a-z_]+)");

    static Named of(String sql) {
      List<String> names = new ArrayList<>();
      Matcher m = PARAMETER.matcher(sql);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        names.add(m.group(1));
        m.appendReplacement(out, "?");
      }
      m.appendTail(out);
      return new Named(out.toString(), List.copyOf(names));
    }
  }

  /**
   * Tells whether the limiter keeps its permits in this store's database and tables: a
   * {@link JdbcRateLimiter} on the same {@link javax.sql.DataSource} object, with the same table
   * prefix, on PostgreSQL, or on MariaDB when this prefix's stored procedures exist (looked up once,
   * here).
   */
  boolean sharesBucketsWith(RateLimiter limiter) {
    boolean same = (dialect == JdbcDialect.POSTGRESQL || dialect == JdbcDialect.MARIADB)
        && limiter instanceof JdbcRateLimiter l && l.dialect() == dialect && l.tablePrefix().equals(prefix)
        && l.database().dataSource() == db.dataSource();
    if (!same || dialect == JdbcDialect.POSTGRESQL) {
      return same;
    }
    try {
      if (!MariaDbProcedures.present(db, prefix)) {
        return false;
      }
      tokenProcedure = MariaDbProcedures.tokenProcedurePresent(db, prefix);
      return true;
    } catch (StoreUnavailableException e) {
      return false; // asked once, at build: the separate calls work without the procedures
    }
  }

  /** Whether a matched try can insert its token in the same round trip as the consumption. */
  boolean storesTokenWithMatch() {
    return dialect == JdbcDialect.POSTGRESQL || (dialect == JdbcDialect.MARIADB && tokenProcedure);
  }

  /**
   * Takes the permits and stores the code in one round trip and one commit (see
   * {@link JdbcCodeStore#issue(CodeKey, PendingCode, Duration, List, Instant)}).
   *
   * @param graceEnd the end of the resend grace, epoch ms, or 0 for none
   */
  Optional<Refusal> issue(CodeKey key, PendingCode code, long graceEnd, List<Permit> permits, Instant now) {
    requireLimiting();
    if (dialect == JdbcDialect.MARIADB) {
      return issueByProcedure(key, code, permits, graceEnd, now);
    }
    int n = permits.size();
    String[] buckets = new String[n];
    long[] locks = new long[n];
    for (int i = 0; i < n; i++) {
      buckets[i] = JdbcRateLimiter.storedKey(permits.get(i).bucket());
      locks[i] = JdbcRateLimiter.lockId(prefix, buckets[i]);
    }
    long[] ordered = locks.clone();
    Arrays.sort(ordered); // one order for every caller: no deadlock between sends
    String sql = limitedIssueSql(n);
    long nowMillis = now.toEpochMilli();
    byte[] mac = code.mac();
    return db.autoCommit("storing a code and taking its permits", s -> {
      try (PreparedStatement ps = s.prepare(sql)) {
        int p = 1;
        for (long lock : ordered) {
          ps.setLong(p++, lock);
        }
        ps.setString(p++, key.asString());
        ps.setBytes(p++, mac);
        for (int i = 0; i < n; i++) {
          Permit permit = permits.get(i);
          ps.setString(p++, buckets[i]);
          ps.setLong(p++, nowMillis - permit.quota().window().toMillis());
          ps.setInt(p++, permit.quota().limit() - 1);
        }
        ps.setLong(p++, nowMillis);
        for (int i = 0; i < n; i++) {
          ps.setString(p++, buckets[i]);
          ps.setLong(p++, nowMillis + permits.get(i).quota().window().toMillis());
        }
        ps.setString(p++, key.asString());
        ps.setBytes(p++, mac);
        ps.setLong(p++, code.expiresAt().toEpochMilli());
        ps.setInt(p++, code.maxAttempts());
        ps.setInt(p++, code.attempts());
        JdbcCodeStore.bindGrace(ps, p, graceEnd, nowMillis);
        boolean rows = ps.execute();
        for (int i = 0; i < n; i++) {
          rows = ps.getMoreResults();
        }
        if (!rows) {
          throw new SQLException("expected the issue's result after the locks");
        }
        try (ResultSet rs = ps.getResultSet()) {
          rs.next();
          int refused = rs.getInt(1);
          if (rs.wasNull()) {
            return Optional.<Refusal>empty();
          }
          long blocking = rs.getLong(2);
          long wait = blocking + permits.get(refused).quota().window().toMillis() - nowMillis;
          return Optional.of(new Refusal(refused, Duration.ofMillis(Math.max(0, wait))));
        }
      }
    });
  }

  /** The SQL of {@link #issue(CodeKey, PendingCode, long, List, Instant)} for n permits. */
  private String limitedIssueSql(int n) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sql.append("SELECT pg_advisory_xact_lock(?);\n");
    }
    // a replay (this very code already stored: a retry of a call that timed out) takes nothing
    sql.append("WITH replay AS (SELECT 1 FROM ").append(codesTable)
        .append(" WHERE code_key = CAST(? AS VARCHAR) AND mac = CAST(? AS BYTEA)), ");
    for (int i = 0; i < n; i++) {
      sql.append("b").append(i).append(" AS (SELECT taken_at FROM ").append(permitsTable)
          .append(" WHERE bucket_key = ? AND taken_at > ? ORDER BY taken_at DESC, id DESC")
          .append(" OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY), ");
    }
    sql.append("refused AS (SELECT i, blocking FROM (");
    if (n == 0) {
      sql.append("SELECT 0 AS i, CAST(NULL AS BIGINT) AS blocking WHERE FALSE");
    }
    for (int i = 0; i < n; i++) {
      sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(" AS i, taken_at AS blocking FROM b")
          .append(i);
    }
    sql.append(") AS u WHERE NOT EXISTS (SELECT 1 FROM replay) ORDER BY i LIMIT 1), ");
    sql.append("taken AS (INSERT INTO ").append(permitsTable).append(" (bucket_key, taken_at, expires_at) SELECT v.k, ")
        .append("CAST(? AS BIGINT), v.e FROM (VALUES ");
    if (n == 0) {
      sql.append("(CAST(NULL AS VARCHAR), CAST(NULL AS BIGINT))");
    }
    for (int i = 0; i < n; i++) {
      sql.append(i == 0 ? "" : ", ").append("(CAST(? AS VARCHAR), CAST(? AS BIGINT))");
    }
    sql.append(") AS v(k, e) WHERE v.k IS NOT NULL AND NOT EXISTS (SELECT 1 FROM refused)")
        .append(" AND NOT EXISTS (SELECT 1 FROM replay) RETURNING 1), ");
    sql.append("code AS (INSERT INTO ").append(codesTable)
        .append(" AS c (code_key, mac, expires_at, max_attempts, attempts)")
        .append(" SELECT CAST(? AS VARCHAR), CAST(? AS BYTEA), CAST(? AS BIGINT), CAST(? AS INTEGER),")
        .append(" CAST(? AS INTEGER) WHERE NOT EXISTS (SELECT 1 FROM refused) AND NOT EXISTS (SELECT 1 FROM replay)")
        .append(" ON CONFLICT (code_key) DO UPDATE SET ")
        .append(JdbcCodeStore.replaceWithGrace("c.", "EXCLUDED.mac", "EXCLUDED.expires_at", "EXCLUDED.max_attempts",
            "EXCLUDED.attempts", "CAST(? AS BIGINT)"))
        .append(" RETURNING 1) ")
        .append("SELECT (SELECT i FROM refused), (SELECT blocking FROM refused), (SELECT count(*) FROM taken),")
        .append(" (SELECT count(*) FROM code)");
    return sql.toString();
  }

  /**
   * Checks the budget and makes the try in one round trip and one commit (see
   * {@link JdbcCodeStore#attempt(CodeKey, List, Permit, Instant)}); with a token, a match inserts it
   * with the code's consumption.
   */
  Optional<AttemptResult> attempt(CodeKey key, List<byte[]> candidates, Permit failedTries,
      @Nullable TokenToStore token, Instant now) {
    requireLimiting();
    String k = key.asString();
    String bucket = JdbcRateLimiter.storedKey(failedTries.bucket());
    long nowMillis = now.toEpochMilli();
    long window = failedTries.quota().window().toMillis();
    return db.autoCommit("verifying a code within the failed-tries budget", s -> {
      for (int round = 1; ; round++) {
        LimitedTry r = limitedAttemptOnce(s, k, bucket, window, failedTries.quota().limit(), candidates, nowMillis,
            token);
        if (r != null) {
          return Optional.ofNullable(r.result());
        }
        if (round == JdbcCodeStore.RETRIES) {
          return Optional.of(AttemptResult.notFound());
        }
      }
    });
  }

  /** The token to insert with a matched code's consumption. */
  record TokenToStore(String hash, TokenRecord record) {}

  /** What one limited try found: its result, or none when the budget was used up. */
  private record LimitedTry(@Nullable AttemptResult result) {
    static final LimitedTry BUDGET_USED_UP = new LimitedTry(null);
  }

  /** One try; null when nothing was counted yet the row is countable (a resend replaced it): try again. */
  private @Nullable LimitedTry limitedAttemptOnce(Database.Session s, String k, String bucket,
      long window, int limit, List<byte[]> candidates, long now, @Nullable TokenToStore token) throws SQLException {
    if (dialect != JdbcDialect.MARIADB) {
      return limitedAttemptPostgreSql(s, k, window, limit, candidates, now, token);
    }
    byte[] mac;
    int attempts;
    int maxAttempts;
    long permitId;
    byte[] prevMac;
    long prevUntil;
    try (PreparedStatement ps = s.prepare("CALL " + MariaDbProcedures.attemptLimited(prefix) + "(?, ?, ?, ?, ?)")) {
      ps.setString(1, k);
      ps.setLong(2, now);
      ps.setString(3, bucket);
      ps.setLong(4, window);
      ps.setInt(5, limit);
      try (ResultSet rs = MariaDbProcedures.firstResultSet(ps)) {
        rs.next();
        if (rs.getLong(1) > 0) {
          return LimitedTry.BUDGET_USED_UP; // the budget is used up: nothing compared, nothing counted
        }
        if (rs.getLong(2) == 0) {
          int rowAttempts = rs.getInt(7);
          if (rs.wasNull()) {
            JdbcCodeStore.matchedMac(null, null, 0, candidates, now); // a missing record costs the same work (C15)
            return new LimitedTry(AttemptResult.notFound());
          }
          AttemptResult r = JdbcCodeStore.classify(rowAttempts, rs.getInt(8), rs.getLong(9), now);
          return r != null ? new LimitedTry(r) : null;
        }
        mac = rs.getBytes(3);
        attempts = rs.getInt(4);
        maxAttempts = rs.getInt(5);
        permitId = rs.getLong(6);
        prevMac = rs.getBytes(10);
        prevUntil = rs.getLong(11);
      }
    }
    byte[] matched = JdbcCodeStore.matchedMac(mac, prevMac, prevUntil, candidates, now);
    if (matched == null) {
      return new LimitedTry(AttemptResult.mismatched(Math.max(0, maxAttempts - attempts)));
    }
    try (PreparedStatement ps = s.prepare(token == null
        ? "CALL " + MariaDbProcedures.consume(prefix) + "(?, ?, ?, ?)"
        : "CALL " + MariaDbProcedures.consumeWithToken(prefix) + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, k);
      ps.setBytes(2, matched);
      ps.setLong(3, permitId);
      ps.setLong(4, now);
      if (token != null) {
        ps.setString(5, token.hash());
        ps.setString(6, token.record().address());
        ps.setString(7, token.record().address().toLowerCase(Locale.ROOT));
        ps.setString(8, token.record().type().name());
        ps.setLong(9, token.record().verifiedAt().toEpochMilli());
        ps.setLong(10, token.record().expiresAt().toEpochMilli());
      }
      try (ResultSet rs = MariaDbProcedures.firstResultSet(ps)) {
        rs.next();
        return new LimitedTry(rs.getInt(1) == 1 ? AttemptResult.matched() : AttemptResult.notFound());
      }
    }
  }

  /**
   * PostgreSQL: one try as one round trip and one commit, whatever its outcome: runs
   * {@link #limitedAttemptSql(String, String)} (counts a wrong try and logs it in the row's
   * failed-tries budget, or consumes a right code and inserts the token it earns) and reads its row.
   * The statement tells a right code from a wrong one by comparing SHA-256 digests of the MACs
   * salted with 16 fresh random bytes ({@link #saltedDigests}); the MACs themselves never reach the
   * database, so the comparison's timing says nothing about the stored MAC (C15). The MACs the
   * statement returns are then compared in Java as on every other store, so every outcome costs
   * the same Java work.
   */
  private @Nullable LimitedTry limitedAttemptPostgreSql(Database.Session s, String k, long window, int limit,
      List<byte[]> candidates, long now, @Nullable TokenToStore token) throws SQLException {
    byte[] salt = new byte[SALT_BYTES];
    SALT_RANDOM.get().nextBytes(salt);
    try (PreparedStatement ps = s.prepare(limitedAttemptSql)) {
      Array digests = s.connection().createArrayOf("bytea", saltedDigests(salt, candidates));
      for (int i = 0; i < attemptParameters.size(); i++) {
        int p = i + 1;
        switch (attemptParameters.get(i)) {
          case "k" -> ps.setString(p, k);
          case "now" -> ps.setLong(p, now);
          case "limit" -> ps.setInt(p, limit);
          case "cutoff" -> ps.setLong(p, now - window);
          case "budget_end" -> ps.setLong(p, now + window);
          case "salt" -> ps.setBytes(p, salt);
          case "digests" -> ps.setArray(p, digests);
          case "token_hash" -> ps.setString(p, token == null ? null : token.hash());
          case "token_address" -> ps.setString(p, token == null ? null : token.record().address());
          case "token_address_key" -> ps.setString(p, token == null ? null
              : token.record().address().toLowerCase(Locale.ROOT));
          case "token_type" -> ps.setString(p, token == null ? null : token.record().type().name());
          case "token_verified_at" -> ps.setLong(p, token == null ? 0 : token.record().verifiedAt().toEpochMilli());
          case "token_expires_at" -> ps.setLong(p, token == null ? 0 : token.record().expiresAt().toEpochMilli());
          default -> throw new IllegalStateException("unbound parameter " + attemptParameters.get(i));
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        // a code's mac is never null: a row of consumed or counted has one, their absence none
        byte[] consumedMac = rs.getBytes(10);
        if (consumedMac != null) { // a right code: consumed, and its token inserted with it
          JdbcCodeStore.matchedMac(consumedMac, rs.getBytes(11), rs.getLong(12), candidates, now);
          return new LimitedTry(AttemptResult.matched());
        }
        byte[] countedMac = rs.getBytes(2);
        if (countedMac != null) { // a wrong code: counted, and logged in the budget
          JdbcCodeStore.matchedMac(countedMac, rs.getBytes(8), rs.getLong(9), candidates, now);
          return new LimitedTry(AttemptResult.mismatched(Math.max(0, rs.getInt(4) - rs.getInt(3))));
        }
        JdbcCodeStore.matchedMac(null, null, 0, candidates, now); // nothing compared here: the same work (C15)
        if (rs.getBoolean(1)) {
          return LimitedTry.BUDGET_USED_UP; // the budget is used up: nothing compared, nothing counted
        }
        int rowAttempts = rs.getInt(5);
        if (rs.wasNull() || rs.getBoolean(13)) { // no row, or only a budget's (no code pending)
          return new LimitedTry(AttemptResult.notFound());
        }
        // expired or locked; or countable yet untouched: a resend or a right try changed the row
        // after the statement's snapshot, so try again on the row as it is now
        AttemptResult r = JdbcCodeStore.classify(rowAttempts, rs.getInt(6), rs.getLong(7), now);
        return r != null ? new LimitedTry(r) : null;
      }
    }
  }

  /** How many random bytes salt the digests one PostgreSQL attempt compares. */
  private static final int SALT_BYTES = 16;

  /** Where the salts come from: one DRBG per thread (no lock shared by the threads of a pool). */
  private static final ThreadLocal<SecureRandom> SALT_RANDOM = ThreadLocal.withInitial(() -> {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  });

  /** One SHA-256 per thread for {@link #saltedDigests} (a lookup by name each call cost more than the digest). */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  });

  /** SHA-256 of {@code salt || candidate} for each candidate MAC, as the statement computes them. */
  static byte[][] saltedDigests(byte[] salt, List<byte[]> candidates) {
    MessageDigest sha256 = SHA256.get();
    byte[][] digests = new byte[candidates.size()][];
    for (int i = 0; i < digests.length; i++) {
      sha256.update(salt);
      digests[i] = sha256.digest(candidates.get(i));
    }
    return digests;
  }

  private void requireLimiting() {
    if (dialect != JdbcDialect.POSTGRESQL && dialect != JdbcDialect.MARIADB) {
      throw new UnsupportedOperationException("taking rate-limit permits with a code is implemented on PostgreSQL"
          + " and MariaDB only; on " + dialect.displayName()
          + " sharesBucketsWith is false and the service calls the limiter");
    }
  }

  /**
   * MariaDB: one {@code CALL} of {@code <prefix>issue_limited_v2}, whose body locks the buckets (in
   * key order), finds the first full one or takes a permit of each and upserts the code, in one
   * transaction: one round trip, one commit.
   */
  private Optional<Refusal> issueByProcedure(CodeKey key, PendingCode code, List<Permit> permits, long graceEnd,
      Instant now) {
    int n = permits.size();
    Integer[] order = new Integer[n];
    String[] buckets = new String[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      buckets[i] = JdbcRateLimiter.storedKey(permits.get(i).bucket());
    }
    Arrays.sort(order, (x, y) -> buckets[x].compareTo(buckets[y])); // one lock order for every caller
    StringBuilder records = new StringBuilder();
    for (int i : order) {
      Permit permit = permits.get(i);
      if (records.length() > 0) {
        records.append(MariaDbProcedures.RECORD);
      }
      records.append(i).append(MariaDbProcedures.FIELD).append(buckets[i]).append(MariaDbProcedures.FIELD)
          .append(permit.quota().window().toMillis()).append(MariaDbProcedures.FIELD).append(permit.quota().limit());
    }
    long nowMillis = now.toEpochMilli();
    return db.autoCommit("storing a code and taking its permits", s -> {
      try (PreparedStatement ps = s.prepare("CALL " + MariaDbProcedures.issueLimited(prefix)
          + "(?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, key.asString());
        ps.setBytes(2, code.mac());
        ps.setLong(3, code.expiresAt().toEpochMilli());
        ps.setInt(4, code.maxAttempts());
        ps.setInt(5, code.attempts());
        ps.setLong(6, nowMillis);
        ps.setString(7, records.toString());
        ps.setLong(8, graceEnd);
        try (ResultSet rs = MariaDbProcedures.firstResultSet(ps)) {
          rs.next();
          int refused = rs.getInt(1);
          if (rs.wasNull()) {
            return Optional.<Refusal>empty();
          }
          long wait = rs.getLong(2) + permits.get(refused).quota().window().toMillis() - nowMillis;
          return Optional.of(new Refusal(refused, Duration.ofMillis(Math.max(0, wait))));
        }
      }
    });
  }
}
