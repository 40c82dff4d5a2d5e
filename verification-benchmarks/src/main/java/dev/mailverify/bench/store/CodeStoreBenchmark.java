package dev.mailverify.bench.store;

import dev.mailverify.bench.BenchServices;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.internal.Secrets;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.PendingCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * A {@link CodeStore} on its own, below the service: {@code issue} (one write), {@code attempt}
 * with a wrong MAC (count the try, compare, write back) and a code's whole life, {@code issue}
 * then {@code attempt} with the right MAC (consumed). Keys, MACs and records are made before
 * the measurement, so only the store is timed.
 *
 * <p>Every store the benchmarks know is measured the same way: {@code -p store=in-memory,redis}
 * once {@link StoreCandidates} knows {@code redis}.
 *
 * <p>Run: {@code java -jar verification-benchmarks/target/benchmarks.jar CodeStoreBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class CodeStoreBenchmark {

  static final int WRONG_TRIES_PER_CODE = 19;
  static final int MAX_ATTEMPTS = 20;
  /** Two threads' keys stay under the in-memory store's bound of one million codes. */
  static final int MAX_KEYS = 450_000;

  /** A {@link StoreCandidates} name. */
  @Param("in-memory")
  public String store;

  /** Keys per thread; wrong tries grow it to what an iteration needs. */
  @Param("65536")
  public int keysPerThread;

  StoreCandidate candidate;
  CodeStore codeStore;

  @Setup(Level.Trial)
  public void setUp() {
    candidate = StoreCandidates.open(store);
    codeStore = candidate.store();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    candidate.close();
  }

  /** One thread's keys and records. */
  @State(Scope.Thread)
  public static class Keys {
    CodeStoreBenchmark bench;
    Secrets secrets;
    int thread;
    CodeKey[] keys = new CodeKey[0];
    PendingCode[] codes = new PendingCode[0];
    List<List<byte[]>> right = List.of();
    List<List<byte[]>> wrong = List.of();
    Instant now;
    int next;
    long calls;
    long wrongCalls;
    int inlineRefills;
    boolean measuring;
    long unexpected;

    @Setup(Level.Trial)
    public void setUp(CodeStoreBenchmark b, ThreadParams params) {
      bench = b;
      thread = params.getThreadIndex();
      secrets = new Secrets(BenchServices.secret(), List.of());
      make(b.keysPerThread);
    }

    private void make(int size) {
      for (CodeKey k : keys) {
        bench.codeStore.invalidate(k);
      }
      now = Instant.now();
      keys = new CodeKey[size];
      codes = new PendingCode[size];
      List<List<byte[]>> rights = new ArrayList<>(size);
      List<List<byte[]>> wrongs = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        CodeKey key = CodeKey.of(VerificationType.REGISTER, EmailAddress.parse("k" + thread + "." + i + "@example.com"));
        String code = secrets.newCode("0123456789", 6);
        char first = code.charAt(0);
        String wrongCode = (char) (first == '9' ? '0' : first + 1) + code.substring(1);
        keys[i] = key;
        codes[i] = new PendingCode(secrets.mac(key, code), now.plus(Duration.ofMinutes(10)), MAX_ATTEMPTS, 0);
        rights.add(List.of(secrets.mac(key, code)));
        wrongs.add(List.of(secrets.mac(key, wrongCode)));
      }
      right = rights;
      wrong = wrongs;
    }

    /** Issues every code afresh (no tries counted). */
    void issueAll() {
      for (int i = 0; i < keys.length; i++) {
        bench.codeStore.issue(keys[i], codes[i], now);
      }
      next = 0;
      calls = 0;
    }

    @Setup(Level.Iteration)
    public void beforeIteration(IterationParams iteration) {
      measuring = iteration.getType() == IterationType.MEASUREMENT;
      long needed = wrongCalls / WRONG_TRIES_PER_CODE * 2; // room for an iteration twice as fast
      if (needed > keys.length && keys.length < MAX_KEYS) {
        make((int) Math.min(MAX_KEYS, needed));
      }
      wrongCalls = 0;
      issueAll();
    }

    int nextKey() {
      if (next == keys.length) {
        next = 0;
      }
      return next++;
    }

    int nextGuessable() {
      if (calls == (long) keys.length * WRONG_TRIES_PER_CODE) {
        inlineRefills += measuring ? 1 : 0;
        issueAll();
      }
      calls++;
      wrongCalls++;
      return nextKey();
    }

    @TearDown(Level.Trial)
    public void check() {
      for (CodeKey k : keys) {
        bench.codeStore.invalidate(k);
      }
      if (unexpected > 0) {
        throw new IllegalStateException("thread " + thread + ": " + unexpected
            + " attempts did not give the outcome this benchmark measures");
      }
      if (inlineRefills > 0) {
        System.out.println("thread " + thread + ": codes ran out of tries " + inlineRefills
            + " times in measured iterations and were re-issued inside measured time; raise -p keysPerThread");
      }
    }
  }

  void issue(Keys k) {
    int i = k.nextKey();
    codeStore.issue(k.keys[i], k.codes[i], k.now);
  }

  AttemptResult attemptWrong(Keys k) {
    int i = k.nextGuessable();
    AttemptResult r = codeStore.attempt(k.keys[i], k.wrong.get(i), k.now);
    if (r.outcome() != AttemptResult.Outcome.MISMATCHED) {
      k.unexpected++;
    }
    return r;
  }

  AttemptResult issueThenAttemptRight(Keys k) {
    int i = k.nextKey();
    codeStore.issue(k.keys[i], k.codes[i], k.now);
    AttemptResult r = codeStore.attempt(k.keys[i], k.right.get(i), k.now);
    if (r.outcome() != AttemptResult.Outcome.MATCHED) {
      k.unexpected++;
    }
    return r;
  }

  /**
   * Stores a code, replacing the key's earlier one.
   *
   * @param k this thread's keys
   */
  @Benchmark
  @Threads(1)
  public void issueOneThread(Keys k) {
    issue(k);
  }

  /**
   * Stores a code on two threads.
   *
   * @param k this thread's keys
   */
  @Benchmark
  @Threads(2)
  public void issueTwoThreads(Keys k) {
    issue(k);
  }

  /**
   * One wrong try.
   *
   * @param k this thread's keys
   * @return the outcome
   */
  @Benchmark
  @Threads(1)
  public AttemptResult attemptWrongOneThread(Keys k) {
    return attemptWrong(k);
  }

  /**
   * One wrong try on two threads.
   *
   * @param k this thread's keys
   * @return the outcome
   */
  @Benchmark
  @Threads(2)
  public AttemptResult attemptWrongTwoThreads(Keys k) {
    return attemptWrong(k);
  }

  /**
   * A code's life: stored, then matched and consumed.
   *
   * @param k this thread's keys
   * @return the outcome
   */
  @Benchmark
  @Threads(1)
  public AttemptResult issueThenAttemptRightOneThread(Keys k) {
    return issueThenAttemptRight(k);
  }

  /**
   * A code's life on two threads.
   *
   * @param k this thread's keys
   * @return the outcome
   */
  @Benchmark
  @Threads(2)
  public AttemptResult issueThenAttemptRightTwoThreads(Keys k) {
    return issueThenAttemptRight(k);
  }
}
