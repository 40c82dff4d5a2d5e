package dev.mailverify.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.mailverify.core.Quota;
import dev.mailverify.core.spi.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The built-in {@link RateLimiter}: an exact sliding log of permit times per key, updated with one
 * atomic {@code compute} per call. Buckets are dropped one window after their newest permit
 * (by Caffeine's clock) and bounded in number.
 */
public final class InMemoryRateLimiter implements RateLimiter {

  /** Permit times in epoch millis, oldest first, plus the window they were taken under. */
  private record Bucket(long[] times, long windowMillis) {}

  private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
      .maximumSize(2_000_000)
      .expireAfter(new Expiry<String, Bucket>() {
        @Override
        public long expireAfterCreate(String key, Bucket value, long currentTime) {
          return Duration.ofMillis(value.windowMillis()).toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Bucket value, long currentTime, long currentDuration) {
          return Duration.ofMillis(value.windowMillis()).toNanos();
        }

        @Override
        public long expireAfterRead(String key, Bucket value, long currentTime, long currentDuration) {
          return currentDuration;
        }
      })
      .build();

  /** Creates an empty limiter. */
  public InMemoryRateLimiter() {}

  @Override
  public Decision tryAcquire(String key, Quota quota, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(quota, "quota");
    long nowMillis = now.toEpochMilli();
    long window = quota.window().toMillis();
    Decision[] decision = new Decision[1];
    buckets.asMap().compute(key, (k, bucket) -> {
      long[] live = live(bucket, nowMillis, window);
      if (live.length < quota.limit()) {
        long[] next = Arrays.copyOf(live, live.length + 1);
        next[live.length] = nowMillis;
        decision[0] = Decision.grant();
        return new Bucket(next, window);
      }
      long oldestThatMustExpire = live[live.length - quota.limit()];
      decision[0] = Decision.deny(Duration.ofMillis(oldestThatMustExpire + window - nowMillis));
      return new Bucket(live, window);
    });
    return decision[0];
  }

  private static long[] live(Bucket bucket, long nowMillis, long window) {
    if (bucket == null) {
      return new long[0];
    }
    long[] times = bucket.times();
    int first = 0;
    while (first < times.length && times[first] + window <= nowMillis) {
      first++;
    }
    return first == 0 ? times : Arrays.copyOfRange(times, first, times.length);
  }

  @Override
  public void release(String key, Instant now) {
    Objects.requireNonNull(key, "key");
    buckets.asMap().computeIfPresent(key, (k, bucket) -> {
      long[] times = bucket.times();
      if (times.length <= 1) {
        return null;
      }
      return new Bucket(Arrays.copyOf(times, times.length - 1), bucket.windowMillis());
    });
  }

  @Override
  public String toString() {
    return "InMemoryRateLimiter[buckets=" + buckets.estimatedSize() + "]";
  }
}
