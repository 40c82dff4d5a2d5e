package dev.mailverify.bench.latency;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mailverify.bench.BenchPolicy;
import dev.mailverify.bench.BenchServices;
import dev.mailverify.bench.CommandLine;
import dev.mailverify.bench.template.RendererCandidates;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.core.transport.AsyncMailTransport;
import dev.mailverify.jdbc.JdbcMailOutbox;
import dev.mailverify.redis.RedisMailOutbox;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Queued sends per second and the send latency a durable outbox adds (C31): {@code sendVerificationCode}
 * from {@code --threads} callers in a closed loop into {@link AsyncMailTransport} with the in-memory
 * queue, with {@link RedisMailOutbox} and with {@link JdbcMailOutbox} on PostgreSQL, in one run, each
 * beside its store's bare round trip ({@code PING}, {@code SELECT 1}) at the same concurrency. The
 * code store is in memory on every path, so the outbox is the only difference; the delegate
 * accepts every mail at once, and the workers deliver (claim, complete) while the callers send.
 *
 * <pre>
 * java -cp verification-benchmarks/target/benchmarks.jar dev.mailverify.bench.latency.OutboxSendThroughput
 *     [--threads 8] [--seconds 10] [--warmup-seconds 5] [--redis redis://127.0.0.1:6379]
 *     [--postgres jdbc:postgresql://127.0.0.1:5432/test] [--paths memory,redis,postgresql]
 * </pre>
 */
public final class OutboxSendThroughput {
  private static final Set<String> OPTIONS = Set.of("threads", "seconds", "warmup-seconds", "redis", "postgres",
      "paths");

  private OutboxSendThroughput() {}

  /** One measured phase: operations and their latencies in microseconds. */
  record Phase(String name, long operations, double seconds, long[] micros) {
    double perSecond() {
      return operations / seconds;
    }

    long percentile(double p) {
      if (micros.length == 0) {
        return 0;
      }
      return micros[Math.min(micros.length - 1, (int) Math.ceil(p * micros.length) - 1)];
    }
  }

  /**
   * Runs the paths.
   *
   * @param args see the class comment
   * @throws Exception if a store cannot be reached
   */
  public static void main(String[] args) throws Exception {
    CommandLine cl = CommandLine.parse(args, OPTIONS);
    int threads = cl.integer("threads", 8);
    int seconds = cl.integer("seconds", 10);
    int warmup = cl.integer("warmup-seconds", 5);
    List<String> paths = cl.list("paths", "memory,redis,postgresql");
    System.out.printf(Locale.ROOT, "JVM %s %s on %d CPUs; %d callers, %d s warm-up, %d s measured per path%n",
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        Runtime.getRuntime().availableProcessors(), threads, warmup, seconds);
    List<Phase> results = new ArrayList<>();
    String run = UUID.randomUUID().toString().substring(0, 8);
    for (String path : paths) {
      switch (path) {
        case "memory" -> results.add(sends("in-memory queue", null, threads, warmup, seconds));
        case "redis" -> {
          RedisClient client = RedisClient.create(cl.get("redis", "redis://127.0.0.1:6379"));
          try (StatefulRedisConnection<String, String> c = client.connect();
              RedisMailOutbox outbox = RedisMailOutbox.builder(client).keyPrefix("bench:" + run + ":").build()) {
            results.add(timed("Redis PING (floor)", threads, warmup, seconds, i -> c.sync().ping()));
            results.add(sends("Redis Streams outbox", outbox, threads, warmup, seconds));
            c.sync().del(c.sync().keys("bench:" + run + ":*").toArray(new String[0]));
          } finally {
            client.shutdown();
          }
        }
        case "postgresql" -> {
          HikariConfig config = new HikariConfig();
          config.setJdbcUrl(cl.get("postgres", "jdbc:postgresql://127.0.0.1:5432/test"));
          config.setUsername("postgres");
          config.setMaximumPoolSize(threads + 6);
          String prefix = "bench" + run + "_";
          try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcMailOutbox outbox = JdbcMailOutbox.builder(pool).tablePrefix(prefix).createTablesIfMissing(true)
                .build();
            results.add(timed("PostgreSQL SELECT 1 (floor)", threads, warmup, seconds, i -> {
              try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1");
                  ResultSet rs = ps.executeQuery()) {
                rs.next();
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
              }
            }));
            results.add(sends("PostgreSQL outbox table", outbox, threads, warmup, seconds));
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
              for (String t : List.of("codes", "tokens", "permits", "outbox")) {
                st.executeUpdate("DROP TABLE IF EXISTS " + prefix + t);
              }
            }
          }
        }
        default -> throw new IllegalArgumentException("--paths takes memory, redis, postgresql; not " + path);
      }
    }
    System.out.printf(Locale.ROOT, "%n| path | ops/s | p50 | p99 | p99.9 |%n| --- | --- | --- | --- | --- |%n");
    for (Phase p : results) {
      System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f ms | %.2f ms | %.2f ms |%n", p.name(), p.perSecond(),
          p.percentile(0.50) / 1000.0, p.percentile(0.99) / 1000.0, p.percentile(0.999) / 1000.0);
    }
  }

  private static Phase sends(String name, @Nullable MailOutbox outbox, int threads, int warmup, int seconds)
      throws InterruptedException {
    AtomicInteger delivered = new AtomicInteger();
    AsyncMailTransport.Builder b = MailTransport.async(message -> delivered.incrementAndGet()).capacity(1_000_000)
        .workers(4).drainTimeout(Duration.ofSeconds(60));
    if (outbox != null) {
      b.outbox(outbox, BenchServices.secret()).pollInterval(Duration.ofMillis(100));
    }
    AsyncMailTransport transport = b.build();
    VerificationPolicy policy = BenchPolicy.named("relaxed");
    VerificationCodeService service = VerificationCodeService.builder().transport(transport)
        .store(CodeStore.inMemory()).secret(BenchServices.secret()).defaultPolicy(policy)
        .perAddressTotalQuota(policy.perAddressQuota()).renderer(RendererCandidates.named("realistic-html"))
        .from(BenchServices.FROM).appName(BenchServices.APP_NAME).build();
    AtomicInteger refused = new AtomicInteger();
    String run = UUID.randomUUID().toString().substring(0, 6);
    Phase p = timed(name, threads, warmup, seconds, i -> {
      SendResult r = service.sendVerificationCode("u" + run + "-" + i + "@example.com", VerificationType.REGISTER,
          Duration.ofMinutes(10));
      if (!(r instanceof SendResult.Sent s) || !s.isQueued()) {
        refused.incrementAndGet();
      }
    });
    long start = System.nanoTime();
    transport.close();
    System.out.printf(Locale.ROOT, "  %s: %,d refused, %,d delivered, close() drained in %,d ms%n", name,
        refused.get(), delivered.get(), (System.nanoTime() - start) / 1_000_000);
    return p;
  }

  /** Runs {@code op} from {@code threads} callers in a closed loop: a warm-up, then a measured phase. */
  private static Phase timed(String name, int threads, int warmup, int seconds, IntConsumer op)
      throws InterruptedException {
    AtomicInteger sequence = new AtomicInteger();
    run(threads, warmup, op, sequence, null);
    List<long[]> perThread = new ArrayList<>();
    long start = System.nanoTime();
    long ops = run(threads, seconds, op, sequence, perThread);
    double took = (System.nanoTime() - start) / 1e9;
    long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    Phase p = new Phase(name, ops, took, all);
    System.out.printf(Locale.ROOT, "%s: %,.0f ops/s, p50 %.2f ms, p99 %.2f ms%n", name, p.perSecond(),
        p.percentile(0.5) / 1000.0, p.percentile(0.99) / 1000.0);
    return p;
  }

  private static long run(int threads, int seconds, IntConsumer op, AtomicInteger sequence,
      @Nullable List<long[]> out)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(threads);
    long[] counts = new long[threads];
    List<long[]> samples = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long[] mine = new long[400_000];
      samples.add(mine);
      int index = t;
      Thread th = new Thread(() -> {
        int n = 0;
        while (!stop.get() && n < mine.length) {
          long s = System.nanoTime();
          op.accept(sequence.getAndIncrement());
          mine[n++] = (System.nanoTime() - s) / 1_000;
        }
        counts[index] = n;
        done.countDown();
      }, "bench-caller-" + t);
      th.start();
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    done.await();
    long total = 0;
    for (int t = 0; t < threads; t++) {
      total += counts[t];
      if (out != null) {
        out.add(Arrays.copyOf(samples.get(t), (int) counts[t]));
      }
    }
    return total;
  }
}
