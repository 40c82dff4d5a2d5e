package dev.mailverify.core.testkit;

import static org.assertj.core.api.Assertions.assertThat;

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
 * class RedisRateLimiterTest extends RateLimiterContract {
 *   protected RateLimiter createLimiter() { return RedisRateLimiter.create(client, "test:" + UUID.randomUUID()); }
 * }
 * }</pre>
 *
 * <p>Published in the {@code verification-core} test-jar; it needs JUnit Jupiter and AssertJ.
 */
public abstract class RateLimiterContract {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Quota THREE_PER_HOUR = Quota.perHour(3);

  /** The limiter under test, fresh for every test. */
  protected RateLimiter limiter;

  /**
   * Returns a new limiter that shares no keys with any earlier one (a fresh key prefix, an
   * emptied table).
   *
   * @return the limiter
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
    assertThat(limiter.tryAcquire("k", THREE_PER_HOUR, T0).granted()).isTrue();
    assertThat(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(10))).granted()).isTrue();
    assertThat(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(20))).granted()).isTrue();

    Decision denied = limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(30)));
    assertThat(denied.granted()).isFalse();
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofMinutes(30));
    assertThat(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(60)).minusMillis(1)).granted())
        .isFalse();
    assertThat(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(60))).granted()).isTrue();
    Decision next = limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(61)));
    assertThat(next.retryAfter()).isEqualTo(Duration.ofMinutes(9)); // the 10-minute permit frees at 70
  }

  @Test
  @DisplayName("C7: a refused call takes no permit, so refusals do not push the window back")
  void refusalTakesNoPermit() {
    Quota one = new Quota(1, Duration.ofMinutes(1));
    limiter.tryAcquire("k", one, T0);
    for (int s = 1; s < 60; s++) {
      assertThat(limiter.tryAcquire("k", one, T0.plusSeconds(s)).granted()).isFalse();
    }
    assertThat(limiter.tryAcquire("k", one, T0.plusSeconds(60)).granted()).isTrue();
  }

  @Test
  @DisplayName("C11: a large quota is counted exactly, permit by permit")
  void largeQuotaExact() {
    Quota thousand = Quota.perHour(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.tryAcquire("k", thousand, T0.plusMillis(i)).granted()).as("permit %d", i).isTrue();
    }
    Decision denied = limiter.tryAcquire("k", thousand, T0.plusSeconds(5));
    assertThat(denied.granted()).isFalse();
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofHours(1).minusSeconds(5));
    // the oldest permits leave one by one
    assertThat(limiter.tryAcquire("k", thousand, T0.plus(Duration.ofHours(1))).granted()).isTrue();
    assertThat(limiter.tryAcquire("k", thousand, T0.plus(Duration.ofHours(1))).granted()).isFalse();
  }

  @Test
  @DisplayName("C13: release gives back only the newest permit, and is a no-op for an unknown key")
  void releaseGivesBackNewest() {
    limiter.release("unknown", T0);
    limiter.tryAcquire("k", THREE_PER_HOUR, T0);
    limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(30)));
    limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(40)));
    limiter.release("k", T0.plus(Duration.ofMinutes(41))); // the 40-minute permit
    assertThat(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(42))).granted()).isTrue();
    Decision denied = limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(43)));
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofMinutes(17)); // the T0 permit is still the oldest

    limiter.release("k", T0.plus(Duration.ofMinutes(44)));
    limiter.release("k", T0.plus(Duration.ofMinutes(44)));
    limiter.release("k", T0.plus(Duration.ofMinutes(44)));
    limiter.release("k", T0.plus(Duration.ofMinutes(44))); // more releases than permits: nothing breaks
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(45))).granted()).isTrue();
    }
    assertThat(limiter.tryAcquire("k", THREE_PER_HOUR, T0.plus(Duration.ofMinutes(45))).granted()).isFalse();
  }

  @Test
  @DisplayName("C12: keys are independent")
  void keysIndependent() {
    Quota one = Quota.perHour(1);
    assertThat(limiter.tryAcquire("a", one, T0).granted()).isTrue();
    assertThat(limiter.tryAcquire("b", one, T0).granted()).isTrue();
    assertThat(limiter.tryAcquire("a", one, T0).granted()).isFalse();
  }

  @Test
  @DisplayName("C7, C11: 100 threads taking permits from a quota of 20 at once - exactly 20 are granted")
  void raceGrantsExactlyTheLimit() throws Exception {
    for (int round = 0; round < 20; round++) {
      String key = "race" + round;
      List<Decision> results = Race.run(100, i -> limiter.tryAcquire(key, Quota.perHour(20), T0));
      assertThat(results.stream().filter(Decision::granted)).hasSize(20);
      assertThat(results.stream().filter(d -> !d.granted()))
          .allSatisfy(d -> assertThat(d.retryAfter()).isEqualTo(Duration.ofHours(1)));
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
      assertThat(most.get()).as("most permits held at once").isLessThanOrEqualTo(limit);
      assertThat(granted.stream().mapToInt(Integer::intValue).sum()).isPositive();
      // every permit was given back: the whole quota is free again
      for (int i = 0; i < limit; i++) {
        assertThat(limiter.tryAcquire(key, quota, T0).granted()).isTrue();
      }
      assertThat(limiter.tryAcquire(key, quota, T0).granted()).isFalse();
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
    assertThat(held).isEqualTo(50 * 50);
    int free = 0;
    while (limiter.tryAcquire("mixed", quota, T0).granted()) {
      free++;
    }
    assertThat(free).isEqualTo(limit - held);
  }
}
