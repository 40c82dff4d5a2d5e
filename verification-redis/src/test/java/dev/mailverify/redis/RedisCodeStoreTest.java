package dev.mailverify.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.Quota;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.AttemptResult.Outcome;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.LimitingCodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.TokenRecord;
import dev.mailverify.test.CodeStoreContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The store kit against the Redis at 127.0.0.1:6379, each test under a fresh key prefix. */
class RedisCodeStoreTest extends CodeStoreContract {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> inspect;

  private final List<RedisCodeStore> opened = new ArrayList<>();
  private final List<RedisRateLimiter> limiters = new ArrayList<>();
  private String prefix;

  static synchronized RedisClient client() {
    if (client == null) {
      client = RedisClient.create(RedisServers.URI);
      inspect = client.connect();
    }
    return client;
  }

  @AfterAll
  static synchronized void shutDown() {
    if (client != null) {
      inspect.close();
      client.shutdown();
      client = null;
    }
  }

  @Override
  protected CodeStore createStore() {
    RedisServers.requireStandalone();
    prefix = RedisServers.randomPrefix();
    RedisCodeStore s = RedisCodeStore.builder(client()).keyPrefix(prefix).build();
    opened.add(s);
    return s;
  }

  @Override
  protected RateLimiter sharedLimiter(CodeStore store) {
    RedisRateLimiter limiter = RedisRateLimiter.builder(client()).keyPrefix(prefix).build();
    limiters.add(limiter);
    return limiter;
  }

  @Override
  protected String dump(CodeStore store) {
    return RedisServers.dump(inspect.sync(), prefix);
  }

  @AfterEach
  void closeStores() {
    opened.forEach(RedisCodeStore::close);
    limiters.forEach(RedisRateLimiter::close);
    if (prefix != null && inspect != null) {
      RedisServers.deleteAll(inspect.sync(), prefix);
    }
  }

  private static PendingCode code(String code, Instant expiresAt) {
    return new PendingCode(mac(code), expiresAt, 5, 0);
  }

  @Test
  @DisplayName("C3: an expired code answers EXPIRED, not NOT_FOUND, while Redis keeps it for the grace period")
  void expiredCodeAnswersExpiredDuringGrace() {
    CodeKey k = new CodeKey(VerificationType.REGISTER, "late@example.com");
    store.issue(k, code("123456", T0.plus(Duration.ofMinutes(10))), T0);
    assertThat(store.attempt(k, List.of(mac("123456")), T0.plus(Duration.ofMinutes(50))).outcome())
        .isEqualTo(Outcome.EXPIRED);
    // the record is kept until expiry + 1 h (relative to the now passed at issue), then Redis drops it
    long ttl = inspect.sync().pttl(((RedisCodeStore) store).codeKey(k));
    assertThat(ttl).isBetween(Duration.ofMinutes(69).toMillis(), Duration.ofMinutes(70).toMillis());
    // and expiry is decided with the caller's now, not Redis's clock: long past, still EXPIRED, never counted
    assertThat(store.attempt(k, List.of(mac("000000")), T0.plus(Duration.ofDays(3))).outcome())
        .isEqualTo(Outcome.EXPIRED);
    assertThat(inspect.sync().hget(((RedisCodeStore) store).codeKey(k), RedisCodeStore.codeFields(k) + "a")).isEqualTo("0");
  }

