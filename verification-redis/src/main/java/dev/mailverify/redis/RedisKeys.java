package dev.mailverify.redis;

import java.time.Duration;
import java.util.Objects;

/** The defaults and checks both builders share. */
final class RedisKeys {
  static final String DEFAULT_PREFIX = "mailverify:";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private RedisKeys() {}

  static String checkPrefix(String value) {
    Objects.requireNonNull(value, "keyPrefix");
    if (value.isEmpty() || value.length() > 100 || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          "keyPrefix must be 1 to 100 printable ASCII characters without spaces, was '" + value + "'");
    }
    return value;
  }

  static Duration checkTimeout(Duration value) {
    Objects.requireNonNull(value, "timeout");
    if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("timeout must be between 1 ms and 1 minute, was " + value);
    }
    return value;
  }
}
