package dev.mailverify.redis;

import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.core.spi.OutboxEntry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A durable {@link MailOutbox} on Redis Streams (C31): a mail answered {@code QUEUED} is an entry
 * of a stream until its final outcome, shared by every instance that uses the same Redis, so it
 * survives a crash of the instance that accepted it.
 *
 * <pre>{@code
 * AsyncMailTransport transport = MailTransport.async(smtp)
 *     .outbox(RedisMailOutbox.builder(redisClient).build(), secret)   // the service's secret: seals each mail
 *     .build();
 * }</pre>
 *
 * <p><b>The protocol</b>, each step one Lua script on one stream (so one slot on a Cluster):
 *
 * <ul>
 *   <li>{@link #add}: {@code XADD stream MAXLEN ~ maxEntries * id <uuid> e <mail>}, refused (the
 *       transport answers {@code QUEUE_FULL}) when {@code XLEN} already is {@code maxEntries}, so
 *       the approximate trim never drops a live entry: the bound is kept by refusing, not by
 *       losing mail.
 *   <li>{@link #claim}: {@code XAUTOCLAIM} to take over entries pending longer than the lease (their
 *       instance died or stalled), then {@code XREADGROUP ... >} for new ones, in the
 *       {@linkplain Builder#group(String) consumer group} of the application; each entry comes
 *       back with its delivery count from the pending-entries list ({@code XPENDING}), which is the
 *       attempt count (every delivery to an instance counts one).
 *   <li>{@link #countAttempt}: if the entry is still pending for this consumer, {@code XCLAIM} to
 *       itself, which counts the attempt and resets the idle time (renews the lease).
 *   <li>{@link #complete}: if still pending for this consumer, {@code XACK} and {@code XDEL}.
 *   <li>{@link #release}: {@code XCLAIM ... IDLE} with a very long idle time, so the next
 *       {@code XAUTOCLAIM} of any instance takes it at once.
 * </ul>
 *
 * <p><b>Leases</b> are Redis idle times, measured by the Redis server's clock; the {@code now}
 * passed in is not used for them. <b>Redis Cluster</b>: one stream per
 * {@linkplain Builder#shards(int) shard}, each key with its own hash tag
 * ({@code mailverify:outbox:{outbox-0}}, ...), so every script touches one slot; an instance adds
 * to the shards in turn and claims from all of them. One shard (the default) puts the whole outbox
 * on one Cluster node.
 *
 * <p><b>Durability</b> is Redis's: with {@code appendonly yes} and {@code appendfsync everysec} a
 * crash of Redis itself may lose the last second of entries; a replica failover may lose what was
 * not yet replicated. A crash of an application instance loses nothing.
 *
 * <p><b>What is stored (C14).</b> The mail as the transport sealed it (AES-256-GCM under a key
 * derived from the secret given to {@code outbox(...)}) and its ID, until its final outcome; then
 * the entry is deleted. A dump of the stream holds no code, link or address.
 *
 * <p>Thread-safe. Every call is bounded by the {@linkplain Builder#timeout(Duration) timeout} and
 * fails with {@link StoreUnavailableException} (C29).
 */
public final class RedisMailOutbox implements MailOutbox, AutoCloseable {
  /** An idle time long enough that any lease has run out: about 30 years, in milliseconds. */
  private static final String RELEASED_IDLE = "1000000000000";

  /** KEYS: stream. ARGV: max entries, payload, entry id. Returns the stream ID, or false when full. */
  static final LuaScript ADD = LuaScript.of("outboxAdd", """
      local max = tonumber(ARGV[1])
      if redis.call('XLEN', KEYS[1]) >= max then
        return false
      end
      return redis.call('XADD', KEYS[1], 'MAXLEN', '~', max, '*', 'id', ARGV[3], 'e', ARGV[2])
      """);

  /**
   * KEYS: stream, cursor. ARGV: group, consumer, min idle ms, count. Returns a flat list: stream ID,
   * delivery count, payload, for each claimed entry.
   */
  static final LuaScript CLAIM = LuaScript.of("outboxClaim", """
      local k, g, c = KEYS[1], ARGV[1], ARGV[2]
      local count = tonumber(ARGV[4])
      pcall(redis.call, 'XGROUP', 'CREATE', k, g, '0', 'MKSTREAM')
      local out = {}
      local function payload(fields)
        for i = 1, #fields, 2 do
          if fields[i] == 'e' then return fields[i + 1] end
        end
        return ''
      end
      local start = redis.call('GET', KEYS[2]) or '0-0'
      local taken = redis.call('XAUTOCLAIM', k, g, c, ARGV[3], start, 'COUNT', count)
      redis.call('SET', KEYS[2], taken[1])
      local n = 0
      for _, e in ipairs(taken[2]) do
        if e[2] then
          local p = redis.call('XPENDING', k, g, e[1], e[1], 1)
          table.insert(out, e[1])
          table.insert(out, p[1][4])
          table.insert(out, payload(e[2]))
          n = n + 1
        end
      end
      if n < count then
        local fresh = redis.call('XREADGROUP', 'GROUP', g, c, 'COUNT', count - n, 'STREAMS', k, '>')
        if fresh then
          for _, e in ipairs(fresh[1][2]) do
            table.insert(out, e[1])
            table.insert(out, 1)
            table.insert(out, payload(e[2]))
          end
        end
      end
      return out
      """);

  /** KEYS: stream. ARGV: group, consumer, id. Returns the new delivery count, or 0 if not this consumer's. */
  static final LuaScript COUNT = LuaScript.of("outboxCount", """
      local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
      if #p == 0 or p[1][2] ~= ARGV[2] then
        return 0
      end
      redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3])
      return p[1][4] + 1
      """);

  /** KEYS: stream. ARGV: group, consumer, id. Returns 1 if acknowledged and deleted, 0 if not this consumer's. */
  static final LuaScript COMPLETE = LuaScript.of("outboxComplete", """
      local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
      if #p == 0 or p[1][2] ~= ARGV[2] then
        return 0
      end
      redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
      redis.call('XDEL', KEYS[1], ARGV[3])
      return 1
      """);

  /** KEYS: stream. ARGV: group, consumer, id, idle. Makes the entry claimable by anyone at once. */
  static final LuaScript RELEASE = LuaScript.of("outboxRelease", """
      local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
      if #p == 0 or p[1][2] ~= ARGV[2] then
        return 0
      end
      redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'IDLE', ARGV[4], 'JUSTID')
      return 1
      """);

  private final RedisEndpoint redis;
  private final String keyPrefix;
  private final String group;
  private final int maxEntries;
  private final String[] streams;
  private final String[] cursors;
  private final AtomicInteger nextShard = new AtomicInteger();
  private final AtomicInteger nextClaimShard = new AtomicInteger();

  private RedisMailOutbox(Builder b, RedisEndpoint redis) {
    this.redis = redis;
    this.keyPrefix = b.keyPrefix;
    this.group = b.group;
    this.maxEntries = b.maxEntries;
    this.streams = new String[b.shards];
    this.cursors = new String[b.shards];
    for (int i = 0; i < b.shards; i++) {
      streams[i] = b.keyPrefix + "outbox:{outbox-" + i + "}";
      cursors[i] = b.keyPrefix + "outbox:{outbox-" + i + "}:cursor";
    }
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

  /** The stream keys, one per shard. */
  List<String> streamKeys() {
    return List.of(streams);
  }

  @Override
  public void add(OutboxEntry entry, Instant now) {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(now, "now");
    String payload = Base64.getEncoder().encodeToString(entry.toBytes());
    int shard = Math.floorMod(nextShard.getAndIncrement(), streams.length);
    String id = redis.eval(ADD, ScriptOutputType.VALUE, new String[] {streams[shard]}, Integer.toString(maxEntries),
        payload, entry.id());
    if (id == null) {
      throw new OutboxFullException("the outbox stream " + streams[shard] + " holds its maximum of " + maxEntries
          + " mails; raise RedisMailOutbox.Builder.maxEntries or add workers");
    }
  }

  @Override
  public List<Claim> claim(String owner, int max, Instant now, Duration lease) {
    checkOwner(owner);
    if (max < 1 || max > 1000) {
      throw new IllegalArgumentException("max must be 1-1000, was " + max);
    }
    Objects.requireNonNull(lease, "lease");
    List<Claim> out = new ArrayList<>();
    int first = Math.floorMod(nextClaimShard.getAndIncrement(), streams.length);
    for (int i = 0; i < streams.length && out.size() < max; i++) {
      int shard = (first + i) % streams.length;
      List<Object> flat = redis.eval(CLAIM, ScriptOutputType.MULTI, new String[] {streams[shard], cursors[shard]},
          group, owner, Long.toString(Math.max(1, lease.toMillis())), Integer.toString(max - out.size()));
      for (int j = 0; j + 2 < flat.size(); j += 3) {
        String id = String.valueOf(flat.get(j));
        int deliveries = ((Number) flat.get(j + 1)).intValue();
        byte[] bytes = Base64.getDecoder().decode(String.valueOf(flat.get(j + 2)).getBytes(StandardCharsets.US_ASCII));
        out.add(new Claim(shard + "/" + id, OutboxEntry.fromBytes(bytes), Math.max(1, deliveries)));
      }
    }
    return out;
  }

  @Override
  public int countAttempt(Claim claim, String owner, Instant now, Duration lease) {
    Long n = run(COUNT, claim, owner);
    return n == null ? 0 : n.intValue();
  }

  @Override
  public boolean complete(Claim claim, String owner) {
    Long n = run(COMPLETE, claim, owner);
    return n != null && n == 1;
  }

  @Override
  public void release(Claim claim, String owner, Instant now) {
    run(RELEASE, claim, owner, RELEASED_IDLE);
  }

  private Long run(LuaScript script, Claim claim, String owner, String... extra) {
    Objects.requireNonNull(claim, "claim");
    checkOwner(owner);
    String handle = claim.handle();
    int slash = handle.indexOf('/');
    int shard;
    try {
      shard = Integer.parseInt(handle.substring(0, Math.max(0, slash)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a claim of a RedisMailOutbox: handle " + handle, e);
    }
    if (shard < 0 || shard >= streams.length) {
      throw new IllegalArgumentException("claim of shard " + shard + " but this outbox has " + streams.length);
    }
    String[] args = new String[3 + extra.length];
    args[0] = group;
    args[1] = owner;
    args[2] = handle.substring(slash + 1);
    System.arraycopy(extra, 0, args, 3, extra.length);
    return redis.eval(script, ScriptOutputType.INTEGER, new String[] {streams[shard]}, args);
  }

  @Override
  public long size() {
    long n = 0;
    for (String stream : streams) {
      Long len = redis.call("counting queued mails", c -> c.xlen(stream));
      n += len == null ? 0 : len;
    }
    return n;
  }

  private static void checkOwner(String owner) {
    Objects.requireNonNull(owner, "owner");
    if (owner.isEmpty() || owner.length() > 100 || !owner.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("owner must be 1-100 printable ASCII characters without spaces");
    }
  }

  /** Closes the connection if this outbox opened it; one passed in stays open. */
  @Override
  public void close() {
    redis.close();
  }

  /** Shows the server, the streams and the group, never a password. */
  @Override
  public String toString() {
    return "RedisMailOutbox[" + redis.where() + ", streams=" + keyPrefix + "outbox:{outbox-0.." + (streams.length - 1)
        + "}, group=" + group + ", maxEntries=" + maxEntries + "]";
  }

  /**
   * Builds a {@link RedisMailOutbox}. Every setter checks its argument at once; calling one twice,
   * the last call wins.
   */
  public static final class Builder {
    private final RedisEndpoint.Source source;
    private String keyPrefix = RedisKeys.DEFAULT_PREFIX;
    private Duration timeout = RedisKeys.DEFAULT_TIMEOUT;
    private String group = "mailverify";
    private int maxEntries = 100_000;
    private int shards = 1;

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
     * {@link StoreUnavailableException} (C29). It bounds how long a send waits for the outbox
     * before it is refused with {@code STORE_UNAVAILABLE}.
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
     * Sets the consumer group: one per application; every instance of the application uses the
     * same one (each instance is a consumer in it, named by the transport's instance ID).
     *
     * @param value 1 to 100 printable ASCII characters without spaces; default {@code "mailverify"}
     * @return this builder
     * @throws IllegalArgumentException otherwise
     */
    public Builder group(String value) {
      Objects.requireNonNull(value, "group");
      if (value.isEmpty() || value.length() > 100 || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException("group must be 1 to 100 printable ASCII characters without spaces");
      }
      group = value;
      return this;
    }

    /**
     * Sets how many mails a stream holds at most (default 100,000): one more is refused and the
     * send answers {@code QUEUE_FULL}. The stream is also created with {@code MAXLEN ~} this bound.
     *
     * @param value 1 to 10,000,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxEntries(int value) {
      if (value < 1 || value > 10_000_000) {
        throw new IllegalArgumentException("maxEntries must be 1-10000000, was " + value);
      }
      maxEntries = value;
      return this;
    }

    /**
     * Sets how many streams the outbox spreads over (default 1). On a Redis Cluster each stream
     * has its own hash tag, so several shards spread the outbox over several slots (and likely
     * nodes); on one server there is no reason to change it. Every instance must use the same
     * number, or entries in the other shards wait for an instance that reads them.
     *
     * @param value 1 to 64
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder shards(int value) {
      if (value < 1 || value > 64) {
        throw new IllegalArgumentException("shards must be 1-64, was " + value);
      }
      shards = value;
      return this;
    }

    /**
     * Builds the outbox, connecting now if it was given a client or a URI.
     *
     * @return the outbox
     * @throws StoreUnavailableException if Redis cannot be reached to open the connection
     */
    public RedisMailOutbox build() {
      return new RedisMailOutbox(this, RedisEndpoint.open(source, timeout));
    }
  }
}
