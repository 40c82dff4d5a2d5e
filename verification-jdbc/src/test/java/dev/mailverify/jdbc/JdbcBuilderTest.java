package dev.mailverify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Builders, schema files and messages, on embedded H2. */
class JdbcBuilderTest {

  @Test
  @DisplayName("setters check their argument at once and name it; the last call wins; the dialect is detected")
  void buildersValidateAndLastCallWins() {
    try (HikariDataSource ds = TestDatabase.H2.pool("builder")) {
      assertThatThrownBy(() -> JdbcCodeStore.builder(ds).tablePrefix("Bad-Prefix"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix");
      assertThatThrownBy(() -> JdbcCodeStore.builder(ds).timeout(Duration.ofMillis(10)))
          .hasMessageContaining("timeout");
      assertThatThrownBy(() -> JdbcRateLimiter.builder(ds).timeout(Duration.ofMinutes(5)))
          .hasMessageContaining("timeout");
      assertThatThrownBy(() -> JdbcCodeStore.builder(ds).cleanupGrace(Duration.ofSeconds(-1)))
          .hasMessageContaining("cleanupGrace");
      JdbcCodeStore store = JdbcCodeStore.builder(ds).tablePrefix("first_").tablePrefix("second_")
          .createTablesIfMissing(true).build();
      assertThat(store.dialect()).isEqualTo(JdbcDialect.H2);
      assertThat(TestDatabase.dump(ds, "second_")).isEmpty();
      assertThat(JdbcRateLimiter.builder(ds).dialect(JdbcDialect.H2).tablePrefix("second_").build().dialect())
          .isEqualTo(JdbcDialect.H2);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @DisplayName("each dialect ships a schema with the default prefix, renamed for another prefix")
  void schemaFiles() {
    for (JdbcDialect d : JdbcDialect.values()) {
      String schema = d.schema("mailverify_");
      assertThat(schema).contains("CREATE TABLE IF NOT EXISTS mailverify_codes", "mailverify_tokens", "mailverify_permits");
      assertThat(d.schema("app_mv_")).doesNotContain("mailverify_").contains("app_mv_codes");
      assertThat(d.schemaStatements("x_")).allSatisfy(s -> assertThat(s).doesNotContain(";").doesNotStartWith("--"));
      assertThat(JdbcDialect.class.getClassLoader().getResource(d.schemaResource())).isNotNull();
    }
  }

  @Test
  @DisplayName("C16, C29: a database URL in a message loses its credentials and parameters")
  void urlsLoseCredentials() {
    assertThat(Database.sanitize("jdbc:postgresql://127.0.0.1:5432/test?user=app&password=hunter2"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
    assertThat(Database.sanitize("jdbc:mariadb://app:hunter2@db.example:3306/app"))
        .isEqualTo("jdbc:mariadb://db.example:3306/app");
    assertThat(Database.sanitize("jdbc:h2:mem:x;PASSWORD=hunter2")).isEqualTo("jdbc:h2:mem:x");
  }

  @Test
  @DisplayName("rate-limit keys that are long or not ASCII are stored as their SHA-256")
  void longKeysHashed() {
    assertThat(JdbcRateLimiter.storedKey("send:register:a@example.com")).isEqualTo("send:register:a@example.com");
    assertThat(JdbcRateLimiter.storedKey("custom:tenant:租户")).startsWith("sha256:").hasSize(71);
    assertThat(JdbcRateLimiter.storedKey("x".repeat(500))).startsWith("sha256:");
  }
}
