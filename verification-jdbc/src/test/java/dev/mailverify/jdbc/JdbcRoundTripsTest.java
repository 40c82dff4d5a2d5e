package dev.mailverify.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.MutableClock;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Round trips per service call on PostgreSQL, counted at the driver: every statement execution
 * (one {@code execute} of several statements is one round trip) through a DataSource that counts
 * them, shared by the store and the limiter as an application shares its pool. Commits are those
 * executions, in auto-commit: the store never calls {@code commit()} on PostgreSQL (counted too).
 */
class JdbcRoundTripsTest {
  private static final VerificationType TYPE = VerificationType.REGISTER;
  private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate", "executeBatch",
      "executeLargeUpdate");

  private final String prefix = TestDatabase.freshPrefix();
  private final AtomicInteger executions = new AtomicInteger();
  private final AtomicInteger commits = new AtomicInteger();
  /** Every byte array bound to a statement (alone or as an array's elements), in order. */
  private final List<byte[]> bound = new CopyOnWriteArrayList<>();
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private HikariDataSource pool;
  private VerificationCodeService service;

  private String database = "PostgreSQL";

  @BeforeEach
  void start() throws Exception {
    open(TestDatabase.POSTGRESQL);
  }

  private void open(TestDatabase db) throws Exception {
    if (pool != null) {
      TestDatabase.drop(pool, prefix);
      pool.close();
      pool = null;
    }
    db.require();
    database = db == TestDatabase.MARIADB ? "MariaDB" : "PostgreSQL";
    pool = db.pool("round-trips", db.port(), 2, 5_000);
    DataSource counted = counting(pool);
    JdbcCodeStore store = JdbcCodeStore.builder(counted).tablePrefix(prefix).createTablesIfMissing(true).build();
    JdbcRateLimiter limiter = JdbcRateLimiter.builder(counted).tablePrefix(prefix).build();
    service = VerificationCodeService.builder().transport(outbox).store(store).rateLimiter(limiter).clock(clock)
        .secret("round trips counted at the driver, 32+ bytes".getBytes(StandardCharsets.US_ASCII)).build();
  }

  @AfterEach
  void stop() throws Exception {
    if (pool != null) {
      TestDatabase.drop(pool, prefix);
      pool.close();
    }
  }

  private DataSource counting(DataSource target) {
    return proxy(DataSource.class, target, (r, name) -> name.equals("getConnection") ? proxy(Connection.class,
        (Connection) r, (r2, name2) -> {
          if (name2.equals("commit")) {
            commits.incrementAndGet();
          }
          return r2 instanceof Statement st && !(r2 instanceof Connection) ? countingStatement(st) : r2;
        }) : r);
  }

  private Object countingStatement(Statement st) {
    Class<?> type = st instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
      if (EXECUTIONS.contains(m.getName())) {
        executions.incrementAndGet();
      }
      if (m.getName().equals("setBytes") && args[1] instanceof byte[] b) {
        bound.add(b.clone());
      } else if (m.getName().equals("setArray") && args[1] instanceof java.sql.Array a
          && a.getArray() instanceof byte[][] elements) {
        for (byte[] b : elements) {
          bound.add(b.clone());
        }
      }
      try {
        return m.invoke(st, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  /** Wraps an object so that every result passes through {@code after}. */
  private <T> T proxy(Class<T> type, Object target, java.util.function.BiFunction<Object, String, Object> after) {
    InvocationHandler h = (p, m, args) -> {
      Object result;
      try {
        result = m.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      return result == null ? null : after.apply(result, m.getName());
    };
    return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h));
  }

  private <T> String cost(String what, Supplier<T> call, Class<?> expected) {
    int e0 = executions.get();
    int c0 = commits.get();
    assertThat(call.get()).as(what).isInstanceOf(expected);
    String cost = (executions.get() - e0) + " round trips, " + (commits.get() - c0) + " commit() calls";
    System.err.println("[mailverify] " + database + ", " + what + ": " + cost);
    return cost;
  }

  @Test
  @DisplayName("C28: on PostgreSQL a send, a wrong verify, a right verify (the consumption with the token's insert)"
      + " and a redeem are one round trip each")
  void roundTripsPerCall() {
    assertThat(cost("send", () -> service.sendVerificationCode("rt@example.com", TYPE, Duration.ofMinutes(10)),
        SendResult.Sent.class)).isEqualTo("1 round trips, 0 commit() calls");
    String code = outbox.latestCode("rt@example.com").orElseThrow();
    String wrong = code.equals("000000") ? "111111" : "000000";
    assertThat(cost("wrong verify", () -> service.verifyCode("rt@example.com", TYPE, wrong),
        VerifyResult.Invalid.class)).isEqualTo("1 round trips, 0 commit() calls");
    VerifyResult[] right = new VerifyResult[1];
    assertThat(cost("right verify", () -> right[0] = service.verifyCode("rt@example.com", TYPE, code),
        VerifyResult.Verified.class)).as("consume + token").isEqualTo("1 round trips, 0 commit() calls");
    String token = ((VerifyResult.Verified) right[0]).token();
    assertThat(cost("redeem", () -> service.redeem(token, TYPE).orElseThrow(), Object.class))
        .isEqualTo("1 round trips, 0 commit() calls");
    assertThat(cost("send refused by the cooldown", () -> service.sendVerificationCode("rt@example.com", TYPE,
        Duration.ofMinutes(10)), SendResult.RateLimited.class)).isEqualTo("1 round trips, 0 commit() calls");
  }

  @Test
  @DisplayName("C15: on PostgreSQL, where the statement tells a right code from a wrong one, the MACs never reach"
      + " the database: it compares SHA-256 digests salted with bytes fresh for each call")
  void c15OnlySaltedDigestsReachTheDatabase() throws Exception {
    service.sendVerificationCode("c15@example.com", TYPE, Duration.ofMinutes(10));
    String code = outbox.latestCode("c15@example.com").orElseThrow();
    String wrong = code.equals("000000") ? "111111" : "000000";
    byte[] stored;
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT mac FROM " + prefix + "codes WHERE code_key LIKE ?")) {
      ps.setString(1, "%c15@example.com%");
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        stored = rs.getBytes(1);
      }
    }
    List<List<byte[]>> sent = new ArrayList<>();
    List<VerifyResult> results = new ArrayList<>();
    for (String typed : List.of(wrong, wrong, code)) {
      bound.clear();
      results.add(service.verifyCode("c15@example.com", TYPE, typed));
      sent.add(List.copyOf(bound));
    }
    assertThat(results).map(r -> r.getClass().getSimpleName()).containsExactly("Invalid", "Invalid", "Verified");
    assertThat(sent.get(2)).as("the right code's call").isNotEmpty();
    for (List<byte[]> call : sent) {
      assertThat(call).as("bytes a verify sends").noneMatch(b -> Arrays.equals(b, stored));
    }
    // the same wrong code twice: a MAC would be the same bytes both times, salted digests are not
    assertThat(sent.get(0)).isNotEmpty().noneMatch(b -> sent.get(1).stream().anyMatch(o -> Arrays.equals(o, b)));
  }

  @Test
  @DisplayName("C28: on MariaDB a send and a wrong verify are one round trip each (a CALL whose body is one"
      + " transaction: one commit), a right verify two (the counted try, then the consumption with the token's"
      + " insert), a redeem one")
  void roundTripsPerCallOnMariaDb() throws Exception {
    open(TestDatabase.MARIADB);
    assertThat(cost("send", () -> service.sendVerificationCode("rt@example.com", TYPE, Duration.ofMinutes(10)),
        SendResult.Sent.class)).isEqualTo("1 round trips, 0 commit() calls");
    String code = outbox.latestCode("rt@example.com").orElseThrow();
    String wrong = code.equals("000000") ? "111111" : "000000";
    assertThat(cost("wrong verify", () -> service.verifyCode("rt@example.com", TYPE, wrong),
        VerifyResult.Invalid.class)).isEqualTo("1 round trips, 0 commit() calls");
    VerifyResult[] right = new VerifyResult[1];
    assertThat(cost("right verify", () -> right[0] = service.verifyCode("rt@example.com", TYPE, code),
        VerifyResult.Verified.class)).as("count; consume + token").isEqualTo("2 round trips, 0 commit() calls");
    String token = ((VerifyResult.Verified) right[0]).token();
    assertThat(cost("redeem", () -> service.redeem(token, TYPE).orElseThrow(), Object.class))
        .isEqualTo("1 round trips, 0 commit() calls");
    assertThat(cost("send refused by the cooldown", () -> service.sendVerificationCode("rt@example.com", TYPE,
        Duration.ofMinutes(10)), SendResult.RateLimited.class)).isEqualTo("1 round trips, 0 commit() calls");
  }
}
