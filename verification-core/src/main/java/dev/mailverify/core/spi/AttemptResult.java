package dev.mailverify.core.spi;

import java.util.Objects;

/**
 * What one {@link CodeStore#attempt} found.
 *
 * @param outcome the outcome
 * @param remainingAttempts tries left after this one; meaningful for {@link Outcome#MISMATCHED}
 */
public record AttemptResult(Outcome outcome, int remainingAttempts) {

  private static final AttemptResult MATCHED = new AttemptResult(Outcome.MATCHED, 0);
  private static final AttemptResult EXPIRED = new AttemptResult(Outcome.EXPIRED, 0);
  private static final AttemptResult LOCKED = new AttemptResult(Outcome.LOCKED, 0);
  private static final AttemptResult NOT_FOUND = new AttemptResult(Outcome.NOT_FOUND, 0);

  /**
   * Checks the parts.
   *
   * @param outcome the outcome
   * @param remainingAttempts tries left after this one; meaningful for {@link Outcome#MISMATCHED}
   */
  public AttemptResult {
    Objects.requireNonNull(outcome, "outcome");
    if (remainingAttempts < 0) {
      throw new IllegalArgumentException("remainingAttempts must not be negative");
    }
  }

  /** The outcomes of an attempt. */
  public enum Outcome {
    /** A candidate matched; the code was consumed. */
    MATCHED,
    /** No candidate matched; the attempt was counted. */
    MISMATCHED,
    /** The code had expired; nothing was counted. */
    EXPIRED,
    /** The code had no tries left; nothing was compared. */
    LOCKED,
    /** No code was pending. */
    NOT_FOUND
  }

  /**
   * A match.
   *
   * @return the result
   */
  public static AttemptResult matched() {
    return MATCHED;
  }

  /**
   * A mismatch.
   *
   * @param remaining tries left
   * @return the result
   */
  public static AttemptResult mismatched(int remaining) {
    return new AttemptResult(Outcome.MISMATCHED, remaining);
  }

  /**
   * An expired code.
   *
   * @return the result
   */
  public static AttemptResult expired() {
    return EXPIRED;
  }

  /**
   * A locked code.
   *
   * @return the result
   */
  public static AttemptResult locked() {
    return LOCKED;
  }

  /**
   * No code.
   *
   * @return the result
   */
  public static AttemptResult notFound() {
    return NOT_FOUND;
  }
}
