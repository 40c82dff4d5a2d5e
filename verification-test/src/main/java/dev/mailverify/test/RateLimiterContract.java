package dev.mailverify.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mailverify.core.Quota;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.RateLimiter.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit every {@link RateLimiter} must pass: an exact sliding window with the
 * right {@code retryAfter}, release of the newest permit, independent keys, and atomic decisions
 * under 100 threads (C7, C10, C11, C12, C13). Time is passed in, never read from a clock.
 *
 * <pre>{@code
 * class InMemoryRateLimiterTest extends RateLimiterContract {
 *   @Override
 *   protected RateLimiter createLimiter() {
 *     return RateLimiter.inMemory();
 *   }
 * }
 * }</pre>
 *
 * <p>A limiter behind a network (Redis, SQL) returns one under a fresh key prefix or over an
 * emptied table from {@link #createLimiter()}, and may lower {@link #takeAndGiveBackRounds()}.
 */
public abstract class RateLimiterContract {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Quota THREE_PER_HOUR = Quota.perHour(3);

  /** The limiter under test, fresh for every test. */
  protected RateLimiter limiter;

  /** For subclasses. */
  protected RateLimiterContract() {}

  /**
   * Returns a new limiter that shares no keys with any earlier one (a fresh key prefix, an
   * emptied table); called before each test.
   *
   * @return the limiter; not null
   */
  protected abstract RateLimiter createLimiter();

  /**
   * How many take-and-give-back rounds each of 50 threads runs in the mutual-exclusion race. A
   * limiter behind a network round trip may lower it to keep the test short.
   *
   * @return rounds per thread; 2,000 by default
   */
  protected int takeAndGiveBackRounds() {
    return 2_000;
  }

  @BeforeEach
  void createFreshLimiter() {
    limiter = createLimiter();
  }

  @Test
  @DisplayName("C11: a sliding window - the oldest permit frees exactly one window after it was taken")
  void slidingWindow() {
    assertTrue(limiter.tryAcquire("k", THREE_PER_HOUR, T0).granted());
    assertTrue(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(10))).granted());
    assertTrue(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(20))).granted());

    Decision denied = limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(30)));
    assertFalse(denied.granted());
    assertEquals(Duration.ofMinutes(30), denied.retryAfter());
    assertFalse(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(60)).minusMillis(1)).granted());
    assertTrue(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(60))).granted());
    Decision next = limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(61)));
    assertEquals(Duration.ofMinutes(9), next.retryAfter()); // the 10-minute permit frees at 70
  }

  @Test
  @DisplayName("C7: a refused call takes no permit, so refusals do not push the window back")
  void refusalTakesNoPermit() {
    Quota one = new Quota(1, Duration.ofMinutes(1));
    limiter.tryAcquire("k", one, T0);
    for (int s = 1; s < 60; s++) {
      assertFalse(limiter.tryAcquire("k", one, T0.plusSeconds(s)).granted());
    }
    assertTrue(limiter.tryAcquire("k", one, T0.plusSeconds(60)).granted());
  }

  @Test
  @DisplayName("C11: a large quota is counted exactly, permit by permit")
  void largeQuotaExact() {
    Quota thousand = Quota.perHour(1000);
    for (int i = 0; i < 1000; i++) {
      assertTrue(limiter.tryAcquire("k", thousand, T0.plusMillis(i)).granted(), "permit " + i);
    }
    Decision denied = limiter.tryAcquire("k", thousand, T0.plusSeconds(5));
    assertFalse(denied.granted());
    assertEquals(Duration.ofHours(1).minusSeconds(5), denied.retryAfter());
    // the oldest permits leave one by one
    assertTrue(limiter.tryAcquire("k", thousand, T0.plus(Duration.ofHours(1))).granted());
    assertFalse(limiter.tryAcquire("k", thousand, T0.plus(Duration.ofHours(1))).granted());
  }

  @Test
  @DisplayName("C13: release gives back only the newest permit, and is a no-op for an unknown key")
  void releaseGivesBackNewest() {
    limiter.release("unknown", T0);
    limiter.tryAcquire("k", THREE_PER_HOUR, T0);
    limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(30)));
    limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(40)));
    limiter.release("k", T0.plus(Duration.ofMinutes(41))); // the 40-minute permit
    assertTrue(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(42))).granted());
    Decision denied = limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(43)));
    assertEquals(Duration.ofMinutes(17), denied.retryAfter()); // the T0 permit is still the oldest

    limiter.release("k", T0.plus(Duration.ofMinutes(44)));
    limiter.release("k", T0.plus(Duration.ofMinutes(44)));
    limiter.release("k", T0.plus(Duration.ofMinutes(44)));
    limiter.release("k", T0.plus(Duration.ofMinutes(44))); // more releases than permits: nothing breaks
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(45))).granted());
    }
    assertFalse(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(45))).granted());
  }

  @Test
  @DisplayName("C12: keys are independent")
  void keysIndependent() {
    Quota one = Quota.perHour(1);
    assertTrue(limiter.tryAcquire("a", one, T0).granted());
    assertTrue(limiter.tryAcquire("b", one, T0).granted());
    assertFalse(limiter.tryAcquire("a", one, T0).granted());
  }

  @Test
  @DisplayName("C7, C11: 100 threads taking permits from a quota of 20 at once - exactly 20 are granted")
  void raceGrantsExactlyTheLimit() throws Exception {
    for (int round = 0; round < 20; round++) {
      String key = "race" + round;
      List<Decision> results = Race.run(100, i -> limiter.tryAcquire(key, Quota.perHour(20), T0));
      assertEquals(20, results.stream().filter(Decision::granted).count());
      for (Decision d : results) {
        if (!d.granted()) {
          assertEquals(Duration.ofHours(1), d.retryAfter());
        }
      }
    }
  }

  @Test
  @DisplayName("C7, C10: take-and-give-back on many threads - never more holders than the limit, none lost")
  void raceTakeAndGiveBack() throws Exception {
    // A bucket that a release empties leaves the cache while other threads may hold it: they must
    // look again rather than count on the removed bucket.
    for (int limit : new int[] {1, 3}) {
      String key = "mutex" + limit;
      Quota quota = Quota.perHour(limit);
      AtomicInteger holders = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      int rounds = takeAndGiveBackRounds();
      List<Integer> granted = Race.run(50, i -> {
        int mine = 0;
        for (int n = 0; n < rounds; n++) {
          if (limiter.tryAcquire(key, quota, T0).granted()) {
            mine++;
            int now = holders.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            holders.decrementAndGet();
            limiter.release(key, T0);
          }
        }
        return mine;
      });
      assertTrue(most.get() <= limit, "most permits held at once: " + most.get());
      assertTrue(granted.stream().mapToInt(Integer::intValue).sum() > 0, "no permit was ever granted");
      // every permit was given back: the whole quota is free again
      for (int i = 0; i < limit; i++) {
        assertTrue(limiter.tryAcquire(key, quota, T0).granted());
      }
      assertFalse(limiter.tryAcquire(key, quota, T0).granted());
    }
  }

  @Test
  @DisplayName("C7: permits taken on many threads while others give theirs back keep the count exact")
  void raceMixedCountsExactly() throws Exception {
    // 2,500 permits are kept and at most 50 more are held at any moment: 3,000 never refuses, and
    // counting what is left afterwards stays short on a store that counts permits per decision
    int limit = 3_000;
    Quota quota = Quota.perHour(limit);
    List<Integer> kept = Race.run(100, i -> {
      int keep = 0;
      for (int n = 0; n < 50; n++) {
        if (limiter.tryAcquire("mixed", quota, T0).granted()) {
          if (i % 2 == 0) {
            limiter.release("mixed", T0);
          } else {
            keep++;
          }
        }
      }
      return keep;
    });
    int held = kept.stream().mapToInt(Integer::intValue).sum();
    assertEquals(50 * 50, held);
    int free = 0;
    while (limiter.tryAcquire("mixed", quota, T0).granted()) {
      free++;
    }
    assertEquals(limit - held, free);
  }
}
