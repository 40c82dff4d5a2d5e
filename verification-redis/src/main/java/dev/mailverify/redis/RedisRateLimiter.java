package dev.mailverify.redis;

import dev.mailverify.core.Quota;
import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.spi.RateLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@link RateLimiter} on Redis or Redis Cluster, so that cooldowns, send caps and failed-try
 * budgets count across every instance of an application (C28). Each decision is one Lua script
 * run with {@code EVALSHA}: one round trip, atomic on the server.
 *
 * <pre>{@code
 * RedisRateLimiter limiter = RedisRateLimiter.builder(redisClient).keyPrefix("shop:").build();
 * VerificationCodeService service = VerificationCodeService.builder()
 *     .transport(transport).store(store).rateLimiter(limiter).secret(secret).build();
 * }</pre>
 *
 * <p><b>Keys.</b> A bucket is an exact sliding log: one field of a hash, the permit times (epoch
 * milliseconds) comma-separated. The hash is {@code <prefix>{<tag>}}, the tag being the bucket
 * name's last {@code :}-separated part, and the field the rest: the bucket
 * {@code cooldown:register:ann@example.com} is the field {@code cooldown:register:} of
 * {@code <prefix>{ann@example.com}}. So every bucket of an address is in one hash, with that
 * address's pending codes, in one Redis Cluster slot, and a {@link RedisCodeStore} on the same Redis
 * and key prefix can take them in its own scripts. A hash expires one window plus one minute (for
 * clock skew between instances) after its newest permit, or later if a code in it lives longer;
 * permits older than their window are dropped whenever the bucket is written.
 *
 * <p><b>Time.</b> Decisions use the {@code now} the service passes, never Redis's clock.
 *
 * <p><b>Failures.</b> Every call is bounded by the {@linkplain Builder#timeout timeout} (2 seconds
 * by default) and fails with {@link StoreUnavailableException} naming the server (C29).
 *
 * <p>Thread-safe. {@link #close()} closes the connection if this limiter opened it.
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable {

  /** Clock-skew allowance added to every bucket's lifetime, in milliseconds. */
  static final long SKEW_MILLIS = 60_000;

  /**
   * Takes a permit if fewer than the limit lie inside the window, or answers how long until the
   * oldest permit that must leave does. KEYS: the bucket's hash. ARGV: now (ms), window (ms),
   * limit, skew (ms), the bucket's field. Answers -1 when granted, otherwise the wait in
   * milliseconds (0 or more).
   */
  static final LuaScript TRY_ACQUIRE = LuaScript.of("tryAcquire", RedisKeys.LOG_FUNCTIONS + """
      local now = tonumber(ARGV[1])
      local window = tonumber(ARGV[2])
      local limit = tonumber(ARGV[3])
      local t = permits(KEYS[1], ARGV[5], now, window)
      local n = t.n
      if n < limit then
        take(KEYS[1], ARGV[5], t, now)
        extend(KEYS[1], window + tonumber(ARGV[4]))
        return -1
      end
      return nth(t, n - limit + 1) + window - now
      """);

  /**
   * Gives back the newest permit; an emptied log is removed (and an emptied hash with it, by Redis
   * itself). KEYS: the bucket's hash. ARGV: the bucket's field.
   */
  static final LuaScript RELEASE = LuaScript.of("release", """
      local v = redis.call('HGET', KEYS[1], ARGV[1])
      if not v then return 0 end
      local t = {}
      for s in string.gmatch(v, '[^,]+') do t[#t + 1] = tonumber(s) end
      table.sort(t)
      table.remove(t)
      if #t == 0 then
        redis.call('HDEL', KEYS[1], ARGV[1])
      else
        local out = {}
        for i = 1, #t do out[i] = string.format('%d', t[i]) end
        redis.call('HSET', KEYS[1], ARGV[1], table.concat(out, ','))
      end
      return 1
      """);

  private final RedisEndpoint redis;
  private final String keyPrefix;
  private final String skew = Long.toString(SKEW_MILLIS);

  private RedisRateLimiter(Builder b, RedisEndpoint redis) {
    this.redis = redis;
    this.keyPrefix = b.keyPrefix;
  }

  /**
   * Starts a builder that opens one connection from the application's client; {@link #close()}
   * closes that connection, not the client.
   *
   * @param client the client; not null
   * @return a builder
   */
  public static Builder builder(RedisClient client) {
    return new Builder(RedisEndpoint.Source.client(client));
  }

  /**
   * Starts a builder that opens one cluster connection from the application's client.
   *
   * @param client the cluster client; not null
   * @return a builder
   */
  public static Builder builder(RedisClusterClient client) {
    return new Builder(RedisEndpoint.Source.clusterClient(client));
  }

  /**
   * Starts a builder that uses the application's connection; {@link #close()} leaves it open.
   *
   * @param connection an open connection with a string codec; not null
   * @return a builder
   */
  public static Builder builder(StatefulRedisConnection<String, String> connection) {
    return new Builder(RedisEndpoint.Source.connection(connection));
  }

  /**
   * Starts a builder that uses the application's cluster connection; {@link #close()} leaves it
   * open.
   *
   * @param connection an open cluster connection with a string codec; not null
   * @return a builder
   */
  public static Builder builder(StatefulRedisClusterConnection<String, String> connection) {
    return new Builder(RedisEndpoint.Source.clusterConnection(connection));
  }

  /**
   * Starts a builder that makes its own client from a URI such as {@code redis://127.0.0.1:6379};
   * {@link #close()} shuts it down.
   *
   * @param uri a Redis URI; not null
   * @return a builder
   * @throws IllegalArgumentException if the URI is malformed (the message never repeats it)
   */
  public static Builder builder(String uri) {
    return new Builder(RedisEndpoint.Source.uri(uri));
  }

  String[] keys(String bucket) {
    return new String[] {RedisKeys.bucketKey(keyPrefix, bucket)};
  }

  /** The connection, for a {@link RedisCodeStore} that checks whether it shares it. */
  RedisEndpoint endpoint() {
    return redis;
  }

  String keyPrefix() {
    return keyPrefix;
  }

  @Override
  public Decision tryAcquire(String key, Quota quota, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(quota, "quota");
    Objects.requireNonNull(now, "now");
    Long wait = redis.eval(TRY_ACQUIRE, ScriptOutputType.INTEGER, keys(key),
        Long.toString(now.toEpochMilli()),
        Long.toString(quota.window().toMillis()),
        Integer.toString(quota.limit()),
        skew,
        RedisKeys.bucketField(key));
    if (wait == null || wait < 0) {
      return Decision.grant();
    }
    return Decision.deny(Duration.ofMillis(wait));
  }

  @Override
  public void release(String key, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(now, "now");
    redis.eval(RELEASE, ScriptOutputType.INTEGER, keys(key), RedisKeys.bucketField(key));
  }

  /** Closes the connection if this limiter opened it; one passed in stays open. */
  @Override
  public void close() {
    redis.close();
  }

  /** Shows the server and the key prefix, never a password. */
  @Override
  public String toString() {
    return "RedisRateLimiter[" + redis.where() + ", keyPrefix=" + keyPrefix + ", timeout="
        + redis.timeout().toMillis() + "ms]";
  }

  /**
   * Builds a {@link RedisRateLimiter}. Every setter checks its argument at once; calling one
   * twice, the last call wins.
   */
  public static final class Builder {
    private final RedisEndpoint.Source source;
    private String keyPrefix = RedisKeys.DEFAULT_PREFIX;
    private Duration timeout = RedisKeys.DEFAULT_TIMEOUT;

    private Builder(RedisEndpoint.Source source) {
      this.source = source;
    }

    /**
     * Sets the prefix of every key, so that several applications can share one Redis.
     *
     * @param value 1 to 100 printable ASCII characters without spaces; default {@code "mailverify:"}
     * @return this builder
     * @throws IllegalArgumentException if the prefix is empty, too long or has other characters
     */
    public Builder keyPrefix(String value) {
      keyPrefix = RedisKeys.checkPrefix(value);
      return this;
    }

    /**
     * Sets how long a call may take; a call that takes longer fails with
     * {@link StoreUnavailableException} (C29).
     *
     * @param value from 1 ms to 1 minute; default 2 seconds
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder timeout(Duration value) {
      timeout = RedisKeys.checkTimeout(value);
      return this;
    }

    /**
     * Builds the limiter, connecting now if it was given a client or a URI.
     *
     * @return the limiter
     * @throws StoreUnavailableException if Redis cannot be reached to open the connection
     */
    public RedisRateLimiter build() {
      return new RedisRateLimiter(this, RedisEndpoint.open(source, timeout));
    }
  }
}
