package dev.mailverify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.TokenRecord;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A tokens table made by a version before issue 21 (no {@code new_address}) is migrated by
 * {@code createTablesIfMissing(true)}: the schema's {@code ADD COLUMN IF NOT EXISTS} adds it, and a
 * revert token (C33) then round-trips, as a verification token still does.
 */
class TokensMigrationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  @DisplayName("C33: createTablesIfMissing adds new_address to a tokens table from an older version")
  void olderTokensTableGetsTheColumn(TestDatabase database) throws Exception {
    database.require();
    String prefix = TestDatabase.freshPrefix();
    try (HikariDataSource ds = database.pool("migration-" + database + "-" + prefix)) {
      try {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
          st.executeUpdate("CREATE TABLE " + prefix + "tokens (token_hash VARCHAR(128) NOT NULL PRIMARY KEY,"
              + " address VARCHAR(320) NOT NULL, address_key VARCHAR(320) NOT NULL, type VARCHAR(64) NOT NULL,"
              + " verified_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)");
          st.executeUpdate("INSERT INTO " + prefix + "tokens VALUES ('old-row', 'a@example.com', 'a@example.com',"
              + " 'register', " + T0.toEpochMilli() + ", " + T0.plus(Duration.ofHours(1)).toEpochMilli() + ")");
        }
        JdbcCodeStore store = JdbcCodeStore.builder(ds).tablePrefix(prefix).createTablesIfMissing(true).build();
        Instant expires = T0.plus(Duration.ofDays(7));
        store.storeToken("revert", new TokenRecord("a@example.com", VerificationType.CHANGE_EMAIL, T0, expires,
            "b@example.org"), T0);
        assertThat(store.takeToken("revert", "a@example.com", T0).map(TokenRecord::newAddress)).contains("b@example.org");
        TokenRecord old = store.takeToken("old-row", null, T0).orElseThrow();
        assertThat(old.address()).isEqualTo("a@example.com");
        assertThat(old.newAddress()).isNull();
        // a second start finds the column and changes nothing
        JdbcCodeStore.builder(ds).tablePrefix(prefix).createTablesIfMissing(true).build();
      } finally {
        TestDatabase.drop(ds, prefix);
      }
    }
  }
}
