package dev.mailverify.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The stored procedures that make a send and a wrong try one round trip and one commit on MariaDB
 * (a {@code CALL}, whose body runs one transaction). Named with the table prefix and a version
 * ({@code <prefix>issue_limited_v2}; v2 added the resend grace), created with {@code CREATE PROCEDURE IF NOT EXISTS} by
 * {@code createTablesIfMissing(true)}; a later version that changes a body gets a new name, so
 * instances of two versions can share a database during a rolling update.
 *
 * <p>Locking: each bucket's row in {@code <prefix>buckets} is written ({@code INSERT ... ON
 * DUPLICATE KEY UPDATE}) before anything is read, so InnoDB takes the transaction's read view only
 * after every lock is held (the same rule {@link JdbcRateLimiter} follows), and the buckets of a
 * send are locked in one order (sorted by key) by every caller.
 */
final class MariaDbProcedures {
  /** Separates the bucket records passed to {@code issue_limited} (ASCII record separator). */
  static final char RECORD = 30;
  /** Separates the fields of one bucket record (ASCII unit separator). */
  static final char FIELD = 31;

  private MariaDbProcedures() {}

  static String issueLimited(String prefix) {
    return prefix + "issue_limited_v2";
  }

  static String attemptLimited(String prefix) {
    return prefix + "attempt_limited_v2";
  }

  static String consume(String prefix) {
    return prefix + "consume_v2";
  }

  /** {@link #consume} that also inserts the token the match earns: a right verify in two calls. */
  static String consumeWithToken(String prefix) {
    return prefix + "consume_token_v1";
  }

  /** The {@code CREATE PROCEDURE IF NOT EXISTS} statements for a table prefix. */
  static List<String> create(String p) {
    String parse = """
              SET rec = SUBSTRING_INDEX(SUBSTRING_INDEX(p_buckets, CHAR(30), i + 1), CHAR(30), -1);
              SET idx = CAST(SUBSTRING_INDEX(rec, CHAR(31), 1) AS SIGNED);
              SET bk = SUBSTRING_INDEX(SUBSTRING_INDEX(rec, CHAR(31), 2), CHAR(31), -1);
              SET w = CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(rec, CHAR(31), 3), CHAR(31), -1) AS SIGNED);
              SET lim = CAST(SUBSTRING_INDEX(rec, CHAR(31), -1) AS SIGNED);
        """;
    String issue = """
        CREATE PROCEDURE IF NOT EXISTS %1$s(IN p_code VARCHAR(300), IN p_mac VARBINARY(64), IN p_expires BIGINT,
            IN p_max INT, IN p_attempts INT, IN p_now BIGINT, IN p_buckets TEXT, IN p_grace_end BIGINT)
        MODIFIES SQL DATA
        BEGIN
          DECLARE n INT DEFAULT 0;
          DECLARE i INT DEFAULT 0;
          DECLARE rec TEXT;
          DECLARE idx INT;
          DECLARE bk VARCHAR(255);
          DECLARE w BIGINT;
          DECLARE lim INT;
          DECLARE c BIGINT;
          DECLARE refused INT DEFAULT NULL;
          DECLARE blocking BIGINT DEFAULT NULL;
          DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
          IF p_buckets <> '' THEN
            SET n = LENGTH(p_buckets) - LENGTH(REPLACE(p_buckets, CHAR(30), '')) + 1;
          END IF;
          START TRANSACTION;
          WHILE i < n DO
        %3$s
            INSERT INTO %2$sbuckets (bucket_key) VALUES (bk) ON DUPLICATE KEY UPDATE bucket_key = bucket_key;
            SET i = i + 1;
          END WHILE;
          IF NOT EXISTS (SELECT 1 FROM %2$scodes WHERE code_key = p_code AND mac = p_mac) THEN
            SET i = 0;
            WHILE i < n DO
        %3$s
              SELECT count(*) INTO c FROM %2$spermits WHERE bucket_key = bk AND taken_at > p_now - w;
              IF c >= lim AND (refused IS NULL OR idx < refused) THEN
                SET refused = idx;
                SET lim = lim - 1;
                SELECT taken_at INTO blocking FROM %2$spermits WHERE bucket_key = bk AND taken_at > p_now - w
                  ORDER BY taken_at DESC, id DESC LIMIT lim, 1;
              END IF;
              SET i = i + 1;
            END WHILE;
            IF refused IS NULL THEN
              SET i = 0;
              WHILE i < n DO
        %3$s
                INSERT INTO %2$spermits (bucket_key, taken_at, expires_at) VALUES (bk, p_now, p_now + w);
                SET i = i + 1;
              END WHILE;
              INSERT INTO %2$scodes (code_key, mac, expires_at, max_attempts, attempts)
                VALUES (p_code, p_mac, p_expires, p_max, p_attempts)
                ON DUPLICATE KEY UPDATE
                  prev_mac = IF(p_grace_end > 0 AND expires_at > p_now AND attempts < max_attempts
                    AND attempts < p_max, mac, NULL),
                  prev_until = IF(p_grace_end > 0 AND expires_at > p_now AND attempts < max_attempts
                    AND attempts < p_max, LEAST(expires_at, p_grace_end), NULL),
                  attempts = IF(p_grace_end > 0 AND expires_at > p_now AND attempts < max_attempts
                    AND attempts < p_max, attempts, p_attempts),
                  mac = p_mac, expires_at = p_expires, max_attempts = p_max;
            END IF;
          END IF;
          COMMIT;
          SELECT refused, blocking;
        END""".formatted(issueLimited(p), p, parse);
    String attempt = """
        CREATE PROCEDURE IF NOT EXISTS %1$s(IN p_code VARCHAR(300), IN p_now BIGINT, IN p_bucket VARCHAR(255),
            IN p_window BIGINT, IN p_limit INT)
        MODIFIES SQL DATA
        BEGIN
          DECLARE c BIGINT;
          DECLARE counted INT DEFAULT 0;
          DECLARE permit BIGINT DEFAULT NULL;
          DECLARE r_mac VARBINARY(64) DEFAULT NULL;
          DECLARE r_attempts INT DEFAULT NULL;
          DECLARE r_max INT DEFAULT NULL;
          DECLARE r_expires BIGINT DEFAULT NULL;
          DECLARE r_prev_mac VARBINARY(64) DEFAULT NULL;
          DECLARE r_prev_until BIGINT DEFAULT NULL;
          DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
          START TRANSACTION;
          INSERT INTO %2$sbuckets (bucket_key) VALUES (p_bucket) ON DUPLICATE KEY UPDATE bucket_key = bucket_key;
          SELECT count(*) INTO c FROM %2$spermits WHERE bucket_key = p_bucket AND taken_at > p_now - p_window;
          IF c >= p_limit THEN
            COMMIT;
            SELECT 1, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL;
          ELSE
            UPDATE %2$scodes SET attempts = attempts + 1
              WHERE code_key = p_code AND attempts < max_attempts AND expires_at > p_now;
            SET counted = ROW_COUNT();
            IF counted = 1 THEN
              INSERT INTO %2$spermits (bucket_key, taken_at, expires_at) VALUES (p_bucket, p_now, p_now + p_window);
              SET permit = LAST_INSERT_ID();
            END IF;
            SELECT mac, attempts, max_attempts, expires_at, prev_mac, prev_until
              INTO r_mac, r_attempts, r_max, r_expires, r_prev_mac, r_prev_until
              FROM (SELECT 1) AS one LEFT JOIN %2$scodes c ON c.code_key = p_code FOR UPDATE;
            COMMIT;
            IF counted = 1 THEN
              SELECT 0, 1, r_mac, r_attempts, r_max, permit, r_attempts, r_max, r_expires, r_prev_mac, r_prev_until;
            ELSE
              SELECT 0, 0, NULL, NULL, NULL, NULL, r_attempts, r_max, r_expires, NULL, NULL;
            END IF;
          END IF;
        END""".formatted(attemptLimited(p), p);
    // consume_v2 and consume_token_v1: delete the matched code, give the try's permit back and,
    // in consume_token_v1 only, insert the token the match earned; one transaction
    String consumeBody = """
        MODIFIES SQL DATA
        BEGIN
          DECLARE consumed INT DEFAULT 0;
          DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;
          START TRANSACTION;
          DELETE FROM %1$scodes WHERE code_key = p_code
            AND (mac = p_mac OR (prev_mac = p_mac AND prev_until > p_now));
          SET consumed = ROW_COUNT();
          DELETE FROM %1$spermits WHERE id = p_permit;
        %2$s
          COMMIT;
          SELECT consumed;
        END""";
    String consume = """
        CREATE PROCEDURE IF NOT EXISTS %s(IN p_code VARCHAR(300), IN p_mac VARBINARY(64), IN p_permit BIGINT,
            IN p_now BIGINT)
        """.formatted(consume(p)) + consumeBody.formatted(p, "");
    String consumeWithToken = """
        CREATE PROCEDURE IF NOT EXISTS %s(IN p_code VARCHAR(300), IN p_mac VARBINARY(64), IN p_permit BIGINT,
            IN p_now BIGINT, IN p_token VARCHAR(128), IN p_address VARCHAR(320), IN p_address_key VARCHAR(320),
            IN p_type VARCHAR(64), IN p_verified BIGINT, IN p_token_expires BIGINT)
        """.formatted(consumeWithToken(p)) + consumeBody.formatted(p, """
          IF consumed = 1 THEN
            INSERT INTO %stokens (token_hash, address, address_key, type, verified_at, expires_at)
              VALUES (p_token, p_address, p_address_key, p_type, p_verified, p_token_expires);
          END IF;""".formatted(p));
    return List.of(issue, attempt, consume, consumeWithToken);
  }

