package dev.mailverify.core.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AsyncMailTransport} retries a transient delivery failure (C25): at most
 * {@link #maxRetries()} more attempts, waiting an exponentially growing back-off with jitter
 * between them, and never past the message's {@link dev.mailverify.core.spi.EmailMessage#notAfter()}
 * (the code's expiry). Permanent failures are never retried.
 *
 * <p>The wait before retry {@code n} (1 for the first retry) is
 * {@code min(maxBackoff, initialBackoff * multiplier^(n-1)) * (1 - jitter * r)} with {@code r}
 * uniform in [0, 1): with the defaults 2 s, then 4 s, each shortened by up to half at random, so
 * that many senders hit by the same outage do not retry in lock-step.
 *
 * <pre>{@code
 * RetryPolicy retry = RetryPolicy.builder().maxRetries(3).initialBackoff(Duration.ofSeconds(1)).build();
 * }</pre>
 */
public final class RetryPolicy {
  private static final RetryPolicy DEFAULTS = builder().build();
  private static final RetryPolicy NONE = builder().maxRetries(0).build();

  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;

  private RetryPolicy(Builder b) {
    this.maxRetries = b.maxRetries;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
  }

  /**
   * Returns the defaults: 2 retries, 2 s initial back-off doubling up to 1 minute, jitter 0.5.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a policy that never retries.
   *
   * @return the policy
   */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the wait before a retry.
   *
   * @param retry 1 for the first retry, 2 for the second, ...
   * @param random a value in [0, 1) from the jitter source
   * @return the wait, never negative
   */
  public Duration backoff(int retry, double random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be at least 1, was " + retry);
    }
    double r = Math.min(Math.max(random, 0.0), 1.0);
    double base = initialBackoff.toNanos() * Math.pow(multiplier, retry - 1);
    double capped = Math.min(base, (double) maxBackoff.toNanos());
    return Duration.ofNanos((long) (capped * (1.0 - jitter * r)));
  }

  /**
   * Returns how many retries follow the first attempt at most.
   *
   * @return 0 or more
   */
  public int maxRetries() {
    return maxRetries;
  }

  /**
   * Returns the back-off before the first retry, before jitter.
   *
   * @return the initial back-off
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * Returns the longest back-off, before jitter.
   *
   * @return the cap
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * Returns the factor between successive back-offs.
   *
   * @return at least 1
   */
  public double multiplier() {
    return multiplier;
  }

  /**
   * Returns the share of each back-off that jitter may take away.
   *
   * @return 0 (none) to 1 (full jitter)
   */
  public double jitter() {
    return jitter;
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff + ", maxBackoff="
        + maxBackoff + ", multiplier=" + multiplier + ", jitter=" + jitter + "]";
  }

  /**
   * Builds a {@link RetryPolicy}. Each setter checks its argument at once and may be called again;
   * the last call wins.
   */
  public static final class Builder {
    private int maxRetries = 2;
    private Duration initialBackoff = Duration.ofSeconds(2);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private double multiplier = 2.0;
    private double jitter = 0.5;

    private Builder() {}

    /**
     * Sets how many retries may follow the first attempt (default 2).
     *
     * @param value 0-10
     * @return this builder
     */
    public Builder maxRetries(int value) {
      if (value < 0 || value > 10) {
        throw new IllegalArgumentException("maxRetries must be 0-10, was " + value);
      }
      maxRetries = value;
      return this;
    }

    /**
     * Sets the back-off before the first retry (default 2 seconds).
     *
     * @param value 1 ms-1 hour; not null
     * @return this builder
     */
    public Builder initialBackoff(Duration value) {
      initialBackoff = check(value, "initialBackoff");
      return this;
    }

    /**
     * Sets the longest back-off (default 1 minute).
     *
     * @param value 1 ms-1 hour; not null
     * @return this builder
     */
    public Builder maxBackoff(Duration value) {
      maxBackoff = check(value, "maxBackoff");
      return this;
    }

    /**
     * Sets the factor between successive back-offs (default 2).
     *
     * @param value 1-10
     * @return this builder
     */
    public Builder multiplier(double value) {
      if (!(value >= 1.0 && value <= 10.0)) {
        throw new IllegalArgumentException("multiplier must be 1-10, was " + value);
      }
      multiplier = value;
      return this;
    }

    /**
     * Sets the share of each back-off that jitter may take away (default 0.5).
     *
     * @param value 0-1
     * @return this builder
     */
    public Builder jitter(double value) {
      if (!(value >= 0.0 && value <= 1.0)) {
        throw new IllegalArgumentException("jitter must be 0-1, was " + value);
      }
      jitter = value;
      return this;
    }

    private static Duration check(Duration value, String field) {
      Objects.requireNonNull(value, field);
      if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(field + " must be 1 ms-1 hour, was " + value);
      }
      return value;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException if maxBackoff is shorter than initialBackoff
     */
    public RetryPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be shorter than initialBackoff ("
            + initialBackoff + ")");
      }
      return new RetryPolicy(this);
    }
  }
}
