package dev.mailverify.bench;

import dev.mailverify.core.Quota;
import dev.mailverify.core.VerificationPolicy;
import java.time.Duration;

/**
 * Policies for benchmarks. The production defaults allow 5 sends per address per hour and a 60
 * second cooldown; a benchmark sending hundreds of thousands of codes would measure the
 * {@code RateLimited} path instead of the send path. {@link #relaxed()} switches the cooldown off and
 * raises every quota out of reach, so each call takes the full path.
 *
 * <p>The in-memory rate limiter keeps one permit time per send in a sliding log, so benchmarks
 * still spread their calls over many distinct addresses: a single address with a huge quota would
 * make every call copy an ever longer log.
 */
public final class BenchPolicy {

  /** Far above anything a benchmark reaches in an hour, far below {@link Integer#MAX_VALUE}. */
  public static final int HUGE_LIMIT = 1_000_000_000;

  private BenchPolicy() {}

  /**
   * Returns the defaults with no cooldown, 20 tries per code (the most the policy allows) and
   * quotas no benchmark reaches.
   *
   * @return the relaxed policy
   */
  public static VerificationPolicy relaxed() {
    Quota huge = new Quota(HUGE_LIMIT, Duration.ofHours(1));
    return VerificationPolicy.defaults().toBuilder()
        .cooldown(Duration.ZERO)
        .maxAttempts(20)
        .failedAttemptsQuota(huge)
        .perAddressQuota(huge)
        .perClientQuota(huge)
        .build();
  }

  /**
   * Returns the production defaults ({@link VerificationPolicy#defaults()}), for comparison: the
   * same call path plus a cooldown permit per send. Only usable with a fresh address per call.
   *
   * @return the default policy
   */
  public static VerificationPolicy production() {
    return VerificationPolicy.defaults();
  }

  /**
   * Returns a policy by name.
   *
   * @param name {@code relaxed} or {@code production}
   * @return the policy
   * @throws IllegalArgumentException for another name
   */
  public static VerificationPolicy named(String name) {
    return switch (name) {
      case "relaxed" -> relaxed();
      case "production" -> production();
      default -> throw new IllegalArgumentException("policy must be relaxed or production, was " + name);
    };
  }
}
