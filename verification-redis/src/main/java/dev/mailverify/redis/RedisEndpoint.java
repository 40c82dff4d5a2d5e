package dev.mailverify.redis;

import dev.mailverify.core.StoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce connection (standalone or cluster) used by a store or limiter, with what it needs
 * to bound every call by a timeout and to turn every failure into a
 * {@link StoreUnavailableException} naming the server (C29).
 *
 * <p>Lettuce reconnects by itself after an outage, so the same endpoint works again once Redis is
 * back. What this class opened (a client made from a URI, a connection made from a client) it
 * closes; a connection or client the application passed in is left open.
 */
final class RedisEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisEndpoint.class);

  /** Where the connection comes from: exactly one of the fields is set. */
  static final class Source {
    @Nullable RedisClient client;
    @Nullable RedisClusterClient clusterClient;
    @Nullable StatefulRedisConnection<String, String> connection;
    @Nullable StatefulRedisClusterConnection<String, String> clusterConnection;
    @Nullable String uri;

    static Source client(RedisClient value) {
      Source s = new Source();
      s.client = Objects.requireNonNull(value, "client");
      return s;
    }

    static Source clusterClient(RedisClusterClient value) {
      Source s = new Source();
      s.clusterClient = Objects.requireNonNull(value, "clusterClient");
      return s;
    }

    static Source connection(StatefulRedisConnection<String, String> value) {
      Source s = new Source();
      s.connection = Objects.requireNonNull(value, "connection");
      return s;
    }

    static Source clusterConnection(StatefulRedisClusterConnection<String, String> value) {
      Source s = new Source();
      s.clusterConnection = Objects.requireNonNull(value, "clusterConnection");
      return s;
    }

    /** Checks the URI now; the message never repeats it, as it may hold a password. */
    static Source uri(String value) {
      Objects.requireNonNull(value, "uri");
      try {
        RedisURI.create(value);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "uri must look like redis://[[user:]password@]host[:port][/database] or rediss://...");
      }
      Source s = new Source();
      s.uri = value;
      return s;
    }
  }

  private final RedisClusterAsyncCommands<String, String> commands;
  private final String where;
  private final Duration timeout;
  private final long timeoutNanos;
  private final List<AutoCloseable> owned;

  private RedisEndpoint(RedisClusterAsyncCommands<String, String> commands, String where, Duration timeout,
      List<AutoCloseable> owned) {
    this.commands = commands;
    this.where = where;
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.owned = owned;
  }

  /**
   * Tells whether this is a Redis Cluster connection, where every key of one script must share a
   * hash slot; on a single server (or a Sentinel-managed master) a script may touch any keys.
   */
  boolean clustered() {
    return commands instanceof io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
  }

  /**
   * Opens the connection the source describes.
   *
   * @throws StoreUnavailableException if a connection had to be made and Redis did not accept it
   */
  static RedisEndpoint open(Source source, Duration timeout) {
    List<AutoCloseable> owned = new ArrayList<>(2);
    String where = "Redis";
    try {
      if (source.connection != null) {
        StatefulRedisConnection<String, String> c = source.connection;
        return new RedisEndpoint(c.async(), describe(c), timeout, owned);
      }
      if (source.clusterConnection != null) {
        StatefulRedisClusterConnection<String, String> c = source.clusterConnection;
        return new RedisEndpoint(c.async(), describe(c), timeout, owned);
      }
      if (source.clusterClient != null) {
        where = "Redis Cluster";
        StatefulRedisClusterConnection<String, String> c = source.clusterClient.connect(Utf8Codec.INSTANCE);
        owned.add(c);
        return new RedisEndpoint(c.async(), describe(c), timeout, owned);
      }
      RedisClient client = source.client;
      if (client == null) {
        RedisURI uri = RedisURI.create(Objects.requireNonNull(source.uri, "uri"));
        where = uri.getHost() != null ? "Redis at " + uri.getHost() + ":" + uri.getPort()
            : "Redis (sentinel master " + uri.getSentinelMasterId() + ")";
        // connecting (and the handshake) may take a little longer than one command on a cold JVM
        Duration connect = timeout.compareTo(RedisKeys.DEFAULT_TIMEOUT) < 0 ? RedisKeys.DEFAULT_TIMEOUT : timeout;
        uri.setTimeout(connect);
        client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
            .socketOptions(SocketOptions.builder().connectTimeout(connect).build())
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            // while reconnecting, fail at once instead of queueing commands for later
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
        owned.add(client::shutdown);
        StatefulRedisConnection<String, String> c = client.connect(Utf8Codec.INSTANCE);
        owned.add(0, c);
        return new RedisEndpoint(c.async(), where, timeout, owned);
      }
      StatefulRedisConnection<String, String> c = client.connect(Utf8Codec.INSTANCE);
      owned.add(c);
      return new RedisEndpoint(c.async(), describe(c), timeout, owned);
    } catch (RuntimeException e) {
      closeAll(owned);
      if (e instanceof StoreUnavailableException s) {
        throw s;
      }
      throw RedisFailures.of(where, "connect", timeout, e);
    }
  }

  /** Names a standalone server by the address it listens on (CLIENT INFO's {@code laddr}). */
  private static String describe(StatefulRedisConnection<String, String> c) {
    try {
      String info = c.async().clientInfo().get(2, TimeUnit.SECONDS);
      for (String field : info.split(" ")) {
        if (field.startsWith("laddr=")) {
          return "Redis at " + field.substring("laddr=".length());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // the name is only for messages: fall back to a plain one
    }
    return "Redis";
  }

  /** Names a cluster by its nodes' addresses. */
  private static String describe(StatefulRedisClusterConnection<String, String> c) {
    try {
      String nodes = c.getPartitions().stream()
          .map(RedisClusterNode::getUri)
          .filter(Objects::nonNull)
          .map(u -> u.getHost() + ":" + u.getPort())
          .sorted()
          .limit(6)
          .collect(Collectors.joining(", "));
      return nodes.isEmpty() ? "Redis Cluster" : "Redis Cluster at " + nodes;
    } catch (RuntimeException e) {
      return "Redis Cluster";
    }
  }

  /** "Redis at host:port", for messages. */
  String where() {
    return where;
  }

  /** The bound of every call. */
  Duration timeout() {
    return timeout;
  }

  /**
   * Runs a script with {@code EVALSHA}, sending it with {@code EVAL} if the node answers
   * {@code NOSCRIPT}; both within one timeout.
   */
  <T> T eval(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
    long deadline = System.nanoTime() + timeoutNanos;
    try {
      return await(script.name(), commands.evalsha(script.sha(), type, keys, args), deadline);
    } catch (StoreUnavailableException e) {
      if (!isNoScript(e.getCause())) {
        throw e;
      }
    }
    return await(script.name(), commands.eval(script.source(), type, keys, args), deadline);
  }

  private static boolean isNoScript(@Nullable Throwable t) {
    return t instanceof RedisNoScriptException
        || (t != null && t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT"));
  }

  /** Runs one command within the timeout. */
  <T> T call(String operation, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
    long deadline = System.nanoTime() + timeoutNanos;
    RedisFuture<T> future;
    try {
      future = command.apply(commands);
    } catch (RuntimeException e) {
      throw RedisFailures.of(where, operation, timeout, e);
    }
    return await(operation, future, deadline);
  }

  private <T> T await(String operation, RedisFuture<T> future, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false); // a command still queued for a reconnect is never sent
      throw RedisFailures.timeout(where, operation, timeout, e);
    } catch (ExecutionException e) {
      throw RedisFailures.of(where, operation, timeout, e.getCause() != null ? e.getCause() : e);
    } catch (InterruptedException e) {
      future.cancel(false);
      throw RedisFailures.interrupted(where, operation, e);
    }
  }

  /** Closes what this endpoint opened; a connection or client the application passed is left open. */
  @Override
  public void close() {
    closeAll(owned);
  }

  private static void closeAll(List<AutoCloseable> owned) {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing a Redis connection failed; nothing else to release", e);
      }
    }
    owned.clear();
  }
}
