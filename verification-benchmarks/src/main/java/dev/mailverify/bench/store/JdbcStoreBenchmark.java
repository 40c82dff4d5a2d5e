package dev.mailverify.bench.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.jdbc.JdbcCodeStore;
import dev.mailverify.jdbc.JdbcRateLimiter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * The service on the JDBC store and limiter on PostgreSQL through one HikariCP pool, so that the
 * store takes the limiter's permits itself: {@code verifyCode} with a wrong code (budget check,
 * counted try and budget permit in one statement: one round trip, one commit) and the right code
 * (the same statement consumes the code and inserts the token instead: one round trip, one commit), and
 * {@code sendVerificationCode} to the in-memory outbox (the permits and the code in one statement).
 * The floor beside them: one single-row {@code UPDATE} in auto-commit with the same driver and
 * pool, each thread on its own row. The targets (issue 19): wrong {@code verifyCode} at 8 threads at
 * least 0.5 of the floor's rate, right at least 0.4.
 *
 * <p>Needs PostgreSQL on 127.0.0.1:5432, database {@code test}, user {@code postgres} (trust). Tables
 * get a fresh prefix per trial and are dropped after it. Codes are put into the store directly,
 * outside the measured time, with the hash the service would store.
 *
 * <p>Run: {@code java -jar verification-benchmarks/target/benchmarks.jar JdbcStoreBenchmark -f 1 -wi 2 -i 3 -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JdbcStoreBenchmark {
  static final VerificationType TYPE = VerificationType.REGISTER;
  static final int WRONG_TRIES_PER_CODE = 19;
  static final Duration TTL = Duration.ofMinutes(30);

  /** The database. */
  @Param("jdbc:postgresql://127.0.0.1:5432/test")
  public String url;

  /** The user (trust authentication, no password). */
  @Param("postgres")
  public String user;

  /** Codes issued per thread before the trial; wrong tries use each up to 19 times. */
  @Param("3000")
  public int codesPerThread;

  HikariDataSource pool;
  String prefix;
  VerificationCodeService service;
  InMemoryOutbox outbox;
  VerificationPolicy policy;
  JdbcCodeStore store;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setMaximumPoolSize(16);
    config.setConnectionTimeout(2000);
    pool = new HikariDataSource(config);
    prefix = "bench" + Long.toHexString(System.nanoTime()) + "_";
    store = JdbcCodeStore.builder(pool).tablePrefix(prefix).createTablesIfMissing(true).build();
    JdbcRateLimiter limiter = JdbcRateLimiter.builder(pool).tablePrefix(prefix).build();
    policy = BenchPolicy.relaxed();
    outbox = MailTransport.inMemory();
    service = VerificationCodeService.builder()
        .transport(outbox)
        .store(store)
        .rateLimiter(limiter)
        .secret(BenchServices.secret())
        .defaultPolicy(policy)
        .from(BenchServices.FROM)
        .appName(BenchServices.APP_NAME)
        .build();
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + prefix + "floor (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
      st.execute("INSERT INTO " + prefix + "floor SELECT g, 0 FROM generate_series(0, 63) g");
    }
  }

  @Setup(Level.Iteration)
  public void emptyOutbox() {
    outbox.clear();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      for (String t : List.of("codes", "tokens", "permits", "buckets", "outbox", "floor")) {
        st.execute("DROP TABLE IF EXISTS " + prefix + t);
      }
    }
    pool.close();
  }

  /** One thread's pending codes and counters. */
  @State(Scope.Thread)
  public static class Codes {
    JdbcStoreBenchmark bench;
    Secrets secrets;
    int thread;
    int generation;
    String[] emails = new String[0];
    String[] right = new String[0];
    String[] wrong = new String[0];
    int next;
    int used;
    long sends;
    long unexpected;

    long callsThisIteration;
    long busiestIteration;
    boolean guessing;

    @Setup(Level.Trial)
    public void setUp(JdbcStoreBenchmark b, ThreadParams params, BenchmarkParams benchmark) {
      bench = b;
      thread = params.getThreadIndex();
      secrets = new Secrets(BenchServices.secret(), List.of());
      guessing = benchmark.getBenchmark().contains(".wrongCode");
      refill(bench.codesPerThread);
    }

    /**
     * Before each iteration (on this thread, unmeasured): new codes if those left would not last
     * twice the busiest iteration so far, so that issuing codes stays out of the measured time (a
     * refill of 3,000 codes per thread inside an iteration had cut right verifies to a fifth).
     */
    @Setup(Level.Iteration)
    public void ensureRoom() {
      busiestIteration = Math.max(busiestIteration, callsThisIteration);
      callsThisIteration = 0;
      long room = guessing ? (long) emails.length * WRONG_TRIES_PER_CODE - used : emails.length - next;
      if (room < busiestIteration * 2) {
        long codes = guessing ? busiestIteration * 4 / WRONG_TRIES_PER_CODE + 1 : busiestIteration * 4;
        refill((int) Math.min(1 << 20, Math.max(bench.codesPerThread, codes)));
      }
    }

    void refill(int size) {
      generation++;
      emails = new String[size];
      right = new String[size];
      wrong = new String[size];
      Instant now = Instant.now();
      String digits = bench.policy.alphabet().symbols();
      for (int i = 0; i < size; i++) {
        String email = "j" + generation + "." + thread + "." + i + "@example.com";
        String code = secrets.newCode(digits, bench.policy.codeLength());
        CodeKey key = CodeKey.of(TYPE, EmailAddress.parse(email));
        bench.store.issue(key, new PendingCode(secrets.mac(key, code), now.plus(TTL), bench.policy.maxAttempts(), 0),
            now);
        emails[i] = email;
        right[i] = code;
        char first = code.charAt(0);
        wrong[i] = (char) (first == '9' ? '0' : first + 1) + code.substring(1);
      }
      next = 0;
      used = 0;
    }

    int fresh() {
      if (next == emails.length) {
        refill(bench.codesPerThread); // only if ensureRoom guessed short: measured, and rare
      }
      callsThisIteration++;
      return next++;
    }

    int guessable() {
      if (used == emails.length * WRONG_TRIES_PER_CODE) {
        refill(bench.codesPerThread); // only if ensureRoom guessed short: measured, and rare
      }
      callsThisIteration++;
      if (next == emails.length) {
        next = 0;
      }
      used++;
      return next++;
    }

    @TearDown(Level.Trial)
    public void report() {
      if (unexpected > 0) {
        throw new IllegalStateException("thread " + thread + ": " + unexpected + " calls gave another result");
      }
    }
  }

  /** The floor's statement on this thread's own row. */
  @State(Scope.Thread)
  public static class Floor {
    String sql;
    int id;

    @Setup(Level.Trial)
    public void setUp(JdbcStoreBenchmark b, ThreadParams params) {
      sql = "UPDATE " + b.prefix + "floor SET n = n + 1 WHERE id = ?";
      id = params.getThreadIndex();
    }
  }

  VerifyResult wrong(Codes c) {
    int i = c.guessable();
    VerifyResult r = service.verifyCode(c.emails[i], TYPE, c.wrong[i]);
    if (!(r instanceof VerifyResult.Invalid)) {
      c.unexpected++;
    }
    return r;
  }

  VerifyResult right(Codes c) {
    int i = c.fresh();
    VerifyResult r = service.verifyCode(c.emails[i], TYPE, c.right[i]);
    if (!(r instanceof VerifyResult.Verified)) {
      c.unexpected++;
    }
    return r;
  }

  SendResult send(Codes c) {
    SendResult r = service.sendVerificationCode("s" + c.generation + "." + c.thread + "." + c.sends++ + "@example.com",
        TYPE, TTL);
    if (!(r instanceof SendResult.Sent)) {
      c.unexpected++;
    }
    return r;
  }

  int floor(Floor f) throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(f.sql)) {
      ps.setInt(1, f.id);
      return ps.executeUpdate();
    }
  }

  /** @param c codes @return the result */
  @Benchmark
  @Threads(1)
  public VerifyResult wrongCodeOneThread(Codes c) {
    return wrong(c);
  }

  /** @param c codes @return the result */
  @Benchmark
  @Threads(8)
  public VerifyResult wrongCodeEightThreads(Codes c) {
    return wrong(c);
  }

  /** @param c codes @return the result */
  @Benchmark
  @Threads(1)
  public VerifyResult rightCodeOneThread(Codes c) {
    return right(c);
  }

  /** @param c codes @return the result */
  @Benchmark
  @Threads(8)
  public VerifyResult rightCodeEightThreads(Codes c) {
    return right(c);
  }

  /** @param c codes @return the result */
  @Benchmark
  @Threads(1)
  public SendResult sendOneThread(Codes c) {
    return send(c);
  }

  /** @param c codes @return the result */
  @Benchmark
  @Threads(8)
  public SendResult sendEightThreads(Codes c) {
    return send(c);
  }

  /** @param f the row @return rows updated @throws SQLException on failure */
  @Benchmark
  @Threads(1)
  public int bareUpdateOneThread(Floor f) throws SQLException {
    return floor(f);
  }

  /** @param f the row @return rows updated @throws SQLException on failure */
  @Benchmark
  @Threads(8)
  public int bareUpdateEightThreads(Floor f) throws SQLException {
    return floor(f);
  }
}