  /**
   * Whether {@link #consumeWithToken} exists: tables made by a build before it have the other three
   * procedures only, until {@code createTablesIfMissing(true)} runs again; then a right verify
   * stores its token in a call of its own.
   */
  static boolean tokenProcedurePresent(Database db, String prefix) {
    return db.autoCommit("looking for the stored procedures", s -> {
      try (PreparedStatement ps = s.prepare("SELECT count(*) FROM information_schema.ROUTINES"
          + " WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE = 'PROCEDURE' AND ROUTINE_NAME = ?")) {
        ps.setString(1, consumeWithToken(prefix));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getInt(1) == 1;
        }
      }
    });
  }

  /** Whether the first three procedures of the prefix exist in the connection's current database. */
  static boolean present(Database db, String prefix) {
    return db.autoCommit("looking for the stored procedures", s -> {
      try (PreparedStatement ps = s.prepare("SELECT count(*) FROM information_schema.ROUTINES"
          + " WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE = 'PROCEDURE' AND ROUTINE_NAME IN (?, ?, ?)")) {
        ps.setString(1, issueLimited(prefix));
        ps.setString(2, attemptLimited(prefix));
        ps.setString(3, consume(prefix));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getInt(1) == 3;
        }
      }
    });
  }

  /** Reads the one-row answer of a {@code CALL}: the first result set, skipping update counts. */
  static ResultSet firstResultSet(PreparedStatement ps) throws SQLException {
    boolean isResultSet = ps.execute();
    while (!isResultSet) {
      if (ps.getUpdateCount() == -1) {
        throw new SQLException("the procedure answered no row");
      }
      isResultSet = ps.getMoreResults();
    }
    return ps.getResultSet();
  }
}
