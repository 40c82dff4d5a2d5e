package dev.mailverify.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.mailverify.core.Quota;
import dev.mailverify.core.spi.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The built-in {@link RateLimiter}: an exact sliding log of permit times per key, bounded in the
 * number of keys.
 *
 * <p>A call looks its bucket up without touching Caffeine's eviction bookkeeping (or inserts a new
 * one atomically) and then decides under the bucket's own lock, so of many concurrent calls for one
 * key no more than the limit are granted. Taking, refusing and giving back a permit allocate nothing
 * once a bucket's ring has room, so a limiter hit on every verify leaves no garbage behind in a map
 * of entries that live for an hour.
 *
 * <p>A bucket is never dropped while it may hold a live permit. Caffeine keeps it for two windows
 * after it was created or last renewed, and a call renews it (under its lock, before deciding) once
 * a window has passed since the last renewal; so a bucket can only expire a whole window after the
 * last permit it took. A bucket that a release empties is marked dead under its lock and removed;
 * one found gone from the cache while being renewed is marked dead too. A call that looked either
 * up a moment earlier sees the mark and looks again.
 */
public final class InMemoryRateLimiter implements RateLimiter {

  /** Caffeine's clock, read here to decide when a bucket needs renewing. */
  private static final Ticker TICKER = Ticker.systemTicker();

  /**
   * Permit times in epoch millis, oldest first, in a growable ring; the window of the last call and
   * when to renew the bucket's lifetime; and whether it has left the cache. Guarded by the
   * bucket's monitor; Caffeine also reads {@code windowNanos} when it sets the lifetime.
   */
  private static final class Bucket {
    long[] times = new long[1];
    int head;
    int size;
    volatile long windowNanos;
    long renewAtNanos;
    boolean dead;

    Bucket(long windowNanos, long nowNanos) {
      keep(windowNanos, nowNanos);
    }

    /** Before Caffeine (re)sets the lifetime: two windows, renewed after one. */
    void keep(long windowNanos, long nowNanos) {
      this.windowNanos = windowNanos;
      this.renewAtNanos = nowNanos + windowNanos;
    }

    /** How long Caffeine keeps the bucket from a (re)set: two windows. */
    long keepNanos() {
      long w = windowNanos;
      return w > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 2 : w * 2;
    }

    long get(int i) {
      return times[(head + i) % times.length];
    }

    /** Drops the permits that left the window. */
    void expire(long nowMillis, long windowMillis) {
      while (size > 0 && times[head] + windowMillis <= nowMillis) {
        head = (head + 1) % times.length;
        size--;
      }
    }

    void add(long nowMillis) {
      if (size == times.length) {
        long[] grown = new long[times.length * 2];
        for (int i = 0; i < size; i++) {
          grown[i] = get(i);
        }
        times = grown;
        head = 0;
      }
      times[(head + size) % times.length] = nowMillis;
      size++;
    }
  }

  private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
      .maximumSize(2_000_000)
      .ticker(TICKER)
      .executor(Runnable::run)
      .expireAfter(new Expiry<String, Bucket>() {
        @Override
        public long expireAfterCreate(String key, Bucket value, long currentTime) {
          return value.keepNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Bucket value, long currentTime, long currentDuration) {
          return value.keepNanos();
        }

        @Override
        public long expireAfterRead(String key, Bucket value, long currentTime, long currentDuration) {
          return value.keepNanos(); // only renewals read through the policy: lookups are quiet
        }
      })
      .build();
  private final Policy<String, Bucket> policy = buckets.policy();

  /** Creates an empty limiter. */
  public InMemoryRateLimiter() {}

  @Override
  public Decision tryAcquire(String key, Quota quota, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(quota, "quota");
    Objects.requireNonNull(now, "now");
    long nowMillis = now.toEpochMilli();
    long window = quota.window().toMillis();
    long windowNanos = saturatedNanos(quota.window());
    int limit = quota.limit();
    while (true) {
      Bucket bucket = policy.getIfPresentQuietly(key);
      if (bucket == null) {
        bucket = buckets.get(key, k -> new Bucket(windowNanos, TICKER.read()));
      }
      synchronized (bucket) {
        if (bucket.dead || !renewIfDue(key, bucket, windowNanos)) {
          continue; // it left the cache after we looked it up: look again
        }
        bucket.expire(nowMillis, window);
        if (bucket.size < limit) {
          bucket.add(nowMillis);
          return Decision.grant();
        }
        long oldestThatMustExpire = bucket.get(bucket.size - limit);
        return Decision.deny(Duration.ofMillis(oldestThatMustExpire + window - nowMillis));
      }
    }
  }

  /**
   * Extends the bucket's lifetime to two windows from now if one window has passed since it was
   * last set, or the window changed. Called holding the bucket's lock.
   *
   * @return false if the bucket is no longer in the cache (it is then marked dead)
   */
  private boolean renewIfDue(String key, Bucket bucket, long windowNanos) {
    long nowNanos = TICKER.read();
    if (nowNanos - bucket.renewAtNanos < 0 && bucket.windowNanos == windowNanos) {
      return true;
    }
    bucket.keep(windowNanos, nowNanos);
    Bucket current = buckets.asMap().computeIfPresent(key, (k, b) -> b); // Caffeine re-reads keepNanos()
    if (current != bucket) {
      bucket.dead = true;
      return false;
    }
    return true;
  }

  @Override
  public void release(String key, Instant now) {
    Objects.requireNonNull(key, "key");
    Bucket bucket = policy.getIfPresentQuietly(key);
    if (bucket == null) {
      return;
    }
    synchronized (bucket) {
      if (bucket.dead || bucket.size == 0) {
        return;
      }
      bucket.size--; // the newest permit
      if (bucket.size == 0) {
        bucket.dead = true;
        buckets.asMap().remove(key, bucket);
      }
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  @Override
  public String toString() {
    return "InMemoryRateLimiter[buckets=" + buckets.estimatedSize() + "]";
  }
}
