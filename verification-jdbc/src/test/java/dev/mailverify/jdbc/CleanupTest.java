package dev.mailverify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.Quota;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.AttemptResult.Outcome;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.TokenRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Cleanup deletes only what is expired, at most maxRows per call, on every database. */
class CleanupTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofMinutes(30);

  private static long rows(HikariDataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("C3: expired codes answer EXPIRED until cleanup; cleanup deletes only expired codes and tokens, at most maxRows")
  void codeStoreCleanup(TestDatabase db) throws SQLException {
    db.require();
    String prefix = TestDatabase.freshPrefix();
    try (HikariDataSource ds = db.pool("cleanup-codes-" + prefix)) {
      JdbcCodeStore store = JdbcCodeStore.builder(ds).tablePrefix(prefix).cleanupGrace(GRACE)
          .createTablesIfMissing(true).build();
      byte[] mac = new byte[32];
      for (int i = 0; i < 5; i++) { // expired at T0 + 1 min
        store.issue(new CodeKey(VerificationType.REGISTER, "old" + i + "@example.com"),
            new PendingCode(mac, T0.plus(Duration.ofMinutes(1)), 5, 0), T0);
      }
      store.issue(new CodeKey(VerificationType.REGISTER, "live@example.com"),
          new PendingCode(mac, T0.plus(Duration.ofHours(5)), 5, 0), T0);
      for (int i = 0; i < 3; i++) {
        store.storeToken("expired-" + i, new TokenRecord("a@example.com", VerificationType.REGISTER, T0,
            T0.plus(Duration.ofMinutes(15))), T0);
      }
      store.storeToken("live", new TokenRecord("a@example.com", VerificationType.REGISTER, T0,
          T0.plus(Duration.ofHours(5))), T0);

      Instant later = T0.plus(Duration.ofMinutes(20)); // codes expired, but inside the grace
      assertThat(store.attempt(new CodeKey(VerificationType.REGISTER, "old0@example.com"), List.of(mac), later)
          .outcome()).isEqualTo(Outcome.EXPIRED);
      assertThat(store.cleanup(later, 100)).as("only the expired tokens").isEqualTo(3);

      Instant afterGrace = T0.plus(Duration.ofHours(1));
      assertThat(store.cleanup(afterGrace, 2)).isEqualTo(2);
      assertThat(store.cleanup(afterGrace, 2)).isEqualTo(2);
      assertThat(store.cleanup(afterGrace, 2)).isEqualTo(1);
      assertThat(store.cleanup(afterGrace, 2)).isZero();
      assertThat(rows(ds, prefix + "codes")).isEqualTo(1);
      assertThat(rows(ds, prefix + "tokens")).isEqualTo(1);
      assertThat(store.takeToken("live", null, afterGrace)).isPresent();
      assertThatThrownBy(() -> store.cleanup(afterGrace, 0)).hasMessageContaining("maxRows");
      TestDatabase.drop(ds, prefix);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("C11: limiter cleanup deletes only permits outside their window, at most maxRows; counts stay exact")
  void limiterCleanup(TestDatabase db) throws SQLException {
    db.require();
    String prefix = TestDatabase.freshPrefix();
    try (HikariDataSource ds = db.pool("cleanup-limits-" + prefix)) {
      JdbcRateLimiter limiter = JdbcRateLimiter.builder(ds).tablePrefix(prefix).createTablesIfMissing(true).build();
      Quota perMinute = new Quota(10, Duration.ofMinutes(1));
      Quota perHour = Quota.perHour(10);
      for (int i = 0; i < 4; i++) {
        limiter.tryAcquire("short", perMinute, T0);
      }
      limiter.tryAcquire("long", perHour, T0);
      limiter.tryAcquire("long", perHour, T0);

      Instant later = T0.plus(Duration.ofMinutes(2)); // the minute permits are out, the hour ones in
      assertThat(limiter.cleanup(later, 3)).isEqualTo(3);
      int rest = limiter.cleanup(later, 100); // the last minute permit, and on MariaDB/H2 its emptied bucket
      assertThat(rest).isEqualTo(db == TestDatabase.POSTGRESQL ? 1 : 2);
      assertThat(limiter.cleanup(later, 100)).isZero();
      assertThat(rows(ds, prefix + "permits")).isEqualTo(2);
      for (int i = 0; i < 8; i++) {
        assertThat(limiter.tryAcquire("long", perHour, later).granted()).isTrue();
      }
      assertThat(limiter.tryAcquire("long", perHour, later).granted()).as("the two kept permits still count")
          .isFalse();
      TestDatabase.drop(ds, prefix);
    }
  }
}
