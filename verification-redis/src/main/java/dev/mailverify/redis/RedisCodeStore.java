package dev.mailverify.redis;

import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.LimitingCodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.TokenRecord;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CodeStore} on Redis or Redis Cluster, shared by every instance of an application
 * (C28). Each operation is one Lua script run with {@code EVALSHA} (or one atomic command), so
 * it is atomic on the server: one network round trip, no read-then-write from Java (C8).
 *
 * <pre>{@code
 * RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
 * RedisCodeStore store = RedisCodeStore.builder(redis).keyPrefix("shop:").build();
 * VerificationCodeService service = VerificationCodeService.builder()
 *     .transport(transport).store(store).secret(secretFromVault).build();
 * }</pre>
 *
 * <p><b>Keys.</b> Everything of an address is one hash, {@code <prefix>{<address>}}: per pending
 * code the fields {@code <type>:m}, {@code <type>:e}, {@code <type>:x}, {@code <type>:a} with the
 * HMAC of the code (hex), its expiry, its try limit and its tries (and, during a resend grace,
 * {@code <type>:p} and {@code <type>:g}: the replaced code's HMAC and the grace's end); a token is one hash,
 * {@code <prefix>token:{<token hash>}}, with the address, type and times. Only keyed hashes of
 * codes and hashes of tokens are stored (C14). The part in braces is the Redis Cluster hash tag:
 * a code is in the same hash as its address's limit buckets (see {@link RedisRateLimiter}).
 *
 * <p><b>Limits in the same round trip.</b> This store is a {@link LimitingCodeStore}: with a
 * {@link RedisRateLimiter} on the same Redis and key prefix, the service sends a code and takes
 * the address's cooldown and caps in one script, and counts a wrong try against the code and the
 * failed-tries budget in one script, so a send or a wrong try is one round trip and a failure
 * leaves nothing half done (C29).
 *
 * <p><b>Time.</b> Expiry is decided with the {@code now} the service passes, never with Redis's
 * clock. Redis TTLs only clean up: a record is kept for the {@linkplain Builder#gracePeriod grace
 * period} (1 hour by default) past its expiry, so an expired code answers
 * {@link AttemptResult.Outcome#EXPIRED} rather than {@link AttemptResult.Outcome#NOT_FOUND}, and
 * instances whose clocks differ by less than the grace period agree.
 *
 * <p><b>Failures.</b> Every call is bounded by the {@linkplain Builder#timeout timeout} (2 seconds
 * by default) and fails with {@link StoreUnavailableException}, naming the server and what to
 * check, when Redis is unreachable, slow, loading or busy (C29). Lettuce reconnects by itself, so
 * the same store works again once Redis is back.
 *
 * <p>Thread-safe. {@link #close()} closes the connection if this store opened it; a connection or
 * client the application passed in stays open.
 */
public final class RedisCodeStore implements LimitingCodeStore, AutoCloseable {

  /**
   * Writes a pending code's fields, keeping the replaced code for a resend grace (issue 21): when
   * {@code graceEnd} is not {@code '0'} and the replaced code is neither expired nor locked and has
   * fewer tries than the new limit, its MAC becomes the previous MAC ({@code p}) until
   * {@code min(its expiry, graceEnd)} ({@code g}), and its tries carry over; otherwise the previous
   * fields are removed (so a grace turned off leaves none behind). Expiries are compared as numbers
   * and written back as the strings they were, never formatted by Lua.
   */
  private static final String STORE_CODE = """
      local function store_code(h, p, mac, e, x, a, graceEnd, now, keep)
        if graceEnd ~= '0' then
          local r = redis.call('HMGET', h, p .. 'm', p .. 'e', p .. 'x', p .. 'a')
          local n = tonumber(now)
          if r[1] and n < tonumber(r[2]) and tonumber(r[4]) < tonumber(r[3]) and tonumber(r[4]) < tonumber(x) then
            local g = graceEnd
            if tonumber(r[2]) < tonumber(graceEnd) then g = r[2] end
            redis.call('HSET', h, p .. 'm', mac, p .. 'e', e, p .. 'x', x, p .. 'a', r[4], p .. 'p', r[1], p .. 'g', g)
            extend(h, keep)
            return
          end
        end
        redis.call('HDEL', h, p .. 'p', p .. 'g')
        redis.call('HSET', h, p .. 'm', mac, p .. 'e', e, p .. 'x', x, p .. 'a', a)
        extend(h, keep)
      end
      """;

  /**
   * Stores a pending code: replaces the type's fields in the address's hash (see
   * {@link #STORE_CODE} for the resend grace), and keeps the hash at least a grace period past the
   * code's expiry. KEYS: the hash. ARGV: MAC, expiry (µs), try limit, tries, keep (ms), the type's
   * field prefix, the resend grace's end (µs; {@code 0} for none), now (µs).
   */
  static final LuaScript ISSUE = LuaScript.of("issue", RedisKeys.LOG_FUNCTIONS + STORE_CODE + """
      store_code(KEYS[1], ARGV[6], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[7], ARGV[8], tonumber(ARGV[5]))
      return 1
      """);

  /**
   * The comparison of {@link #ATTEMPT} and {@link #ATTEMPT_LIMITED}, from the line after the
   * fields were read into {@code r} (MAC, expiry, limit, tries, previous MAC, previous end) and the
   * candidates start at {@code ARGV[first]}: every candidate is compared with both MACs, without
   * stopping early, also when no code is stored.
   */
  private static String compare(String first, String last, String onMatch) {
    return """
      local stored = r[1] or ''
      local prev = r[5] or ''
      local matched = false
      local prevMatched = false
      for i = %s, %s do
        if ARGV[i] == stored then matched = true end
        if ARGV[i] == prev then prevMatched = true end
      end
      if not r[1] then return -1 end
      if tonumber(ARGV[1]) >= tonumber(r[2]) then return -2 end
      local max = tonumber(r[3])
      local tries = tonumber(r[4])
      if tries >= max then return -3 end
      if prevMatched and r[6] and tonumber(ARGV[1]) < tonumber(r[6]) then matched = true end
      if matched then
        redis.call('HDEL', KEYS[1], p .. 'm', p .. 'e', p .. 'x', p .. 'a', p .. 'p', p .. 'g')
      %s
        return -4
      end
      """.formatted(first, last, onMatch);
  }

  /**
   * On a match in {@link #ATTEMPT_LIMITED} with a third key, stores the token the match earns as
   * {@link #STORE_TOKEN} does, from the arguments after the n candidates.
   */
  private static final String STORE_EARNED_TOKEN = """
        if KEYS[3] then
          local t = 8 + n
          redis.call('DEL', KEYS[3])
          redis.call('HSET', KEYS[3], 'a', ARGV[t + 1], 't', ARGV[t + 2], 'v', ARGV[t + 3], 'e', ARGV[t + 4])
          if ARGV[t + 6] ~= '' then redis.call('HSET', KEYS[3], 'n', ARGV[t + 6]) end
          redis.call('PEXPIRE', KEYS[3], ARGV[t + 5])
        end""";

  /**
   * Counts, compares and consumes in one step. Every candidate is compared, without stopping
   * early, also when no code is stored. KEYS: the hash. ARGV: now (µs), the type's field prefix,
   * then the candidates. Answers -1 not found, -2 expired, -3 locked, -4 matched, or the tries left
   * after a mismatch (0 or more).
   */
  static final LuaScript ATTEMPT = LuaScript.of("attempt", """
      local p = ARGV[2]
      local r = redis.call('HMGET', KEYS[1], p .. 'm', p .. 'e', p .. 'x', p .. 'a', p .. 'p', p .. 'g')
      """ + compare("3", "#ARGV", "") + """
      redis.call('HINCRBY', KEYS[1], p .. 'a', 1)
      return max - tries - 1
      """);

  /**
   * Takes a permit of every bucket and stores the code, or, if a bucket is full, takes nothing and
   * answers which. KEYS: the code's hash, then each bucket's hash (the same hash for an address's
   * buckets). ARGV: MAC, expiry (µs), try limit, tries, keep (ms), now (ms), skew (ms), the type's
   * field prefix, the resend grace's end (µs; {@code 0} for none), now (µs), then field, window (ms)
   * and limit per bucket. Answers -1 when stored, otherwise
   * wait (ms) * 100 + the refused bucket's index. A replay of the same issue (the same MAC already
   * stored, as after a retry of a call that timed out) takes nothing and answers -1.
   */
  static final LuaScript ISSUE_LIMITED = LuaScript.of("issueLimited", RedisKeys.LOG_FUNCTIONS + STORE_CODE + """
      local p = ARGV[8]
      if redis.call('HGET', KEYS[1], p .. 'm') == ARGV[1] then return -1 end
      local now = tonumber(ARGV[6])
      local logs = {}
      for i = 2, #KEYS do
        local field = ARGV[8 + 3 * (i - 1)]
        local window = tonumber(ARGV[9 + 3 * (i - 1)])
        local limit = tonumber(ARGV[10 + 3 * (i - 1)])
        local t = permits(KEYS[i], field, now, window)
        local n = t.n
        if n >= limit then
          return (nth(t, n - limit + 1) + window - now) * 100 + i - 2
        end
        logs[i] = t
      end
      for i = 2, #KEYS do
        take(KEYS[i], ARGV[8 + 3 * (i - 1)], logs[i], now)
        extend(KEYS[i], tonumber(ARGV[9 + 3 * (i - 1)]) + tonumber(ARGV[7]))
      end
      store_code(KEYS[1], p, ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[9], ARGV[10], tonumber(ARGV[5]))
      return -1
      """);

  /**
   * {@link #ATTEMPT} within a failed-tries budget: a full budget answers -5 and nothing is compared
   * or counted; a mismatch also takes a permit of the budget. KEYS: the code's hash, the budget's
   * hash, and optionally the key of a token to store on a match (single server only: the token's key
   * is in another hash slot). ARGV: now (µs), now (ms), window (ms), limit, skew (ms), the budget's
   * field, the type's field prefix, the number of candidates n, the n candidates, then with a third
   * key the token's address, type, verified-at, expires-at, keep (ms) and new address (or empty),
   * stored as {@link #STORE_TOKEN} stores them. When the budget is a field of the code's hash (the
   * service's buckets: see {@link RedisKeys#bucketKey}), one {@code HMGET} reads the code and the
   * budget and one {@code HSET} writes the try and the permit: a wrong try is three commands in the
   * script on Redis 7 and later ({@code HMGET}, {@code HSET}, {@code PEXPIRE ... GT}; before Redis 7
   * a {@code PTTL} first), where reading and writing the two apart took six (issue 19).
   */
  static final LuaScript ATTEMPT_LIMITED = LuaScript.of("attemptLimited", RedisKeys.LOG_FUNCTIONS + """
      local now = tonumber(ARGV[2])
      local window = tonumber(ARGV[3])
      local field = ARGV[6]
      local p = ARGV[7]
      local n = tonumber(ARGV[8])
      local same = KEYS[2] == KEYS[1]
      local r, budget
      if same then
        r = redis.call('HMGET', KEYS[1], p .. 'm', p .. 'e', p .. 'x', p .. 'a', p .. 'p', p .. 'g', field)
        budget = parse(r[7], now, window)
      else
        budget = permits(KEYS[2], field, now, window)
      end
      if budget.n >= tonumber(ARGV[4]) then return -5 end
      if not same then
        r = redis.call('HMGET', KEYS[1], p .. 'm', p .. 'e', p .. 'x', p .. 'a', p .. 'p', p .. 'g')
      end
      """ + compare("9", "8 + n", STORE_EARNED_TOKEN) + """
      if same then
        redis.call('HSET', KEYS[1], p .. 'a', tries + 1, field, logged(budget, now))
      else
        redis.call('HINCRBY', KEYS[1], p .. 'a', 1)
        take(KEYS[2], field, budget, now)
      end
      extend(KEYS[2], window + tonumber(ARGV[5]))
      return max - tries - 1
      """);

  /** Stores a token record; field {@code n} holds the new address of a revert token (C33), if any. */
  static final LuaScript STORE_TOKEN = LuaScript.of("storeToken", """
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], 'a', ARGV[1], 't', ARGV[2], 'v', ARGV[3], 'e', ARGV[4])
      if ARGV[6] ~= nil and ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'n', ARGV[6]) end
      redis.call('PEXPIRE', KEYS[1], ARGV[5])
      return 1
      """);

  /**
   * Takes a token record, if its address matches the expected one (ASCII lower-case compare,
   * as {@link TokenRecord#matchesAddress} does) or none is expected; an empty list otherwise.
   */
  static final LuaScript TAKE_TOKEN = LuaScript.of("takeToken", """
      local r = redis.call('HMGET', KEYS[1], 'a', 't', 'v', 'e', 'n')
      if not r[1] then return {} end
      if ARGV[1] ~= '' and string.lower(r[1]) ~= ARGV[1] then return {} end
      redis.call('DEL', KEYS[1])
      return r
      """);

  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RedisEndpoint redis;
  private final String tokenPrefix;
  private final String keyPrefix;
  private final Duration gracePeriod;

  private RedisCodeStore(Builder b, RedisEndpoint redis) {
    this.redis = redis;
    this.keyPrefix = b.keyPrefix;
    this.tokenPrefix = b.keyPrefix + "token:{";
    this.gracePeriod = b.gracePeriod;
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
   * Starts a builder that opens one cluster connection from the application's client;
   * {@link #close()} closes that connection, not the client.
   *
   * @param client the cluster client; not null
   * @return a builder
   */
  public static Builder builder(RedisClusterClient client) {
    return new Builder(RedisEndpoint.Source.clusterClient(client));
  }

  /**
   * Starts a builder that uses the application's connection; {@link #close()} leaves it open. Its
   * own command timeout still applies if shorter than this store's.
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
   * Starts a builder that makes its own client from a URI such as {@code redis://127.0.0.1:6379}
   * or {@code rediss://:password@redis.internal:6380/0}; {@link #close()} shuts it down. For a
   * cluster, pass a {@link RedisClusterClient} instead.
   *
   * @param uri a Redis URI; not null
   * @return a builder
   * @throws IllegalArgumentException if the URI is malformed (the message never repeats it)
   */
  public static Builder builder(String uri) {
    return new Builder(RedisEndpoint.Source.uri(uri));
  }

  /** The hash that holds the code (with the address's other codes and limit buckets). */
  String codeKey(CodeKey key) {
    return RedisKeys.hashKey(keyPrefix, key.address());
  }

  /**
   * The prefix of a code's fields in its hash: {@code <type>:}, followed by {@code m} (the MAC,
   * hex), {@code e} (expiry, epoch µs), {@code x} (try limit) or {@code a} (tries so far).
   */
  static String codeFields(CodeKey key) {
    return key.type().name() + ':';
  }

  String tokenKey(String tokenHash) {
    return tokenPrefix + tokenHash + '}';
  }

  /**
   * How a token record keeps a time: epoch nanoseconds in decimal (exact, and cheap to write:
   * formatting two ISO-8601 instants was a fifth of the Java time of a wrong {@code verifyCode},
   * which sends the token it would store on a match), or the ISO-8601 instant for a time before
   * 1970 or after 2255 (outside the range of a long of nanoseconds, and no real token's).
   */
  static String tokenTime(Instant t) {
    long seconds = t.getEpochSecond();
    return seconds >= 0 && seconds < 9_000_000_000L ? Long.toString(seconds * 1_000_000_000L + t.getNano())
        : t.toString();
  }

  /** Reads {@link #tokenTime(Instant)}, and the ISO-8601 instants that earlier builds wrote. */
  static Instant tokenTime(String stored) {
    if (!stored.isEmpty() && stored.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long nanos = Long.parseLong(stored);
      return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }
    return Instant.parse(stored);
  }

  /** Epoch microseconds, exact in a Lua number (below 2^53) until the year 2255. */
  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  /** Milliseconds Redis keeps a record: until its expiry plus the grace period, at least 1. */
  private long keepMillis(Instant expiresAt, Instant now) {
    long millis;
    try {
      millis = Duration.between(now, expiresAt).plus(gracePeriod).toMillis();
    } catch (ArithmeticException e) {
      millis = Long.MAX_VALUE / 2;
    }
    return Math.max(1, millis);
  }

  @Override
  public void issue(CodeKey key, PendingCode code, Instant now) {
    issue(key, code, Duration.ZERO, now);
  }

  @Override
  public boolean supportsResendGrace() {
    return true;
  }

  /**
   * Stores the code, keeping the replaced one for the grace, in one script ({@link #ISSUE}): the
   * previous MAC and its end are two more fields of the code ({@code <type>:p}, {@code <type>:g}),
   * written only while a grace is running, so a pending code without grace costs what it did.
   */
  @Override
  public void issue(CodeKey key, PendingCode code, Duration resendGrace, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(now, "now");
    redis.eval(ISSUE, ScriptOutputType.INTEGER, new String[] {codeKey(key)},
        HEX.formatHex(code.mac()),
        Long.toString(micros(code.expiresAt())),
        Integer.toString(code.maxAttempts()),
        Integer.toString(code.attempts()),
        Long.toString(keepMillis(code.expiresAt(), now)),
        codeFields(key),
        graceEnd(resendGrace, now),
        Long.toString(micros(now)));
  }

  /** The end of a resend grace starting now, epoch µs, or {@code "0"} for none. */
  private static String graceEnd(Duration resendGrace, Instant now) {
    Objects.requireNonNull(resendGrace, "resendGrace");
    if (resendGrace.isNegative()) {
      throw new IllegalArgumentException("resendGrace must not be negative, was " + resendGrace);
    }
    return resendGrace.isZero() ? "0" : Long.toString(micros(now.plus(resendGrace)));
  }

  @Override
  public AttemptResult attempt(CodeKey key, List<byte[]> candidates, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(now, "now");
    String[] args = new String[candidates.size() + 2];
    args[0] = Long.toString(micros(now));
    args[1] = codeFields(key);
    for (int i = 0; i < candidates.size(); i++) {
      args[i + 2] = HEX.formatHex(candidates.get(i));
    }
    Long answer = redis.eval(ATTEMPT, ScriptOutputType.INTEGER, new String[] {codeKey(key)}, args);
    return attemptResult(answer == null ? -1 : answer);
  }

  private AttemptResult attemptResult(long r) {
    if (r >= 0) {
      return AttemptResult.mismatched((int) r);
    }
    return switch ((int) r) {
      case -1 -> AttemptResult.notFound();
      case -2 -> AttemptResult.expired();
      case -3 -> AttemptResult.locked();
      case -4 -> AttemptResult.matched();
      default -> throw new StoreUnavailableException(redis.where() + " answered attempt with " + r
          + ", which this version does not know; is another mailverify version using the same key prefix?", null);
    };
  }

  /**
   * Tells whether the limiter is a {@link RedisRateLimiter} with the same key prefix on the same
   * Redis (and database): a marker key written through this store's connection must be readable
   * through the limiter's. Asked once, when the service is built; if Redis cannot be reached then,
   * the answer is {@code false} and the service calls the limiter and the store separately.
   */
  @Override
  public boolean sharesBucketsWith(RateLimiter limiter) {
    Objects.requireNonNull(limiter, "limiter");
    if (!(limiter instanceof RedisRateLimiter other) || !other.keyPrefix().equals(keyPrefix)) {
      return false;
    }
    String marker = Long.toUnsignedString(RANDOM.nextLong(), 36);
    String probe = keyPrefix + "probe:{" + marker + '}';
    try {
      redis.call("probe", c -> c.set(probe, marker, SetArgs.Builder.px(60_000)));
      try {
        return marker.equals(other.endpoint().call("probe", c -> c.get(probe)));
      } finally {
        redis.call("probe", c -> c.del(probe));
      }
    } catch (StoreUnavailableException e) {
      return false;
    }
  }

  /**
   * Takes the permits and stores the code in one script ({@link #ISSUE_LIMITED}): one round trip.
   * Every key is in the address's hash slot (see {@link RedisRateLimiter}), so this works on Redis
   * Cluster too.
   */
  @Override
  public Optional<Refusal> issue(CodeKey key, PendingCode code, List<Permit> permits, Instant now) {
    return issue(key, code, Duration.ZERO, permits, now);
  }

  /** As {@link #issue(CodeKey, PendingCode, List, Instant)}, keeping the replaced code for the grace: one script. */
  @Override
  public Optional<Refusal> issue(CodeKey key, PendingCode code, Duration resendGrace, List<Permit> permits,
      Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(permits, "permits");
    Objects.requireNonNull(now, "now");
    String[] keys = new String[permits.size() + 1];
    keys[0] = codeKey(key);
    String[] args = new String[10 + 3 * permits.size()];
    args[0] = HEX.formatHex(code.mac());
    args[1] = Long.toString(micros(code.expiresAt()));
    args[2] = Integer.toString(code.maxAttempts());
    args[3] = Integer.toString(code.attempts());
    args[4] = Long.toString(keepMillis(code.expiresAt(), now));
    args[5] = Long.toString(now.toEpochMilli());
    args[6] = Long.toString(RedisRateLimiter.SKEW_MILLIS);
    args[7] = codeFields(key);
    args[8] = graceEnd(resendGrace, now);
    args[9] = Long.toString(micros(now));
    for (int i = 0; i < permits.size(); i++) {
      Permit p = permits.get(i);
      keys[i + 1] = RedisKeys.bucketKey(keyPrefix, p.bucket());
      args[10 + 3 * i] = RedisKeys.bucketField(p.bucket());
      args[11 + 3 * i] = Long.toString(p.quota().window().toMillis());
      args[12 + 3 * i] = Integer.toString(p.quota().limit());
    }
    Long answer = redis.eval(ISSUE_LIMITED, ScriptOutputType.INTEGER, keys, args);
    long r = answer == null ? -1 : answer;
    if (r < 0) {
      return Optional.empty();
    }
    return Optional.of(new Refusal((int) (r % 100), Duration.ofMillis(r / 100)));
  }

  /** Checks the budget, makes the attempt and counts a wrong try in one script ({@link #ATTEMPT_LIMITED}). */
  @Override
  public Optional<AttemptResult> attempt(CodeKey key, List<byte[]> candidates, Permit failedTries, Instant now) {
    return limitedAttempt(key, candidates, failedTries, null, null, now);
  }

  /**
   * {@link #attempt(CodeKey, List, Permit, Instant)} and, on a match, the token stored in the same
   * script: one round trip for a right verify on a single Redis server (or a Sentinel-managed
   * master). On Redis Cluster the token's key lies in another hash slot than the address's hash, so
   * the token is stored by a second call after the match, as the default does.
   */
  @Override
  public Optional<AttemptResult> attemptAndStoreToken(CodeKey key, List<byte[]> candidates, Permit failedTries,
      String tokenHash, TokenRecord token, Instant now) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(token, "token");
    if (redis.clustered()) {
      return LimitingCodeStore.super.attemptAndStoreToken(key, candidates, failedTries, tokenHash, token, now);
    }
    return limitedAttempt(key, candidates, failedTries, tokenHash, token, now);
  }

  private Optional<AttemptResult> limitedAttempt(CodeKey key, List<byte[]> candidates, Permit failedTries,
      @Nullable String tokenHash, @Nullable TokenRecord token, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(failedTries, "failedTries");
    Objects.requireNonNull(now, "now");
    int n = candidates.size();
    String[] args = new String[8 + n + (token == null ? 0 : 6)];
    args[0] = Long.toString(micros(now));
    args[1] = Long.toString(now.toEpochMilli());
    args[2] = Long.toString(failedTries.quota().window().toMillis());
    args[3] = Integer.toString(failedTries.quota().limit());
    args[4] = Long.toString(RedisRateLimiter.SKEW_MILLIS);
    args[5] = RedisKeys.bucketField(failedTries.bucket());
    args[6] = codeFields(key);
    args[7] = Integer.toString(n);
    for (int i = 0; i < n; i++) {
      args[i + 8] = HEX.formatHex(candidates.get(i));
    }
    String[] keys;
    if (token == null || tokenHash == null) {
      keys = new String[] {codeKey(key), RedisKeys.bucketKey(keyPrefix, failedTries.bucket())};
    } else {
      keys = new String[] {codeKey(key), RedisKeys.bucketKey(keyPrefix, failedTries.bucket()), tokenKey(tokenHash)};
      args[8 + n] = token.address();
      args[9 + n] = token.type().name();
      args[10 + n] = tokenTime(token.verifiedAt());
      args[11 + n] = tokenTime(token.expiresAt());
      args[12 + n] = Long.toString(keepMillis(token.expiresAt(), now));
      args[13 + n] = Objects.requireNonNullElse(token.newAddress(), "");
    }
    Long answer = redis.eval(ATTEMPT_LIMITED, ScriptOutputType.INTEGER, keys, args);
    long r = answer == null ? -1 : answer;
    return r == -5 ? Optional.empty() : Optional.of(attemptResult(r));
  }

  @Override
  public boolean invalidate(CodeKey key) {
    Objects.requireNonNull(key, "key");
    String k = codeKey(key);
    String p = codeFields(key);
    Long removed = redis.call("invalidate", c -> c.hdel(k, p + 'm', p + 'e', p + 'x', p + 'a', p + 'p', p + 'g'));
    return removed != null && removed > 0;
  }

  @Override
  public void storeToken(String tokenHash, TokenRecord token, Instant now) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(now, "now");
    redis.eval(STORE_TOKEN, ScriptOutputType.INTEGER, new String[] {tokenKey(tokenHash)},
        token.address(),
        token.type().name(),
        tokenTime(token.verifiedAt()),
        tokenTime(token.expiresAt()),
        Long.toString(keepMillis(token.expiresAt(), now)),
        Objects.requireNonNullElse(token.newAddress(), ""));
  }

  @Override
  public Optional<TokenRecord> takeToken(String tokenHash, @Nullable String expectedAddress, Instant now) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(now, "now");
    List<Object> r = redis.eval(TAKE_TOKEN, ScriptOutputType.MULTI, new String[] {tokenKey(tokenHash)},
        expectedAddress == null ? "" : expectedAddress);
    if (r == null || r.size() < 4 || r.get(0) == null) {
      return Optional.empty();
    }
    TokenRecord record;
    try {
      Object newAddress = r.size() > 4 ? r.get(4) : null;
      record = new TokenRecord(String.valueOf(r.get(0)), VerificationType.of(String.valueOf(r.get(1))),
          tokenTime(String.valueOf(r.get(2))), tokenTime(String.valueOf(r.get(3))),
          newAddress == null ? null : String.valueOf(newAddress));
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(redis.where() + " held a token record this version cannot read;"
          + " is another application using the key prefix '" + keyPrefix + "'?", e);
    }
    // taken either way: an expired record is removed and not returned
    return now.isBefore(record.expiresAt()) ? Optional.of(record) : Optional.empty();
  }

  /**
   * Closes the connection if this store opened it (from a client or a URI), and the client too if
   * it made one from a URI. A connection or client passed in by the application stays open.
   */
  @Override
  public void close() {
    redis.close();
  }

  /** Shows the server and the key prefix, never a password. */
  @Override
  public String toString() {
    return "RedisCodeStore[" + redis.where() + ", keyPrefix=" + keyPrefix + ", timeout=" + redis.timeout().toMillis()
        + "ms, gracePeriod=" + gracePeriod + "]";
  }

  /**
   * Builds a {@link RedisCodeStore}. Every setter checks its argument at once; calling one twice,
   * the last call wins.
   */
  public static final class Builder {
    private final RedisEndpoint.Source source;
    private String keyPrefix = RedisKeys.DEFAULT_PREFIX;
    private Duration timeout = RedisKeys.DEFAULT_TIMEOUT;
    private Duration gracePeriod = Duration.ofHours(1);

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
     * Sets how long a call may take, the whole call including a {@code NOSCRIPT} retry; a call
     * that takes longer fails with {@link StoreUnavailableException} (C29). A client made from a
     * URI also connects within this time.
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
     * Sets how long Redis keeps a code or token record past its expiry. Expiry itself is decided
     * with the service's clock; during the grace period an expired code answers "expired" rather
     * than "not found", and instances whose clocks are apart by less than it still agree.
     *
     * @param value from zero to 7 days; default 1 hour
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder gracePeriod(Duration value) {
      Objects.requireNonNull(value, "gracePeriod");
      if (value.isNegative() || value.compareTo(Duration.ofDays(7)) > 0) {
        throw new IllegalArgumentException("gracePeriod must be between 0 and 7 days, was " + value);
      }
      gracePeriod = value;
      return this;
    }

    /**
     * Builds the store, connecting now if it was given a client or a URI.
     *
     * @return the store
     * @throws StoreUnavailableException if Redis cannot be reached to open the connection
     */
    public RedisCodeStore build() {
      return new RedisCodeStore(this, RedisEndpoint.open(source, timeout));
    }
  }
}
