package dev.mailverify.jdbc;

import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.core.spi.OutboxEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A durable {@link MailOutbox} in the application's own SQL database (C31): one row per queued
 * mail in {@code mailverify_outbox}, shared by every instance that uses the same database, so a
 * mail answered {@code QUEUED} survives a crash of the instance that accepted it.
 *
 * <pre>{@code
 * AsyncMailTransport transport = MailTransport.async(smtp)
 *     .outbox(JdbcMailOutbox.builder(dataSource).build(), secret)   // the service's secret: seals each mail
 *     .build();
 * }</pre>
 *
 * <p><b>How instances share the work.</b> A row is free when its lease ran out
 * ({@code lease_until <= now}; a new row has 0). A claim locks free, due rows with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} (PostgreSQL, MariaDB 10.6+, MySQL 8, H2 2), so two
 * instances claiming at once take different rows and neither waits for the other, and leases them
 * ({@code lease_owner}, {@code lease_until}, {@code attempts + 1}) in the same transaction; on
 * PostgreSQL that is one {@code UPDATE ... WHERE seq IN (SELECT ... SKIP LOCKED) RETURNING}. Every
 * later write names the owner ({@code WHERE seq = ? AND lease_owner = ?}), so an instance that lost
 * its lease to another can neither count an attempt nor complete the row: in the normal case a mail
 * is sent once; after a crash or a stall longer than the lease it may be sent again, with the same
 * bytes and Message-ID. A final outcome deletes the row.
 *
 * <p><b>Round trips.</b> Adding is one {@code INSERT} on the caller's path. Claiming is one
 * statement on PostgreSQL and one transaction (locking read, one update per row) elsewhere;
 * completing is one {@code DELETE}.
 *
 * <p><b>Times</b> are epoch milliseconds from the transport's clock, as in the other tables.
 *
 * <p><b>In the application's transaction.</b> With {@link Builder#joinTransactions(boolean)
 * joinTransactions(true)} and a transaction-aware DataSource (Spring's
 * {@code TransactionAwareDataSourceProxy}, or any DataSource that hands out the connection of the
 * current transaction), {@link #add} writes its row on that connection without committing: a
 * rolled-back sign-up sends nothing (the transactional-outbox pattern).
 *
 * <p><b>What is stored (C14).</b> The mail as the transport sealed it (AES-256-GCM under a key
 * derived from the secret given to {@code outbox(...)}), its ID, expiry and times, until the
 * mail's final outcome; then the row is gone. A dump of the table holds no code, link or address.
 *
 * <p>Thread-safe; holds no connection between calls. Failures are {@link StoreUnavailableException}s
 * naming the database (C29).
 */
public final class JdbcMailOutbox implements MailOutbox {
  private final Database db;
  private final JdbcDialect dialect;
  private final boolean joinTransactions;
  private final String table;
  private final String addSql;
  private final String claimSql;
  private final String lockDueSql;
  private final String leaseSql;
  private final String countSql;
  private final String readAttemptsSql;
  private final String completeSql;
  private final String releaseSql;
  private final String sizeSql;

  private JdbcMailOutbox(Builder b) {
    this.db = b.settings.open();
    this.dialect = db.resolveDialect();
    this.joinTransactions = b.joinTransactions;
    this.table = b.settings.tablePrefix() + "outbox";
    this.addSql = "INSERT INTO " + table + " (entry_id, payload, queued_at, not_after, next_attempt, attempts,"
        + " lease_owner, lease_until) VALUES (?, ?, ?, ?, ?, 0, NULL, 0)";
    String due = "FROM " + table + " WHERE lease_until <= ? AND next_attempt <= ? ORDER BY seq";
    String lease = "lease_owner = ?, lease_until = ?, attempts = attempts + 1";
    this.claimSql = "UPDATE " + table + " SET " + lease + " WHERE seq IN (SELECT seq " + due
        + " LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING seq, payload, attempts";
    this.lockDueSql = "SELECT seq, payload, attempts " + due
        + (dialect == JdbcDialect.H2 ? " FETCH FIRST ? ROWS ONLY" : " LIMIT ?") + " FOR UPDATE SKIP LOCKED";
    this.leaseSql = "UPDATE " + table + " SET " + lease + " WHERE seq = ?";
    String count = "UPDATE " + table + " SET attempts = attempts + 1, lease_until = ? WHERE seq = ? AND lease_owner = ?";
    this.countSql = switch (dialect) {
      case POSTGRESQL -> count + " RETURNING attempts";
      case H2 -> "SELECT attempts FROM FINAL TABLE (" + count + ")";
      case MARIADB, MYSQL -> count;
    };
    this.readAttemptsSql = "SELECT attempts FROM " + table + " WHERE seq = ? AND lease_owner = ?";
    this.completeSql = "DELETE FROM " + table + " WHERE seq = ? AND lease_owner = ?";
    this.releaseSql = "UPDATE " + table + " SET lease_owner = NULL, lease_until = 0, next_attempt = ?"
        + " WHERE seq = ? AND lease_owner = ?";
    this.sizeSql = "SELECT COUNT(*) FROM " + table;
  }

  /**
   * Starts a builder.
   *
   * @param dataSource the application's DataSource (usually a pool); not null
   * @return a builder with the defaults: prefix {@code mailverify_}, dialect detected, 2 s timeout,
   *     tables not created, transactions not joined
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
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
  public void add(OutboxEntry entry, Instant now) {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(now, "now");
    byte[] payload = entry.toBytes();
    Instant notAfter = entry.notAfter();
    Database.Update insert = s -> {
      try (PreparedStatement ps = s.prepare(addSql)) {
        ps.setString(1, entry.id());
        ps.setBytes(2, payload);
        ps.setLong(3, entry.queuedAt().toEpochMilli());
        if (notAfter == null) {
          ps.setNull(4, Types.BIGINT);
        } else {
          ps.setLong(4, notAfter.toEpochMilli());
        }
        ps.setLong(5, now.toEpochMilli());
        ps.executeUpdate();
      }
    };
    if (joinTransactions) {
      db.asIs("queueing a mail", s -> {
        insert.run(s);
        return Boolean.TRUE;
      });
    } else {
      db.update("queueing a mail", insert);
    }
  }

  @Override
  public List<Claim> claim(String owner, int max, Instant now, Duration lease) {
    checkOwner(owner);
    if (max < 1 || max > 1000) {
      throw new IllegalArgumentException("max must be 1-1000, was " + max);
    }
    long at = now.toEpochMilli();
    long until = now.plus(lease).toEpochMilli();
    if (dialect == JdbcDialect.POSTGRESQL) {
      return db.autoCommit("claiming queued mails", s -> {
        List<Claim> out = new ArrayList<>();
        try (PreparedStatement ps = s.prepare(claimSql)) {
          ps.setString(1, owner);
          ps.setLong(2, until);
          ps.setLong(3, at);
          ps.setLong(4, at);
          ps.setInt(5, max);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(claimOf(rs.getLong(1), rs.getBytes(2), rs.getInt(3)));
            }
          }
        }
        out.sort(Comparator.comparingLong(c -> Long.parseLong(c.handle())));
        return out;
      });
    }
    return db.transaction("claiming queued mails", s -> {
      List<long[]> rows = new ArrayList<>();
      List<byte[]> payloads = new ArrayList<>();
      try (PreparedStatement ps = s.prepare(lockDueSql)) {
        ps.setLong(1, at);
        ps.setLong(2, at);
        ps.setInt(3, max);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new long[] {rs.getLong(1), rs.getInt(3)});
            payloads.add(rs.getBytes(2));
          }
        }
      }
      if (rows.isEmpty()) {
        return List.of();
      }
      try (PreparedStatement ps = s.prepare(leaseSql)) {
        for (long[] row : rows) {
          ps.setString(1, owner);
          ps.setLong(2, until);
          ps.setLong(3, row[0]);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      List<Claim> out = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        out.add(claimOf(rows.get(i)[0], payloads.get(i), (int) rows.get(i)[1] + 1));
      }
      return out;
    });
  }

  private Claim claimOf(long seq, byte[] payload, int attempts) {
    return new Claim(Long.toString(seq), OutboxEntry.fromBytes(payload), attempts);
  }

  @Override
  public int countAttempt(Claim claim, String owner, Instant now, Duration lease) {
    long seq = seq(claim);
    long until = now.plus(lease).toEpochMilli();
    return db.autoCommit("counting a mail's attempt", s -> {
      try (PreparedStatement ps = s.prepare(countSql)) {
        ps.setLong(1, until);
        ps.setLong(2, seq);
        ps.setString(3, owner);
        if (dialect == JdbcDialect.MARIADB || dialect == JdbcDialect.MYSQL) {
          if (ps.executeUpdate() == 0) {
            return 0;
          }
        } else {
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        }
      }
      try (PreparedStatement ps = s.prepare(readAttemptsSql)) { // MariaDB: no UPDATE ... RETURNING
        ps.setLong(1, seq);
        ps.setString(2, owner);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getInt(1) : 0;
        }
      }
    });
  }

  @Override
  public boolean complete(Claim claim, String owner) {
    long seq = seq(claim);
    return db.autoCommit("completing a queued mail", s -> {
      try (PreparedStatement ps = s.prepare(completeSql)) {
        ps.setLong(1, seq);
        ps.setString(2, owner);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public void release(Claim claim, String owner, Instant now) {
    long seq = seq(claim);
    db.update("releasing a queued mail", s -> {
      try (PreparedStatement ps = s.prepare(releaseSql)) {
        ps.setLong(1, now.toEpochMilli());
        ps.setLong(2, seq);
        ps.setString(3, owner);
        ps.executeUpdate();
      }
    });
  }

  @Override
  public long size() {
    return db.autoCommit("counting queued mails", s -> {
      try (PreparedStatement ps = s.prepare(sizeSql); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private static long seq(Claim claim) {
    Objects.requireNonNull(claim, "claim");
    try {
      return Long.parseLong(claim.handle());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a claim of a JdbcMailOutbox: handle " + claim.handle(), e);
    }
  }

  private static void checkOwner(String owner) {
    Objects.requireNonNull(owner, "owner");
    if (owner.isEmpty() || owner.length() > 100 || !owner.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("owner must be 1-100 printable ASCII characters without spaces");
    }
  }

  @Override
  public String toString() {
    return "JdbcMailOutbox[" + dialect.displayName() + ", table=" + table + (joinTransactions ? ", joins transactions"
        : "") + "]";
  }

  /**
   * Builds a {@link JdbcMailOutbox}. Each setter checks its argument at once and may be called
   * again; the last call wins.
   */
  public static final class Builder {
    private final JdbcSettings settings;
    private boolean joinTransactions;

    private Builder(DataSource dataSource) {
      this.settings = new JdbcSettings(dataSource);
    }

    /**
     * Sets the prefix of the table name ({@code mailverify_outbox}).
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
     * {@link JdbcCodeStore.Builder#timeout(Duration)}. It bounds how long a send waits for the
     * outbox before it is refused with {@code STORE_UNAVAILABLE}.
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
     * Writes the row of {@link JdbcMailOutbox#add} on the connection the DataSource hands out as it
     * is, without committing, rolling back or changing its auto-commit (default {@code false}).
     * With a transaction-aware DataSource the row then commits or rolls back with the
     * application's transaction (the transactional outbox): a rolled-back sign-up sends nothing.
     * Claims, completions and releases always run in their own short transactions; give them a
     * DataSource that is not bound to a transaction (the pool itself) through another outbox
     * instance if the application's DataSource always is.
     *
     * @param value whether {@code add} joins the caller's transaction
     * @return this builder
     */
    public Builder joinTransactions(boolean value) {
      joinTransactions = value;
      return this;
    }

    /**
     * Builds the outbox. Unless a dialect was set, it connects once to detect it.
     *
     * @return the outbox
     * @throws StoreUnavailableException if the database is needed and cannot be reached
     * @throws IllegalStateException if the database is not one this module speaks
     */
    public JdbcMailOutbox build() {
      return new JdbcMailOutbox(this);
    }
  }
}
