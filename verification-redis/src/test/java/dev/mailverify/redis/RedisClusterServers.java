package dev.mailverify.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real 3-master Redis Cluster on 127.0.0.1 for the cluster tests: three {@code redis-server}
 * processes with {@code --cluster-enabled yes}, joined with {@code redis-cli --cluster create},
 * ready once every node's {@code CLUSTER INFO} says {@code cluster_state:ok}. Started once per
 * test run (shared by every class that registers the extension) and stopped at its end.
 */
final class RedisClusterServers implements AutoCloseable {
  private static final Duration START_BOUND = Duration.ofSeconds(30);
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisClusterServers.class);

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  private RedisClusterServers(Path dir) {
    this.dir = dir;
  }

  /** The seed URIs of the nodes. */
  List<RedisURI> uris() {
    return ports.stream().map(p -> RedisURI.create("127.0.0.1", p)).toList();
  }

  /** A new cluster client for the nodes; the caller shuts it down. */
  RedisClusterClient newClient() {
    return RedisClusterClient.create(uris());
  }

  List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** The JUnit side: starts the cluster once per run, or records why it cannot. */
  static final class Extension implements BeforeAllCallback {
    private volatile RedisClusterServers servers;

    @Override
    public void beforeAll(ExtensionContext context) {
      if (!java.nio.file.Files.isExecutable(RedisServers.REDIS_SERVER)) {
        return; // require() skips or fails each test with the reason
      }
      servers = context.getRoot().getStore(NAMESPACE)
          .computeIfAbsent("cluster", k -> start(), RedisClusterServers.class);
    }

    /** The running cluster; skips or fails the test when redis-server is not installed. */
    RedisClusterServers require() {
      RedisServers.requireRedisServerProgram();
      if (servers == null) {
        throw new IllegalStateException("the cluster was not started");
      }
      return servers;
    }
  }

  static RedisClusterServers start() {
    RedisClusterServers c;
    try {
      c = new RedisClusterServers(Files.createTempDirectory("mailverify-redis-cluster"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot make a temp directory", e);
    }
    try {
      c.startNodes();
      return c;
    } catch (RuntimeException | IOException e) {
      c.close();
      throw new IllegalStateException("starting a Redis Cluster failed; logs in " + c.dir, e);
    }
  }

  private void startNodes() throws IOException {
    for (int i = 0; i < 3; i++) {
      int port = freePortWithBus();
      ports.add(port);
      Process p = new ProcessBuilder(RedisServers.REDIS_SERVER.toString(),
          "--port", Integer.toString(port),
          "--bind", "127.0.0.1",
          "--cluster-enabled", "yes",
          "--cluster-config-file", "nodes-" + port + ".conf",
          "--save", "",
          "--appendonly", "no",
          "--dir", dir.toString(),
          "--daemonize", "no")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
          .start();
      processes.add(p);
    }
    for (int port : ports) {
      await("redis-server on port " + port + " accepting connections",
          () -> RedisServers.canConnect("127.0.0.1", port));
    }
    List<String> create = new ArrayList<>(List.of(RedisServers.REDIS_CLI.toString(), "--cluster", "create"));
    ports.forEach(p -> create.add("127.0.0.1:" + p));
    create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    String out = run(create);
    if (!out.contains("[OK] All 16384 slots covered")) {
      throw new IllegalStateException("redis-cli --cluster create said: " + out);
    }
    for (int port : ports) {
      await("node " + port + " reporting cluster_state:ok",
          () -> run(List.of(RedisServers.REDIS_CLI.toString(), "-p", Integer.toString(port), "cluster", "info"))
              .contains("cluster_state:ok"));
    }
  }

  /** A free port whose cluster bus port (+10000) is free too. */
  private static int freePortWithBus() throws IOException {
    for (int tries = 0; tries < 50; tries++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      if (port + 10000 < 65536 && !RedisServers.canConnect("127.0.0.1", port + 10000)) {
        try (ServerSocket bus = new ServerSocket(port + 10000, 1, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no free port pair (port, port + 10000) found");
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return out;
    } catch (IOException e) {
      return "failed: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Polls a condition until it holds, within the start bound. */
  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** Stops the nodes and removes their files. */
  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // temp files only
    }
  }
}
