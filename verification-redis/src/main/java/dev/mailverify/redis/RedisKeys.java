package dev.mailverify.redis;

import java.time.Duration;
import java.util.Objects;

/** The defaults and checks both builders share. */
final class RedisKeys {
  static final String DEFAULT_PREFIX = "mailverify:";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private RedisKeys() {}

  /**
   * The key of a limiter bucket: {@code <prefix>limit:<bucket>} with the bucket's last
   * {@code :}-separated part as the Redis Cluster hash tag. The service names the buckets of an
   * address {@code kind:type:address} or {@code kind:address}, so they all carry the address's tag,
   * as does its code ({@code <prefix>code:<type>:{<address>}}): one slot per address, and one script
   * can take the limits and store the code together. A client bucket ({@code client:<ip>}) is in
   * the slot of its client key.
   */
  static String bucketKey(String prefix, String bucket) {
    int colon = bucket.lastIndexOf(':');
    return prefix + "limit:" + bucket.substring(0, colon + 1) + '{' + bucket.substring(colon + 1) + '}';
  }

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
