package dev.mailverify.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the Redis tests need from the machine: a Redis server at 127.0.0.1:6379 (standalone
 * tests) or the {@code redis-server} program (cluster tests). When it is missing the tests are
 * skipped, with one line on the console saying how to start it, or fail when
 * {@value #REQUIRE_SERVERS}=1 (as in CI), following {@code verification-smtp}'s AiosmtpdServer.
 */
final class RedisServers {
  /** Set to 1 to turn a missing server into a test failure instead of a skip. */
  static final String REQUIRE_SERVERS = "MAILVERIFY_REQUIRE_SERVERS";
  static final String HOST = "127.0.0.1";
  /** 6379; {@code -Dmailverify.test.redisPort=N} points the tests elsewhere (to check the skip). */
  static final int PORT = Integer.getInteger("mailverify.test.redisPort", 6379);
  static final String URI = "redis://" + HOST + ":" + PORT;
  static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
  static final Path REDIS_CLI = Path.of("/usr/bin/redis-cli");
  private static final Map<String, Boolean> ANNOUNCED = new ConcurrentHashMap<>();
  private static volatile Boolean reachable;

  private RedisServers() {}

  /**
   * Skips (or, with {@value #REQUIRE_SERVERS}=1, fails) the calling test when nothing listens at
   * 127.0.0.1:6379. Call it where the test's store is made, so the reason is the test's.
   */
  static void requireStandalone() {
    Boolean ok = reachable;
    if (ok == null) {
      ok = canConnect(HOST, PORT);
      reachable = ok;
    }
    if (!ok) {
      unavailable("Redis not reachable at " + HOST + ":" + PORT + "; start it with: redis-server --daemonize yes"
          + " --bind 127.0.0.1 --port " + PORT + " --save \"\" --appendonly no (Debian: apt-get install redis-server)");
    }
  }

  /** Skips or fails the calling test when redis-server or redis-cli is not installed. */
  static void requireRedisServerProgram() {
    if (!Files.isExecutable(REDIS_SERVER) || !Files.isExecutable(REDIS_CLI)) {
      unavailable("Redis Cluster tests need " + REDIS_SERVER + " and " + REDIS_CLI
          + ", which are not installed; install them with: apt-get install redis-server");
    }
  }

  /** Skips, or fails under {@value #REQUIRE_SERVERS}=1, with the reason said once on the console. */
  static void unavailable(String reason) {
    if ("1".equals(System.getenv(REQUIRE_SERVERS))) {
      Assertions.fail(reason + " (required: " + REQUIRE_SERVERS + "=1)");
    }
    String message = reason + " (skipped; " + REQUIRE_SERVERS + "=1 makes this a failure)";
    if (ANNOUNCED.putIfAbsent(reason, Boolean.TRUE) == null) {
      // surefire keeps test output in files; the JVM's own standard error reaches the console
      @SuppressWarnings("resource") // never close: it is the process's file descriptor 2
      PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
      console.println("[mailverify] SKIPPED: " + message);
    }
    Assumptions.abort(message);
  }

  static boolean canConnect(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A fresh key prefix, so tests never see each other's keys. */
  static String randomPrefix() {
    return "mvtest-" + UUID.randomUUID().toString().substring(0, 13) + ":";
  }

  /** Every key under the prefix (SCAN: test code only), on every master of a cluster. */
  static List<String> keys(RedisClusterCommands<String, String> redis, String prefix) {
    List<String> keys = new ArrayList<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(1000);
    do {
      KeyScanCursor<String> page = redis.scan(cursor, args);
      keys.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
    return keys;
  }

  /** Every key under the prefix and its value, as text, for the C14 dump tests. */
  static String dump(RedisClusterCommands<String, String> redis, String prefix) {
    Map<String, String> out = new TreeMap<>();
    for (String key : keys(redis, prefix)) {
      String type = redis.type(key);
      String value = switch (type) {
        case "hash" -> String.valueOf(new TreeMap<>(redis.hgetall(key)));
        case "zset" -> redis.zrangeWithScores(key, 0, -1).stream().map(ScoredValue::toString).toList().toString();
        case "string" -> redis.get(key);
        default -> type;
      };
      out.put(key, value);
    }
    StringBuilder sb = new StringBuilder();
    out.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
    return sb.toString();
  }

  /** Deletes every key under the prefix (test clean-up). */
  static void deleteAll(RedisClusterCommands<String, String> redis, String prefix) {
    for (String key : keys(redis, prefix)) {
      redis.del(key);
    }
  }
}
