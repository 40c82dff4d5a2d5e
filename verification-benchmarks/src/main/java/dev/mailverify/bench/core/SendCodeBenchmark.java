package dev.mailverify.bench.core;

import dev.mailverify.bench.BenchPolicy;
import dev.mailverify.bench.BenchServices;
import dev.mailverify.bench.store.StoreCandidate;
import dev.mailverify.bench.store.StoreCandidates;
import dev.mailverify.bench.template.RendererCandidates;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.time.Duration;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * {@code sendVerificationCode} in memory: address parsing, the rate limiter, a {@code SecureRandom}
 * code, one HMAC, one store write, rendering, and the transport.
 *
 * <p>Every call goes to a new address, as real traffic does (each address sends a few codes an
 * hour), so no limit is ever reached and no limiter log grows; with {@code -p policy=production}
 * the default policy's cooldown and caps are taken (and never refused) on every call. One
 * service serves the whole run, as in a running application: its store and limiter fill up with
 * every code sent (the in-memory store holds up to a million, then evicts), while the outbox is
 * emptied between iterations.
 *
 * <p>Parameters: {@code transport} {@code outbox} ({@link InMemoryOutbox}, keeps every message, as
 * tests use it) or {@code discard} (drops them: the service alone); {@code renderer} any
 * {@link RendererCandidates} name; {@code store} any {@link StoreCandidates} name; {@code policy}
 * {@code relaxed} or {@code production}.
 *
 * <p>Run: {@code java -jar verification-benchmarks/target/benchmarks.jar SendCodeBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class SendCodeBenchmark {

  static final VerificationType TYPE = VerificationType.REGISTER;
  static final Duration TTL = Duration.ofMinutes(10);

  /** {@code outbox} or {@code discard}. */
  @Param("outbox")
  public String transport;

  /** A {@link RendererCandidates} name. */
  @Param("plain-text")
  public String renderer;

  /** A {@link StoreCandidates} name. */
  @Param("in-memory")
  public String store;

  /** {@code relaxed} or {@code production}. */
  @Param("relaxed")
  public String policy;

  VerificationCodeService service;
  StoreCandidate candidate;
  InMemoryOutbox outbox;

  @Setup(Level.Trial)
  public void setUp() {
    MailTransport t = switch (transport) {
      case "outbox" -> outbox = new InMemoryOutbox();
      case "discard" -> message -> { };
      default -> throw new IllegalArgumentException("transport must be outbox or discard, was " + transport);
    };
    candidate = StoreCandidates.open(store);
    service = BenchServices.build(t, candidate.store(), BenchPolicy.named(policy), RendererCandidates.named(renderer));
  }

  /** The outbox keeps every message; forget them between iterations, outside measured time. */
  @Setup(Level.Iteration)
  public void emptyOutbox() {
    if (outbox != null) {
      outbox.clear();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    candidate.close();
  }

  /** One thread's supply of new addresses. */
  @State(Scope.Thread)
  public static class Addresses {
    int thread;
    long sent;
    long unexpected;

    @Setup(Level.Trial)
    public void setUp(ThreadParams params) {
      thread = params.getThreadIndex();
    }

    String next() {
      return "s" + sent++ + "." + thread + "@example.com";
    }

    @TearDown(Level.Trial)
    public void check() {
      if (unexpected > 0) {
        throw new IllegalStateException("thread " + thread + ": " + unexpected + " sends were not Sent");
      }
    }
  }

  SendResult send(Addresses a) {
    SendResult r = service.sendVerificationCode(a.next(), TYPE, TTL);
    if (!(r instanceof SendResult.Sent)) {
      a.unexpected++;
    }
    return r;
  }

  /**
   * One thread sending.
   *
   * @param a new addresses
   * @return the result
   */
  @Benchmark
  @Threads(1)
  public SendResult sendOneThread(Addresses a) {
    return send(a);
  }

  /**
   * Two threads sending.
   *
   * @param a new addresses
   * @return the result
   */
  @Benchmark
  @Threads(2)
  public SendResult sendTwoThreads(Addresses a) {
    return send(a);
  }
}
