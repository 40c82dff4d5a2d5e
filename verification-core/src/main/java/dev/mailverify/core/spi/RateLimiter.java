package dev.mailverify.core.spi;

import dev.mailverify.core.Quota;
import dev.mailverify.core.internal.InMemoryRateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Sliding-window counters for the send cooldown, the send caps and the failed-try cap (C7, C10,
 * C11, C13). Keys are built by the service from normalized addresses (C12).
 *
 * <p>{@link #tryAcquire} must be atomic: of many concurrent calls for one key, no more than the
 * quota's limit are granted in any window. The built-in {@link #inMemory()} serves one JVM; a
 * distributed implementation (Redis) serves apps on several machines.
 */
public interface RateLimiter {

  /**
   * Takes one permit for the key if fewer than {@code quota.limit()} were taken in the
   * {@code quota.window()} before {@code now}.
   *
   * @param key the bucket
   * @param quota the limit and window
   * @param now the current time
   * @return granted, or denied with the time until a permit frees
   */
  Decision tryAcquire(String key, Quota quota, Instant now);

  /**
   * Gives back the most recently taken permit of the key, if any (used to undo a permit when a
   * later check refuses the request, and to lift the cooldown after a failed delivery).
   *
   * @param key the bucket
   * @param now the current time
   */
  void release(String key, Instant now);

  /**
   * Returns the built-in in-memory limiter.
   *
   * @return a new limiter
   */
  static RateLimiter inMemory() {
    return new InMemoryRateLimiter();
  }

  /**
   * The answer of {@link #tryAcquire}.
   *
   * @param granted whether a permit was taken
   * @param retryAfter zero when granted, otherwise how long until a permit frees
   */
  record Decision(boolean granted, Duration retryAfter) {
    private static final Decision GRANTED = new Decision(true, Duration.ZERO);

    /**
     * Checks the parts.
     *
     * @param granted whether a permit was taken
     * @param retryAfter zero when granted, otherwise how long until a permit frees
     */
    public Decision {
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (granted && !retryAfter.isZero()) {
        throw new IllegalArgumentException("a granted decision has no retryAfter");
      }
    }

    /**
     * A granted permit.
     *
     * @return the decision
     */
    public static Decision grant() {
      return GRANTED;
    }

    /**
     * A refusal.
     *
     * @param retryAfter how long until a permit frees; not negative
     * @return the decision
     */
    public static Decision deny(Duration retryAfter) {
      return new Decision(false, retryAfter.isNegative() ? Duration.ZERO : retryAfter);
    }
  }
}
