-- mailverify JDBC store, MariaDB 10.5+ (and MySQL 8). Apply with your migration tool (Flyway,
-- Liquibase), or let JdbcCodeStore/JdbcRateLimiter.builder(...).createTablesIfMissing(true) run these
-- statements at start. The table prefix "mailverify_" is the default; with another prefix, replace it
-- everywhere below. Times are epoch milliseconds (UTC) from the service's Clock. No code or token is
-- stored (C14): the outbox table (MariaDB 10.6+) holds each queued mail sealed by the transport.
-- Keys are ASCII with a binary collation: compared exactly, case-sensitive.

-- Pending codes: one per address and type, under the keyed hash (HMAC-SHA256) of the code.
-- prev_mac and prev_until: during a resend grace (VerificationPolicy.resendGrace), the keyed hash of
-- the code the resend replaced and when it stops working; NULL otherwise.
CREATE TABLE IF NOT EXISTS mailverify_codes (
  code_key     VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  mac          VARBINARY(64) NOT NULL,
  expires_at   BIGINT        NOT NULL,
  max_attempts INT           NOT NULL,
  attempts     INT           NOT NULL,
  prev_mac     VARBINARY(64) NULL,
  prev_until   BIGINT        NULL,
  INDEX mailverify_codes_expires (expires_at)
) ENGINE = InnoDB;
-- Migration for a table created before the resend grace (mailverify 0.x, issue 21). MariaDB (run by
-- createTablesIfMissing(true) too):
--   ALTER TABLE mailverify_codes ADD COLUMN IF NOT EXISTS prev_mac VARBINARY(64) NULL,
--     ADD COLUMN IF NOT EXISTS prev_until BIGINT NULL;
-- MySQL 8 (no IF NOT EXISTS; createTablesIfMissing(true) adds the columns when they are missing):
--   ALTER TABLE mailverify_codes ADD COLUMN prev_mac VARBINARY(64) NULL, ADD COLUMN prev_until BIGINT NULL;

-- Verification tokens, under the hash of the token. new_address is set only for the revert token of a
-- change of address (C33): address is then the old address, new_address the one it was changed to.
CREATE TABLE IF NOT EXISTS mailverify_tokens (
  token_hash  VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  address     VARCHAR(320) CHARACTER SET utf8mb4 NOT NULL,
  address_key VARCHAR(320) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  type        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  verified_at BIGINT       NOT NULL,
  expires_at  BIGINT       NOT NULL,
  new_address VARCHAR(320) CHARACTER SET utf8mb4 NULL,
  INDEX mailverify_tokens_expires (expires_at)
) ENGINE = InnoDB;
-- Added in issue 21 (C33): tables made by an older version get the column here (MariaDB 10.0.2+;
-- on MySQL 8, which has no ADD COLUMN IF NOT EXISTS, run ALTER TABLE ... ADD COLUMN new_address once).
ALTER TABLE mailverify_tokens ADD COLUMN IF NOT EXISTS new_address VARCHAR(320) CHARACTER SET utf8mb4 NULL;

-- Rate-limiter buckets: one row per key, locked by every decision on that key.
CREATE TABLE IF NOT EXISTS mailverify_buckets (
  bucket_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY
) ENGINE = InnoDB;

-- Rate-limiter permits: an exact sliding log per key.
CREATE TABLE IF NOT EXISTS mailverify_permits (
  id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  bucket_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  taken_at   BIGINT       NOT NULL,
  expires_at BIGINT       NOT NULL,
  INDEX mailverify_permits_key (bucket_key, taken_at, id),
  INDEX mailverify_permits_expires (expires_at)
) ENGINE = InnoDB;

-- Durable outbox (C31, JdbcMailOutbox): one row per queued mail until its final outcome, then the
-- row is deleted. The payload is the mail sealed by AsyncMailTransport (OutboxEntry.toBytes() of a
-- sealed entry: AES-256-GCM under a key derived from the application's secret), so the table holds
-- no code, link or address in clear. A row is free when lease_until <= now;
-- instances claim free, due rows with SELECT ... FOR UPDATE SKIP LOCKED (MariaDB 10.6+, MySQL 8)
-- and lease them.
CREATE TABLE IF NOT EXISTS mailverify_outbox (
  seq          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  entry_id     VARCHAR(36)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  payload      LONGBLOB     NOT NULL,
  queued_at    BIGINT       NOT NULL,
  not_after    BIGINT,
  next_attempt BIGINT       NOT NULL,
  attempts     INTEGER      NOT NULL,
  lease_owner  VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin,
  lease_until  BIGINT       NOT NULL,
  UNIQUE KEY mailverify_outbox_entry (entry_id),
  INDEX mailverify_outbox_due (lease_until, next_attempt)
) ENGINE = InnoDB;
