package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.jdbc.JdbcCodeStore;
import dev.mailverify.jdbc.JdbcRateLimiter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The SQL store, chosen automatically from the application's DataSource (PostgreSQL on 127.0.0.1:5432, db test). */
class JdbcStoreTest {
  static final String SECRET = "0123456789abcdef0123456789abcdef";

  private final String prefix = "mvt_" + UUID.randomUUID().toString().substring(0, 8) + "_";
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MailVerifyStoreAutoConfiguration.class, MailVerifyAutoConfiguration.class))
      .withUserConfiguration(Postgres.class)
      .withPropertyValues("mailverify.transport=outbox", "mailverify.store.jdbc-table-prefix=" + prefix,
          "mailverify.store.jdbc-create-tables=true");

  @Configuration(proxyBeanMethods = false)
  static class Postgres {
    @Bean
    DataSource dataSource() {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl("jdbc:postgresql://127.0.0.1:5432/test");
      ds.setUser("postgres");
      ds.setConnectTimeout(2);
      return ds;
    }
  }

  private boolean reachable;

  @BeforeEach
  void requirePostgres() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
      reachable = true;
    } catch (IOException e) {
      String message = "PostgreSQL is not listening on 127.0.0.1:5432";
      if ("1".equals(System.getenv("MAILVERIFY_REQUIRE_SERVERS"))) {
        Assertions.fail(message + " (required: MAILVERIFY_REQUIRE_SERVERS=1)");
      }
      Assumptions.abort(message + " (skipped; MAILVERIFY_REQUIRE_SERVERS=1 makes this a failure)");
    }
  }

  /** Drops this test's tables (the prefix is its own), so the shared database keeps nothing from it. */
  @AfterEach
  void dropTables() throws SQLException {
    if (!reachable) {
      return;
    }
    try (Connection c = new Postgres().dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String table : new String[] {"codes", "tokens", "permits", "outbox"}) {
        s.execute("DROP TABLE IF EXISTS " + prefix + table);
      }
    }
  }

  @Test
  @DisplayName("C28: with a DataSource the store and limiter are SQL; a code sent through one app verifies on another")
  void sharedAcrossTwoApplications() {
    runner.withPropertyValues("mailverify.secret=" + SECRET).run(first -> {
      assertThat(first.getBean(CodeStore.class)).isInstanceOf(JdbcCodeStore.class);
      assertThat(first.getBean(RateLimiter.class)).isInstanceOf(JdbcRateLimiter.class);
      VerificationCodeService one = first.getBean(VerificationCodeService.class);
      assertThat(one.sendVerificationCode("j@example.com", VerificationType.REGISTER, Duration.ofMinutes(5)))
          .isInstanceOf(SendResult.Sent.class);
      String code = first.getBean(InMemoryOutbox.class).latestCode("j@example.com").orElseThrow();
      runner.withPropertyValues("mailverify.secret=" + SECRET).run(second -> {
        VerificationCodeService two = second.getBean(VerificationCodeService.class);
        assertThat(two.sendVerificationCode("j@example.com", VerificationType.REGISTER, Duration.ofMinutes(5)))
            .as("C10 the cooldown is shared").isInstanceOf(SendResult.RateLimited.class);
        VerifyResult result = two.verifyCode("j@example.com", VerificationType.REGISTER, code);
        assertThat(result).isInstanceOf(VerifyResult.Verified.class);
        String token = ((VerifyResult.Verified) result).token();
        assertThat(one.redeem(token, VerificationType.REGISTER, "j@example.com")).isPresent();
        assertThat(two.redeem(token, VerificationType.REGISTER, "j@example.com")).isEmpty();
      });
    });
  }

  @Test
  @DisplayName("mailverify.store.type=memory keeps the in-memory store even with a DataSource")
  void memoryWins() {
    runner.withPropertyValues("mailverify.store.type=memory")
        .run(context -> assertThat(context.getBean(CodeStore.class)).isNotInstanceOf(JdbcCodeStore.class));
  }
}
