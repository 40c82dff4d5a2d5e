package dev.mailverify.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.Quota;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.test.RateLimiterContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The limiter kit against the Redis at 127.0.0.1:6379, each test under a fresh key prefix. */
class RedisRateLimiterTest extends RateLimiterContract {
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> inspect;

  private final List<RedisRateLimiter> opened = new ArrayList<>();
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
  protected RateLimiter createLimiter() {
    RedisServers.requireStandalone();
    prefix = RedisServers.randomPrefix();
    RedisRateLimiter l = RedisRateLimiter.builder(client()).keyPrefix(prefix).build();
    opened.add(l);
    return l;
  }

  @Override
  protected int takeAndGiveBackRounds() {
    return 200; // each round is two round trips to Redis
  }

  @AfterEach
  void closeLimiters() {
    opened.forEach(RedisRateLimiter::close);
    if (prefix != null && inspect != null) {
      RedisServers.deleteAll(inspect.sync(), prefix);
    }
  }

  @Test
  @DisplayName("C10: a bucket is one field of its tag's hash, expiring one window plus the skew allowance after the newest permit")
  void bucketKeysExpire() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    limiter.tryAcquire("cooldown:register:a@example.com", new Quota(1, Duration.ofSeconds(60)), t0);
    String[] keys = ((RedisRateLimiter) limiter).keys("cooldown:register:a@example.com");
    assertThat(keys).containsExactly(prefix + "{a@example.com}");
    assertThat(inspect.sync().hkeys(keys[0])).containsExactly("cooldown:register:");
    for (String k : keys) {
      assertThat(inspect.sync().pttl(k)).isBetween(100_000L, 120_000L);
    }
    limiter.release("cooldown:register:a@example.com", t0);
    assertThat(inspect.sync().exists(keys)).as("an emptied bucket leaves no key").isZero();
  }

  @Test
  @DisplayName("C10: a permit never shortens its hash's life (a longer bucket of the same tag keeps its TTL),"
      + " and a hash left without a TTL gets one")
  void permitsNeverShortenTheHashesLife() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    limiter.tryAcquire("day:register:b@example.com", new Quota(5, Duration.ofHours(24)), t0);
    String key = ((RedisRateLimiter) limiter).keys("day:register:b@example.com")[0];
    long day = inspect.sync().pttl(key);
    assertThat(day).isGreaterThan(Duration.ofHours(23).toMillis());
    limiter.tryAcquire("cooldown:register:b@example.com", new Quota(1, Duration.ofSeconds(60)), t0);
    assertThat(inspect.sync().pttl(key)).as("still the day's bucket's life").isGreaterThan(day - 60_000);

    inspect.sync().persist(key);
    limiter.tryAcquire("cooldown:login:b@example.com", new Quota(1, Duration.ofSeconds(60)), t0);
    assertThat(inspect.sync().pttl(key)).as("a hash without a TTL gets one").isBetween(100_000L, 120_000L);
  }

  @Test
  @DisplayName("C28: permits taken at the same instant by two limiter instances on one prefix are all counted")
  void twoInstancesCountTogether() {
    RedisRateLimiter other = RedisRateLimiter.builder(RedisServers.URI).keyPrefix(prefix).build();
    opened.add(other);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Quota ten = Quota.perHour(10);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("shared", ten, t0).granted()).isTrue();
      assertThat(other.tryAcquire("shared", ten, t0).granted()).isTrue();
    }
    assertThat(limiter.tryAcquire("shared", ten, t0).granted()).isFalse();
    String log = inspect.sync().hget(((RedisRateLimiter) limiter).keys("shared")[0], RedisKeys.bucketField("shared"));
    assertThat(log.split(",")).as("the permit log of the bucket").hasSize(10);
  }
  @Test
  @DisplayName("C10: a permit taken by an instance whose clock is behind keeps the log ascending: it expires first,"
      + " and a refusal waits for the oldest permit")
  void permitFromAClockBehindKeepsTheLogInOrder() {
    RedisRateLimiter behind = RedisRateLimiter.builder(RedisServers.URI).keyPrefix(prefix).build();
    opened.add(behind);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Quota three = new Quota(3, Duration.ofSeconds(60));
    String field = RedisKeys.bucketField("skewed");
    assertThat(limiter.tryAcquire("skewed", three, t0.plusSeconds(10)).granted()).isTrue();
    assertThat(behind.tryAcquire("skewed", three, t0).granted()).isTrue();
    assertThat(limiter.tryAcquire("skewed", three, t0.plusSeconds(20)).granted()).isTrue();
    String key = ((RedisRateLimiter) limiter).keys("skewed")[0];
    long ms = t0.toEpochMilli();
    assertThat(inspect.sync().hget(key, field)).isEqualTo(ms + "," + (ms + 10_000) + "," + (ms + 20_000));
    RateLimiter.Decision refused = limiter.tryAcquire("skewed", three, t0.plusSeconds(30));
    assertThat(refused.granted()).isFalse();
    assertThat(refused.retryAfter()).as("until the permit taken at t0 leaves the window").isEqualTo(Duration.ofSeconds(30));
    assertThat(limiter.tryAcquire("skewed", three, t0.plusSeconds(61)).granted()).as("t0's permit expired").isTrue();
    assertThat(inspect.sync().hget(key, field)).as("expired permits are dropped when the log is written")
        .isEqualTo((ms + 10_000) + "," + (ms + 20_000) + "," + (ms + 61_000));
  }
}
