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
   * Lua functions over a permit log field (see {@link #bucketField}), whose permit times are kept
   * ascending: {@code parse(value, now, window)} answers the permits of a log field's value still
   * inside the window as a log {@code {n = count, s = their times as stored, last = the newest}},
   * reading only the expired times at the start and finding the rest by their commas;
   * {@code permits(key, field, now, window)} reads the field and parses it; {@code nth(log, k)} the
   * k-th oldest time in the window (only a refusal needs one); {@code logged(log, now)} the log's
   * value with a permit at {@code now} appended and without the expired times (sorted again only
   * when {@code now} is older than the newest permit, as from an instance whose clock is behind);
   * {@code take(key, field, log, now)} writes that value; {@code extend(key, keep)} keeps a hash at
   * least {@code keep} ms and never shortens its life: on Redis 7 and later with one
   * {@code PEXPIRE ... GT} (a second command only for a hash without a time to live, which
   * {@code GT} leaves alone), before Redis 7 with {@code PTTL} and then {@code PEXPIRE}. A wrong
   * try with a budget of 19 permits spent 6.8 µs of the Redis thread on its log when every call
   * parsed, sorted and formatted every time; 2.8 µs so (issue 19).
   */
  static final String LOG_FUNCTIONS = """
      local function parse(v, now, window)
        local log = {n = 0, s = ''}
        if not v or v == '' then return log end
        local cutoff = now - window
        local i = 1
        while true do
          local e = string.find(v, ',', i, true)
          if tonumber(string.sub(v, i, e and e - 1 or -1)) > cutoff then break end
          if not e then return log end
          i = e + 1
        end
        local s = i == 1 and v or string.sub(v, i)
        local n, c = 1, 0
        local p = string.find(s, ',', 1, true)
        while p do
          n = n + 1
          c = p
          p = string.find(s, ',', p + 1, true)
        end
        log.n = n
        log.s = s
        log.last = tonumber(string.sub(s, c + 1))
        return log
      end
      local function permits(key, field, now, window)
        return parse(redis.call('HGET', key, field), now, window)
      end
      local function nth(log, k)
        local i = 0
        for x in string.gmatch(log.s, '[^,]+') do
          i = i + 1
          if i == k then return tonumber(x) end
        end
      end
      local function logged(log, now)
        local s
        if log.n == 0 then
          s = string.format('%d', now)
        elseif now >= log.last then
          s = log.s .. ',' .. string.format('%d', now)
        else
          local t = {now}
          for x in string.gmatch(log.s, '[^,]+') do t[#t + 1] = tonumber(x) end
          table.sort(t)
          local out = {}
          for j = 1, #t do out[j] = string.format('%d', t[j]) end
          s = table.concat(out, ',')
        end
        return s
      end
      local function take(key, field, log, now)
        redis.call('HSET', key, field, logged(log, now))
      end
      local function extend(key, keep)
        if (redis.REDIS_VERSION_NUM or 0) >= 0x070000 then
          if redis.call('PEXPIRE', key, keep, 'GT') == 0 and redis.call('PTTL', key) == -1 then
            redis.call('PEXPIRE', key, keep)
          end
        elseif redis.call('PTTL', key) < keep then
          redis.call('PEXPIRE', key, keep)
        end
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
