package dev.mailverify.redis;

import java.time.Duration;
import java.util.Objects;

/** The defaults and checks both builders share. */
final class RedisKeys {
  static final String DEFAULT_PREFIX = "mailverify:";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private RedisKeys() {}

  /**
   * The hash a limiter bucket lives in: {@code <prefix>{<tag>}}, the tag being the bucket name's
   * last {@code :}-separated part. The service names the buckets of an address
   * {@code kind:type:address} or {@code kind:address}, so every bucket of an address is a field of
   * one hash, {@code <prefix>{<address>}}, which also holds the address's pending codes (one hash
   * per address: the fewest keys, hence bytes, per pending send, and one Redis Cluster slot, so one
   * script can take the limits and store the code together). A client bucket ({@code client:<ip>})
   * is a field of its client key's hash.
   */
  static String bucketKey(String prefix, String bucket) {
    return hashKey(prefix, bucket.substring(bucket.lastIndexOf(':') + 1));
  }

  /**
   * The field of a limiter bucket in its {@linkplain #bucketKey hash}: the bucket name up to and
   * including its last {@code :} (such as {@code cooldown:register:}), so a bucket field always
   * ends with {@code :} (or is empty) and never equals a code's field, which ends with a letter.
   * Its value is the bucket's permit log: the permit times (epoch milliseconds), ascending, comma-separated.
   */
  static String bucketField(String bucket) {
    return bucket.substring(0, bucket.lastIndexOf(':') + 1);
  }

  /** The hash of everything kept for one address (or client key): {@code <prefix>{<tag>}}. */
  static String hashKey(String prefix, String tag) {
    return prefix + '{' + tag + '}';
  }

  /**
   * Lua functions over a permit log field (see {@link #bucketField}): {@code permits(key, field,
   * now, window)} answers the permits still inside the window, ascending; {@code take(key, field,
   * t, now)} adds a permit at {@code now} and writes the log back.
   */
  static final String LOG_FUNCTIONS = """
      local function permits(key, field, now, window)
        local t = {}
        local v = redis.call('HGET', key, field)
        if v then
          for s in string.gmatch(v, '[^,]+') do
            local x = tonumber(s)
            if x > now - window then t[#t + 1] = x end
          end
        end
        table.sort(t)
        return t
      end
      local function take(key, field, t, now)
        t[#t + 1] = now
        table.sort(t)
        local out = {}
        for i = 1, #t do out[i] = string.format('%d', t[i]) end
        redis.call('HSET', key, field, table.concat(out, ','))
      end
      local function extend(key, keep)
        if redis.call('PTTL', key) < keep then redis.call('PEXPIRE', key, keep) end
      end
      """;

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
