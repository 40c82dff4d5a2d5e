package dev.mailverify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.AttemptResult.Outcome;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.PendingCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A codes table created by a version before the resend grace (no {@code prev_mac}, {@code prev_until})
 * fails with a message naming the migration, and {@code createTablesIfMissing(true)} migrates it.
 */
class ResendGraceMigrationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** The codes table as versions before issue 21 created it. */
  private static String oldCodesTable(TestDatabase db, String prefix) {
    String binary = db == TestDatabase.POSTGRESQL ? "BYTEA" : "VARBINARY(64)";
    return "CREATE TABLE " + prefix + "codes (code_key VARCHAR(300) NOT NULL PRIMARY KEY, mac " + binary
        + " NOT NULL, expires_at BIGINT NOT NULL, max_attempts INTEGER NOT NULL, attempts INTEGER NOT NULL)";
  }

  private static JdbcDialect dialect(TestDatabase db) {
    return switch (db) {
      case POSTGRESQL -> JdbcDialect.POSTGRESQL;
      case MARIADB -> JdbcDialect.MARIADB;
      case H2 -> JdbcDialect.H2;
    };
  }

  private static byte[] mac(int b) {
    byte[] mac = new byte[32];
    Arrays.fill(mac, (byte) b);
    return mac;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("C4 grace: an older codes table fails with a message naming the migration; createTablesIfMissing adds"
      + " the columns and the grace works")
  void olderTableNamesTheMigrationAndIsMigrated(TestDatabase db) throws SQLException {
    db.require();
    String prefix = TestDatabase.freshPrefix();
    try (HikariDataSource ds = db.pool("grace-migration-" + prefix)) {
      try {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
          st.executeUpdate(oldCodesTable(db, prefix));
        }
        CodeKey k = new CodeKey(VerificationType.REGISTER, "old-table@example.com");
        JdbcCodeStore unmigrated = JdbcCodeStore.builder(ds).tablePrefix(prefix).build();
        assertThatThrownBy(() -> unmigrated.issue(k, new PendingCode(mac(1), T0.plus(Duration.ofMinutes(10)), 5, 0),
            T0))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining("prev_mac")
            .hasMessageContaining(dialect(db).schemaResource())
            .hasMessageContaining("createTablesIfMissing(true)");

        JdbcCodeStore migrated = JdbcCodeStore.builder(ds).tablePrefix(prefix).createTablesIfMissing(true).build();
        migrated.issue(k, new PendingCode(mac(1), T0.plus(Duration.ofMinutes(10)), 5, 0), Duration.ofMinutes(2), T0);
        migrated.issue(k, new PendingCode(mac(2), T0.plus(Duration.ofMinutes(11)), 5, 0), Duration.ofMinutes(2),
            T0.plusSeconds(60));
        assertThat(migrated.attempt(k, List.of(mac(1)), T0.plusSeconds(61)).outcome()).isEqualTo(Outcome.MATCHED);
        // building again (another instance starting) leaves the migrated table as it is
        JdbcCodeStore again = JdbcCodeStore.builder(ds).tablePrefix(prefix).createTablesIfMissing(true).build();
        again.issue(k, new PendingCode(mac(3), T0.plus(Duration.ofMinutes(10)), 5, 0), T0);
        assertThat(again.attempt(k, List.of(mac(3)), T0).outcome()).isEqualTo(Outcome.MATCHED);
      } finally {
        TestDatabase.drop(ds, prefix);
      }
    }
  }
}
