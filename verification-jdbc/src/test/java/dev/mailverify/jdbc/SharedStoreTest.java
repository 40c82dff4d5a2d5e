package dev.mailverify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifiedEmail;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.Race;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two services, each with its own pool, sharing one PostgreSQL database: everything is shared
 * (C28), and nothing secret is stored (C14).
 */
class SharedStoreTest {
  private static final byte[] SECRET = "shared secret of both instances, 32+ bytes".getBytes(StandardCharsets.US_ASCII);
  private static final VerificationType TYPE = VerificationType.REGISTER;

  private final String prefix = TestDatabase.freshPrefix();
  private HikariDataSource poolA;
  private HikariDataSource poolB;
  private final InMemoryOutbox outboxA = MailTransport.inMemory();
  private final InMemoryOutbox outboxB = MailTransport.inMemory();
  private VerificationCodeService a;
  private VerificationCodeService b;

  @BeforeEach
  void twoInstances() {
    TestDatabase.POSTGRESQL.require();
    poolA = TestDatabase.POSTGRESQL.pool("instance-a", TestDatabase.POSTGRESQL.port(), 10, 2000);
    poolB = TestDatabase.POSTGRESQL.pool("instance-b", TestDatabase.POSTGRESQL.port(), 10, 2000);
    a = service(poolA, outboxA, true);
    b = service(poolB, outboxB, false);
  }

  private VerificationCodeService service(HikariDataSource pool, InMemoryOutbox outbox, boolean create) {
    return VerificationCodeService.builder()
        .transport(outbox)
        .store(JdbcCodeStore.builder(pool).tablePrefix(prefix).createTablesIfMissing(create).build())
        .rateLimiter(JdbcRateLimiter.builder(pool).tablePrefix(prefix).build())
        .secret(SECRET)
        .build();
  }

  @AfterEach
  void dropTables() throws SQLException {
    if (poolA != null) {
      TestDatabase.drop(poolA, prefix);
      poolA.close();
      poolB.close();
    }
  }

  @Test
  @DisplayName("C28: a code sent through one instance verifies on the other; its token redeems exactly once across both")
  void sendOnOneVerifyOnOtherRedeemOnce() throws Exception {
    assertThat(a.sendVerificationCode("Ann@Example.com", TYPE, Duration.ofMinutes(10)))
        .isInstanceOf(SendResult.Sent.class);
    String code = outboxA.latestCode("ann@example.com").orElseThrow();
    VerifyResult verified = b.verifyCode("ann@example.com", TYPE, code);
    assertThat(verified).isInstanceOf(VerifyResult.Verified.class);
    String token = ((VerifyResult.Verified) verified).token();
    assertThat(a.verifyCode("ann@example.com", TYPE, code)).as("the code works once").isNotInstanceOf(
        VerifyResult.Verified.class);

    List<Optional<VerifiedEmail>> redeemed = Race.run(20, i -> (i % 2 == 0 ? a : b).redeem(token, TYPE));
    assertThat(redeemed.stream().filter(Optional::isPresent)).hasSize(1);
  }

  @Test
  @DisplayName("C10, C28: 20 concurrent sends across both instances inside one cooldown deliver exactly one mail")
  void cooldownAcrossInstances() throws Exception {
    List<SendResult> results = Race.run(20,
        i -> (i % 2 == 0 ? a : b).sendVerificationCode("bob@example.com", TYPE, Duration.ofMinutes(10)));
    assertThat(results.stream().filter(r -> r instanceof SendResult.Sent)).hasSize(1);
    assertThat(results.stream().filter(r -> r instanceof SendResult.RateLimited)).hasSize(19);
    assertThat(outboxA.size() + outboxB.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("C6, C7, C28: wrong tries on both instances count against one code and one budget")
  void failedTriesCountAcrossInstances() {
    a.sendVerificationCode("cy@example.com", TYPE, Duration.ofMinutes(10));
    String code = outboxA.latestCode("cy@example.com").orElseThrow();
    String wrong = code.equals("000000") ? "111111" : "000000";
    int tries = VerificationPolicy.defaults().maxAttempts();
    for (int i = 0; i < tries; i++) {
      assertThat((i % 2 == 0 ? a : b).verifyCode("cy@example.com", TYPE, wrong))
          .isInstanceOf(VerifyResult.Invalid.class);
    }
    assertThat(b.verifyCode("cy@example.com", TYPE, code)).isInstanceOf(VerifyResult.Locked.class);
  }

  @Test
  @DisplayName("C14: after a real send, verify and redeem, no table holds the code or the token")
  void dumpHoldsNoCodeOrToken() throws Exception {
    a.sendVerificationCode("dee@example.com", TYPE, Duration.ofMinutes(10));
    String code = outboxA.latestCode("dee@example.com").orElseThrow();
    a.sendVerificationCode("eve@example.com", TYPE, Duration.ofMinutes(10));
    String pendingCode = outboxA.latestCode("eve@example.com").orElseThrow();
    String token = ((VerifyResult.Verified) b.verifyCode("dee@example.com", TYPE, code)).token();

    String dump = TestDatabase.dump(poolA, prefix);
    assertThat(dump).contains("dee@example.com").contains("eve@example.com");
    assertThat(dump).doesNotContain(code).doesNotContain(pendingCode).doesNotContain(token);
  }
}
