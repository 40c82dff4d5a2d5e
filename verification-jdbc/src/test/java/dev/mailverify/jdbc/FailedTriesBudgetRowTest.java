package dev.mailverify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.Quota;
import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.AttemptResult.Outcome;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.LimitingCodeStore.Permit;
import dev.mailverify.core.spi.PendingCode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL keeps the failed-tries budget of an address and type on the code's row
 * ({@code failed_log}, {@code failed_until}), so that a wrong try is one single-row {@code UPDATE}
 * (issue 19). The row therefore outlives its code while failed tries still count: these tests show
 * that cleanup keeps it as long, that the plain calls read a row without a code as no code, and
 * that a table of the previous shape names its migration and is migrated.
 */
class FailedTriesBudgetRowTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final CodeKey KEY = new CodeKey(VerificationType.REGISTER, "budget-row@example.com");
  private static final Permit BUDGET = new Permit("failures:register:budget-row@example.com", new Quota(2,
      Duration.ofHours(1)));

  private static byte[] mac(int b) {
    byte[] mac = new byte[32];
    Arrays.fill(mac, (byte) b);
    return mac;
  }

  private static JdbcCodeStore limitingStore(HikariDataSource ds, String prefix, boolean create) {
    JdbcCodeStore store = JdbcCodeStore.builder(ds).tablePrefix(prefix).cleanupGrace(Duration.ofMinutes(30))
        .createTablesIfMissing(create).build();
    assertThat(store.sharesBucketsWith(JdbcRateLimiter.builder(ds).tablePrefix(prefix).build())).isTrue();
    return store;
  }

  /** The row's mac and failed_log as text, or "none" when there is no row. */
  private static String row(HikariDataSource ds, String prefix) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT mac IS NULL, failed_log FROM " + prefix + "codes")) {
      return rs.next() ? (rs.getBoolean(1) ? "no code" : "code") + " " + rs.getString(2) : "none";
    }
  }

  /** A test's body, given a pool and a table prefix of its own on PostgreSQL. */
  private interface OnTables {
    void run(HikariDataSource ds, String prefix) throws SQLException;
  }

  /** Runs a body on fresh tables (skipped, with one line, without a PostgreSQL server), then drops them. */
  private static void onFreshTables(String name, OnTables body) throws SQLException {
    TestDatabase.POSTGRESQL.require();
    String prefix = TestDatabase.freshPrefix();
    try (HikariDataSource ds = TestDatabase.POSTGRESQL.pool(name + "-" + prefix)) {
      try {
        body.run(ds, prefix);
      } finally {
        TestDatabase.drop(ds, prefix);
      }
    }
  }

  @Test
  @DisplayName("C7, C3: cleanup keeps a row while its failed tries count, its expired code answering EXPIRED,"
      + " and deletes it after")
  void cleanupKeepsTheBudget() throws SQLException {
    onFreshTables("budget-cleanup", (ds, prefix) -> {
      JdbcCodeStore store = limitingStore(ds, prefix, true);
      store.issue(KEY, new PendingCode(mac(1), T0.plus(Duration.ofMinutes(10)), 5, 0), T0);
      assertThat(store.attempt(KEY, List.of(mac(9)), BUDGET, T0)).contains(AttemptResult.mismatched(4));

      Instant pastGrace = T0.plus(Duration.ofMinutes(50)); // the code expired 40 minutes ago
      assertThat(store.cleanup(pastGrace, 100)).as("the failed try counts until T0 + 1 h").isZero();
      assertThat(store.attempt(KEY, List.of(mac(1)), pastGrace).outcome()).isEqualTo(Outcome.EXPIRED);
      store.issue(KEY, new PendingCode(mac(2), pastGrace.plus(Duration.ofMinutes(10)), 5, 0), pastGrace);
      assertThat(store.attempt(KEY, List.of(mac(9)), BUDGET, pastGrace)).contains(AttemptResult.mismatched(4));
      assertThat(store.attempt(KEY, List.of(mac(2)), BUDGET, pastGrace)).as("two failed tries in the hour")
          .isEmpty();

      Instant windowPassed = pastGrace.plus(Duration.ofHours(1)).plusSeconds(1);
      assertThat(store.attempt(KEY, List.of(mac(2)), windowPassed).outcome()).isEqualTo(Outcome.EXPIRED);
      Instant codePastGrace = windowPassed.plus(Duration.ofMinutes(30));
      assertThat(store.cleanup(codePastGrace, 100)).as("code and budget are both over").isEqualTo(1);
      assertThat(row(ds, prefix)).isEqualTo("none");
    });
  }

  @Test
  @DisplayName("C7, C8: a right code after a failed try leaves the budget alone on the row; every call reads it as"
      + " no code; cleanup deletes it after the window and the grace")
  void budgetWithoutCode() throws SQLException {
    onFreshTables("budget-alone", (ds, prefix) -> {
      JdbcCodeStore store = limitingStore(ds, prefix, true);
      store.issue(KEY, new PendingCode(mac(1), T0.plus(Duration.ofMinutes(10)), 5, 0), T0);
      assertThat(store.attempt(KEY, List.of(mac(9)), BUDGET, T0)).contains(AttemptResult.mismatched(4));
      assertThat(store.attempt(KEY, List.of(mac(1)), BUDGET, T0.plusSeconds(1))).contains(AttemptResult.matched());
      assertThat(row(ds, prefix)).isEqualTo("no code {" + T0.toEpochMilli() + "}");

      Instant t = T0.plusSeconds(2);
      assertThat(store.attempt(KEY, List.of(mac(1)), t).outcome()).isEqualTo(Outcome.NOT_FOUND);
      assertThat(store.attempt(KEY, List.of(mac(1)), BUDGET, t)).contains(AttemptResult.notFound());
      assertThat(store.invalidate(KEY)).as("nothing is pending").isFalse();
      assertThat(row(ds, prefix)).as("a try on no code counts nothing").startsWith("no code {");

      // a resend with a grace on the row without a code keeps no previous code
      store.issue(KEY, new PendingCode(mac(2), t.plus(Duration.ofMinutes(10)), 5, 0), Duration.ofMinutes(5), t);
      assertThat(store.attempt(KEY, List.of(mac(1)), BUDGET, t)).contains(AttemptResult.mismatched(4));
      assertThat(store.attempt(KEY, List.of(mac(2)), BUDGET, t)).as("two failed tries in the hour").isEmpty();
      assertThat(store.invalidate(KEY)).isTrue();
      assertThat(row(ds, prefix)).isEqualTo("no code {" + T0.toEpochMilli() + "," + t.toEpochMilli() + "}");

      Instant budgetOver = t.plus(Duration.ofHours(1));
      assertThat(store.cleanup(budgetOver.plus(Duration.ofMinutes(29)), 100)).as("within the grace").isZero();
      assertThat(store.cleanup(budgetOver.plus(Duration.ofMinutes(30)), 100)).isEqualTo(1);
    });
  }

  @Test
  @DisplayName("C7: a clock behind the newest failed try still counts every try, and the log keeps only the"
      + " newest as many as the budget allows")
  void logStaysOrderedAndShort() throws SQLException {
    onFreshTables("budget-order", (ds, prefix) -> {
      JdbcCodeStore store = limitingStore(ds, prefix, true);
      Permit three = new Permit(BUDGET.bucket(), new Quota(3, Duration.ofHours(1)));
      store.issue(KEY, new PendingCode(mac(1), T0.plus(Duration.ofHours(3)), 100, 0), T0);
      assertThat(store.attempt(KEY, List.of(mac(9)), three, T0.plusSeconds(10))).isPresent();
      assertThat(store.attempt(KEY, List.of(mac(9)), three, T0.plusSeconds(5))).as("from a clock 5 s behind")
          .isPresent();
      assertThat(row(ds, prefix)).isEqualTo("code {" + T0.plusSeconds(5).toEpochMilli() + ","
          + T0.plusSeconds(10).toEpochMilli() + "}");
      assertThat(store.attempt(KEY, List.of(mac(9)), three, T0.plusSeconds(20))).isPresent();
      assertThat(store.attempt(KEY, List.of(mac(1)), three, T0.plusSeconds(21))).as("three in the hour").isEmpty();
      Instant firstOut = T0.plus(Duration.ofHours(1)).plusSeconds(6); // the try of T0 + 5 s has left the window
      assertThat(store.attempt(KEY, List.of(mac(9)), three, firstOut)).isPresent();
      assertThat(row(ds, prefix)).as("the newest three only").isEqualTo("code {"
          + T0.plusSeconds(10).toEpochMilli() + "," + T0.plusSeconds(20).toEpochMilli() + ","
          + firstOut.toEpochMilli() + "}");
    });
  }

  @Test
  @DisplayName("C7: a codes table of the shape before the budget moved to its row names the migration;"
      + " createTablesIfMissing migrates it, rows and all")
  void previousTableIsMigrated() throws SQLException {
    onFreshTables("budget-migration", (ds, prefix) -> {
      limitingStore(ds, prefix, true);
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) { // back to the previous shape
        st.executeUpdate("ALTER TABLE " + prefix + "codes DROP COLUMN failed_log, DROP COLUMN failed_until,"
            + " ALTER COLUMN mac SET NOT NULL");
      }
      JdbcCodeStore unmigrated = limitingStore(ds, prefix, false);
      unmigrated.issue(KEY, new PendingCode(mac(1), T0.plus(Duration.ofMinutes(10)), 5, 0), T0);
      assertThatThrownBy(() -> unmigrated.attempt(KEY, List.of(mac(9)), BUDGET, T0))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("failed_log")
          .hasMessageContaining(JdbcDialect.POSTGRESQL.schemaResource())
          .hasMessageContaining("createTablesIfMissing(true)");

      JdbcCodeStore migrated = limitingStore(ds, prefix, true);
      assertThat(migrated.attempt(KEY, List.of(mac(9)), BUDGET, T0)).contains(AttemptResult.mismatched(4));
      assertThat(migrated.attempt(KEY, List.of(mac(1)), BUDGET, T0)).contains(AttemptResult.matched());
      assertThat(row(ds, prefix)).startsWith("no code {");
      assertThat(migrated.attempt(KEY, List.of(mac(1)), BUDGET, T0)).isEqualTo(Optional.of(AttemptResult.notFound()));
    });
  }
}