  @Test
  @DisplayName("C7: a failed-tries budget kept in another hash than the code (one read and one write of the"
      + " address's hash when they share it) is counted and enforced the same way")
  void budgetInAnotherHashThanTheCode() {
    RedisCodeStore s = (RedisCodeStore) store;
    CodeKey first = new CodeKey(VerificationType.REGISTER, "first@example.com");
    CodeKey second = new CodeKey(VerificationType.REGISTER, "second@example.com");
    // a budget shared by both addresses: its bucket is named by neither, so it lives in a hash of its own
    LimitingCodeStore.Permit shared = new LimitingCodeStore.Permit("failures:register:both",
        new Quota(2, Duration.ofHours(1)));
    s.issue(first, code("123456", T0.plus(Duration.ofMinutes(10))), T0);
    s.issue(second, code("654321", T0.plus(Duration.ofMinutes(10))), T0);
    assertThat(s.attempt(first, List.of(mac("000000")), shared, T0)).contains(AttemptResult.mismatched(4));
    assertThat(s.attempt(second, List.of(mac("000000")), shared, T0.plusSeconds(1)))
        .contains(AttemptResult.mismatched(4));
    assertThat(s.attempt(first, List.of(mac("123456")), shared, T0.plusSeconds(2)))
        .as("the shared budget is used up: nothing compared").isEqualTo(Optional.empty());
    String budgetHash = RedisKeys.bucketKey(prefix, "failures:register:both");
    assertThat(inspect.sync().hget(budgetHash, "failures:register:"))
        .isEqualTo(T0.toEpochMilli() + "," + (T0.toEpochMilli() + 1000));
    assertThat(inspect.sync().hget(s.codeKey(first), "failures:register:")).as("not in the code's hash").isNull();
    assertThat(inspect.sync().hget(s.codeKey(first), RedisCodeStore.codeFields(first) + "a")).isEqualTo("1");
    assertThat(inspect.sync().pttl(budgetHash)).as("kept for the budget's window")
        .isGreaterThan(Duration.ofMinutes(59).toMillis());
    // in the service's layout the budget is a field of the code's hash: the same counts, one hash
    LimitingCodeStore.Permit own = new LimitingCodeStore.Permit("failures:REGISTER:second@example.com",
        new Quota(2, Duration.ofHours(1)));
    assertThat(s.attempt(second, List.of(mac("111111")), own, T0)).contains(AttemptResult.mismatched(3));
    assertThat(inspect.sync().hget(s.codeKey(second), "failures:REGISTER:")).isEqualTo(Long.toString(T0.toEpochMilli()));
    assertThat(inspect.sync().hget(s.codeKey(second), RedisCodeStore.codeFields(second) + "a")).isEqualTo("2");
    assertThat(s.attempt(second, List.of(mac("654321")), own, T0)).contains(AttemptResult.matched());
  }

  @Test
  @DisplayName("C3: with a zero grace period the record lives exactly until its expiry")
  void zeroGracePeriod() {
    RedisCodeStore s = RedisCodeStore.builder(client()).keyPrefix(prefix).gracePeriod(Duration.ZERO).build();
    opened.add(s);
    CodeKey k = new CodeKey(VerificationType.LOGIN, "a@example.com");
    s.issue(k, code("123456", T0.plus(Duration.ofMinutes(10))), T0);
    assertThat(inspect.sync().pttl(s.codeKey(k))).isBetween(Duration.ofMinutes(9).toMillis(),
        Duration.ofMinutes(10).toMillis());
  }

  @Test
  @DisplayName("C9, C28: a token record keeps its exact times and is readable by another store on the same prefix")
  void tokenRoundTripsAcrossStores() {
    Instant verifiedAt = Instant.parse("2026-01-01T00:00:00.123456789Z");
    store.storeToken("h", new TokenRecord("Ann@example.com", VerificationType.of("custom-x"), verifiedAt,
        verifiedAt.plus(Duration.ofMinutes(15))), verifiedAt);
    RedisCodeStore other = RedisCodeStore.builder(RedisServers.URI).keyPrefix(prefix).build();
    opened.add(other);
    assertThat(other.takeToken("h", "ann@example.com", verifiedAt)).hasValueSatisfying(r -> {
      assertThat(r.verifiedAt()).isEqualTo(verifiedAt);
      assertThat(r.type()).isEqualTo(VerificationType.of("custom-x"));
      assertThat(r.address()).isEqualTo("Ann@example.com");
    });
  }

  @Test
  @DisplayName("C28: keys and arguments beyond ASCII reach Redis intact (the codec's exact sizes): a code for a"
      + " non-ASCII address verifies, and its token keeps the address byte for byte")
  void nonAsciiAddressRoundTrips() {
    CodeKey k = new CodeKey(VerificationType.LOGIN, "jos\u00e9.\u7528\u6237@b\u00fccher.example");
    store.issue(k, code("123456", T0.plus(Duration.ofMinutes(10))), T0);
    assertThat(store.attempt(k, List.of(mac("123456")), T0).outcome()).isEqualTo(Outcome.MATCHED);
    store.storeToken("t\u00e9", new TokenRecord("Jos\u00e9@b\u00fccher.example", VerificationType.LOGIN, T0,
        T0.plus(Duration.ofMinutes(15))), T0);
    assertThat(store.takeToken("t\u00e9", "jos\u00e9@b\u00fccher.example", T0)).hasValueSatisfying(
        r -> assertThat(r.address()).isEqualTo("Jos\u00e9@b\u00fccher.example"));
  }

