package dev.mailverify.bench.store;

import dev.mailverify.bench.BenchPolicy;
import dev.mailverify.bench.BenchServices;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.internal.Secrets;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.TemplateRenderer;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.redis.RedisCodeStore;
import dev.mailverify.redis.RedisRateLimiter;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The whole service on {@code verification-redis}: {@code verifyCode} with a wrong and with the
 * right code, and {@code sendVerificationCode} into the in-memory outbox, on 1 and 8 threads,
 * beside the floor: a bare Lettuce {@code EVALSHA} of {@code return 1} on the same client.
 *
 * <p>Round trips per call (each one {@code EVALSHA}, atomic on the server; store and limiter share
 * the client and prefix, so the store takes the address's permits in its own scripts): wrong code
 * 1 (budget, try and count in one script); right code 1 on one server (the attempt stores the
 * token it earns; 2 on Redis Cluster); send 1 (the limits and the code in one script).
 * {@code RedisRoundTripsTest} counts them at the driver, {@code RedisClusterRoundTripsTest} on the
 * servers.
 *
 * <p>Codes to verify are issued into the store directly, outside measured time (the same keyed
 * hash the service stores): each thread keeps a pool, a wrong code is tried at most 19 times
 * (the relaxed policy allows 20), a right code once; a pool too small for the next iteration is
 * replaced before it (a pool that still runs dry is refilled inline). Every result is checked; a call that gave anything else fails the run.
 * Keys live under a random prefix and are removed after the trial.
 *
 * <p>Needs Redis at {@code -p redisUri=redis://127.0.0.1:6379}. Run: {@code java -jar
 * verification-benchmarks/target/benchmarks.jar RedisStoreBenchmark -f 1 -wi 2 -i 3 -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RedisStoreBenchmark {

  static final VerificationType TYPE = VerificationType.REGISTER;
  static final Duration TTL = Duration.ofMinutes(10);
  static final int WRONG_TRIES_PER_CODE = 19;

  /** The Redis server. */
  @Param("redis://127.0.0.1:6379")
  public String redisUri;

  /** Pending codes each thread starts with; grows to what an iteration needs. */
  @Param("8192")
  public int initialPool;

  RedisClient client;
  StatefulRedisConnection<String, String> bare;
  RedisCommands<String, String> bareCommands;
  String bareSha;
  RedisCodeStore store;
  RedisRateLimiter limiter;
  InMemoryOutbox outbox;
  VerificationCodeService service;
  Secrets secrets;
  VerificationPolicy policy;
  String prefix;

  @Setup(Level.Trial)
  public void setUp() {
    client = RedisClient.create(redisUri);
    bare = client.connect();
    bareCommands = bare.sync();
    bareSha = bareCommands.scriptLoad("return 1");
    prefix = "mvbench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    store = RedisCodeStore.builder(client).keyPrefix(prefix).build();
    limiter = RedisRateLimiter.builder(client).keyPrefix(prefix).build();
    outbox = MailTransport.inMemory();
    policy = BenchPolicy.relaxed();
    service = VerificationCodeService.builder()
        .transport(outbox)
        .store(store)
        .rateLimiter(limiter)
        .secret(BenchServices.secret())
        .defaultPolicy(policy)
        .renderer(TemplateRenderer.plainText())
        .from(BenchServices.FROM)
        .appName(BenchServices.APP_NAME)
        .build();
    secrets = new Secrets(BenchServices.secret(), List.of());
  }

  /** The outbox keeps every message: forget them between iterations, outside measured time. */
  @Setup(Level.Iteration)
  public void clearOutbox() {
    outbox.clear();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(10_000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = bareCommands.scan(cursor, match);
      if (!page.getKeys().isEmpty()) {
        bareCommands.unlink(page.getKeys().toArray(String[]::new));
      }
      cursor = page;
    } while (!cursor.isFinished());
    store.close();
    limiter.close();
    bare.close();
    client.shutdown();
  }

  /** One thread's pending codes and fresh addresses. */
  @State(Scope.Thread)
  public static class Pool {
    String[] emails = new String[0];
    String[] rightCodes = new String[0];
    String[] wrongCodes = new String[0];
    int next;
    long used;
    long callsThisIteration;
    long lastIterationCalls;
    int generation;
    int thread;
    long sent;
    long unexpected;
    RedisStoreBenchmark bench;

    boolean guessing;
    boolean verifying;

    @Setup(Level.Trial)
    public void setUp(RedisStoreBenchmark b, ThreadParams params, BenchmarkParams benchmark) {
      bench = b;
      thread = params.getThreadIndex();
      guessing = benchmark.getBenchmark().contains(".wrongCode");
      verifying = guessing || benchmark.getBenchmark().contains(".rightCode");
      if (verifying) {
        refill(bench.initialPool);
      }
    }

    /**
     * Before each iteration (on this thread, unmeasured): a new pool if the old one lacks room for
     * twice the calls of the busiest iteration so far.
     */
    @Setup(Level.Iteration)
    public void ensureRoom() {
      lastIterationCalls = Math.max(lastIterationCalls, callsThisIteration);
      callsThisIteration = 0;
      if (!verifying) {
        return;
      }
      long room = guessing ? (long) emails.length * WRONG_TRIES_PER_CODE - used : emails.length - next;
      if (room < lastIterationCalls * 2) {
        long codes = guessing ? lastIterationCalls * 4 / WRONG_TRIES_PER_CODE + 1 : lastIterationCalls * 4;
        refill((int) Math.min(1 << 20, Math.max(bench.initialPool, codes)));
      }
    }

    @TearDown(Level.Trial)
    public void check() {
      if (unexpected > 0) {
        throw new IllegalStateException("thread " + thread + ": " + unexpected
            + " calls did not give the result this benchmark measures");
      }
    }

    /** Issues {@code size} new codes for new addresses, straight into the store. */
    void refill(int size) {
      generation++;
      emails = new String[size];
      rightCodes = new String[size];
      wrongCodes = new String[size];
      Instant now = Instant.now();
      String digits = bench.policy.alphabet().symbols();
      for (int i = 0; i < size; i++) {
        String email = "v" + generation + "." + thread + "." + i + "@example.com";
        String code = bench.secrets.newCode(digits, bench.policy.codeLength());
        CodeKey key = CodeKey.of(TYPE, EmailAddress.parse(email));
        bench.store.issue(key, new PendingCode(bench.secrets.mac(key, code), now.plus(TTL),
            bench.policy.maxAttempts(), 0), now);
        emails[i] = email;
        rightCodes[i] = code;
        char first = code.charAt(0);
        wrongCodes[i] = (char) (first == '9' ? '0' : first + 1) + code.substring(1);
      }
      next = 0;
      used = 0;
    }

    int fresh() {
      if (next >= emails.length) {
        refill((int) Math.max(bench.initialPool, Math.min(1 << 20, lastIterationCalls * 2)));
      }
      callsThisIteration++;
      return next++;
    }

    int guessable() {
      if (used >= (long) emails.length * WRONG_TRIES_PER_CODE) {
        refill((int) Math.max(bench.initialPool, Math.min(1 << 20, lastIterationCalls * 2 / WRONG_TRIES_PER_CODE)));
      }
      if (next >= emails.length) {
        next = 0;
      }
      used++;
      callsThisIteration++;
      return next++;
    }

    String nextAddress() {
      return "s" + sent++ + "." + thread + "@example.com";
    }
  }

  VerifyResult wrong(Pool p) {
    int i = p.guessable();
    VerifyResult r = service.verifyCode(p.emails[i], TYPE, p.wrongCodes[i]);
    if (!(r instanceof VerifyResult.Invalid)) {
      p.unexpected++;
    }
    return r;
  }

  VerifyResult right(Pool p) {
    int i = p.fresh();
    VerifyResult r = service.verifyCode(p.emails[i], TYPE, p.rightCodes[i]);
    if (!(r instanceof VerifyResult.Verified)) {
      p.unexpected++;
    }
    return r;
  }

  SendResult send(Pool p) {
    SendResult r = service.sendVerificationCode(p.nextAddress(), TYPE, TTL);
    if (!(r instanceof SendResult.Sent)) {
      p.unexpected++;
    }
    return r;
  }

  Long evalsha() {
    return bareCommands.evalsha(bareSha, ScriptOutputType.INTEGER);
  }

  /**
   * A wrong code on one thread: 1 round trip.
   *
   * @param p this thread's codes
   * @return the result
   */
  @Benchmark
  @Threads(1)
  public VerifyResult wrongCodeOneThread(Pool p) {
    return wrong(p);
  }

  /**
   * A wrong code on eight threads.
   *
   * @param p this thread's codes
   * @return the result
   */
  @Benchmark
  @Threads(8)
  public VerifyResult wrongCodeEightThreads(Pool p) {
    return wrong(p);
  }

  /**
   * The right code on one thread: 1 round trip.
   *
   * @param p this thread's codes
   * @return the result
   */
  @Benchmark
  @Threads(1)
  public VerifyResult rightCodeOneThread(Pool p) {
    return right(p);
  }

  /**
   * The right code on eight threads.
   *
   * @param p this thread's codes
   * @return the result
   */
  @Benchmark
  @Threads(8)
  public VerifyResult rightCodeEightThreads(Pool p) {
    return right(p);
  }

  /**
   * A send into the outbox on one thread: 1 round trip.
   *
   * @param p this thread's addresses
   * @return the result
   */
  @Benchmark
  @Threads(1)
  public SendResult sendOneThread(Pool p) {
    return send(p);
  }

  /**
   * A send into the outbox on eight threads.
   *
   * @param p this thread's addresses
   * @return the result
   */
  @Benchmark
  @Threads(8)
  public SendResult sendEightThreads(Pool p) {
    return send(p);
  }

  /**
   * The floor: one bare {@code EVALSHA} of {@code return 1} on one thread.
   *
   * @return 1
   */
  @Benchmark
  @Threads(1)
  public Long bareEvalshaOneThread() {
    return evalsha();
  }

  /**
   * The floor on eight threads.
   *
   * @return 1
   */
  @Benchmark
  @Threads(8)
  public Long bareEvalshaEightThreads() {
    return evalsha();
  }
}
