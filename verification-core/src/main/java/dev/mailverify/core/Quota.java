package dev.mailverify.core;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code limit} events in any sliding {@code window}, for example 5 sends per hour.
 *
 * @param limit how many events are allowed in the window, at least 1
 * @param window the window, at least one second
 */
public record Quota(int limit, Duration window) {

  /**
   * Validates the quota.
   *
   * @param limit at least 1
   * @param window at least one second
   * @throws IllegalArgumentException naming the field and its allowed range
   */
  public Quota {
    Objects.requireNonNull(window, "window");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    if (window.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("window must be at least 1s, was " + window);
    }
  }

  /**
   * Returns {@code limit} events per hour.
   *
   * @param limit at least 1
   * @return the quota
   */
  public static Quota perHour(int limit) {
    return new Quota(limit, Duration.ofHours(1));
  }
}