  @Test
  @DisplayName("C9: a token record written by an earlier build (ISO-8601 times) is still read; this build writes"
      + " epoch nanoseconds")
  void tokenRecordOfAnEarlierBuild() {
    Instant verifiedAt = Instant.parse("2026-01-01T00:00:00.123456789Z");
    Instant expiresAt = verifiedAt.plus(Duration.ofMinutes(15));
    String key = ((RedisCodeStore) store).tokenKey("old");
    inspect.sync().hset(key, java.util.Map.of("a", "ann@example.com", "t", "register",
        "v", verifiedAt.toString(), "e", expiresAt.toString()));
    inspect.sync().pexpire(key, 60_000);
    assertThat(store.takeToken("old", null, verifiedAt)).hasValueSatisfying(r -> {
      assertThat(r.verifiedAt()).isEqualTo(verifiedAt);
      assertThat(r.expiresAt()).isEqualTo(expiresAt);
    });
    store.storeToken("new", new TokenRecord("ann@example.com", VerificationType.REGISTER, verifiedAt, expiresAt),
        verifiedAt);
    assertThat(inspect.sync().hget(((RedisCodeStore) store).tokenKey("new"), "v")).isEqualTo("1767225600123456789");
  }

  @Test
  @DisplayName("C28: a verification's code and limit buckets are fields of one hash keyed by the address, with the"
      + " address as cluster hash tag; the default prefix is mailverify:")
  void keyLayout() {
    RedisCodeStore s = RedisCodeStore.builder(client()).build();
    opened.add(s);
    CodeKey register = new CodeKey(VerificationType.REGISTER, "a@example.com");
    assertThat(s.codeKey(register)).isEqualTo("mailverify:{a@example.com}");
    assertThat(RedisCodeStore.codeFields(register)).isEqualTo("register:");
    assertThat(RedisKeys.bucketKey("mailverify:", "cooldown:register:a@example.com"))
        .isEqualTo("mailverify:{a@example.com}");
    assertThat(RedisKeys.bucketField("cooldown:register:a@example.com")).isEqualTo("cooldown:register:");
    assertThat(RedisKeys.bucketKey("mailverify:", "address-all:a@example.com"))
        .isEqualTo("mailverify:{a@example.com}");
    assertThat(RedisKeys.bucketField("address-all:a@example.com")).isEqualTo("address-all:");
    assertThat(RedisKeys.bucketKey("mailverify:", "client:203.0.113.7")).isEqualTo("mailverify:{203.0.113.7}");
    assertThat(s.tokenKey("abc")).isEqualTo("mailverify:token:{abc}");
    assertThat(s.toString()).contains("127.0.0.1:6379").contains("mailverify:");
  }

  @Test
  @DisplayName("Builder: bad values fail at once, naming the field; the last call wins")
  void builderChecks() {
    RedisCodeStore.Builder b = RedisCodeStore.builder(client());
    assertThatThrownBy(() -> b.timeout(Duration.ZERO)).hasMessageContaining("timeout");
    assertThatThrownBy(() -> b.keyPrefix("")).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> b.keyPrefix("a b")).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> b.gracePeriod(Duration.ofSeconds(-1))).hasMessageContaining("gracePeriod");
    assertThatThrownBy(() -> RedisCodeStore.builder("not a uri :: at all://"))
        .hasMessageContaining("uri").hasMessageNotContaining("at all");
    RedisCodeStore s = b.keyPrefix("first:").keyPrefix(prefix).timeout(Duration.ofSeconds(5))
        .timeout(Duration.ofMillis(700)).build();
    opened.add(s);
    assertThat(s.toString()).contains(prefix).contains("700ms");
  }

  @Test
  @DisplayName("Memory: with a resend grace running, the key holds two more fields (reported, bounded)")
  void memoryOfOnePendingCodeWithGrace() {
    CodeKey k = new CodeKey(VerificationType.REGISTER, "someone.long.name@example.com");
    store.issue(k, code("123456", T0.plus(Duration.ofMinutes(10))), Duration.ofMinutes(2), T0);
    store.issue(k, code("654321", T0.plus(Duration.ofMinutes(11))), Duration.ofMinutes(2), T0.plusSeconds(60));
    Long bytes = inspect.sync().memoryUsage(((RedisCodeStore) store).codeKey(k));
    System.err.println("[mailverify] MEMORY USAGE of one pending code key during a resend grace: " + bytes + " bytes");
    assertThat(bytes).isPositive().isLessThan(600);
  }

  @Test
  @DisplayName("Memory: MEMORY USAGE of one pending code's key (reported, bounded)")
  void memoryOfOnePendingCode() {
    CodeKey k = new CodeKey(VerificationType.REGISTER, "someone.long.name@example.com");
    store.issue(k, code("123456", T0.plus(Duration.ofMinutes(10))), T0);
    Long bytes = inspect.sync().memoryUsage(((RedisCodeStore) store).codeKey(k));
    System.err.println("[mailverify] MEMORY USAGE of one pending code key: " + bytes + " bytes");
    assertThat(bytes).isPositive().isLessThan(400);
  }
}
