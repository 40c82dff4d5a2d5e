package dev.mailverify.bench.latency;

import dev.mailverify.bench.BenchPolicy;
import dev.mailverify.bench.BenchServices;
import dev.mailverify.bench.CommandLine;
import dev.mailverify.bench.smtp.Contenders;
import dev.mailverify.bench.smtp.SmtpEndpoint;
import dev.mailverify.bench.template.RendererCandidates;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * {@code sendVerificationCode} end to end, as a web request sees it: parse, limits, code, store,
 * render, and the transport's {@code send}. Reports p50, p90, p99, p99.9 and the maximum.
 *
 * <p>The transport is {@code outbox} (the in-memory outbox, no network), or any SMTP
 * {@link Contenders contender} against the sink (through {@code smtp-sink.sh latency}). A queueing
 * transport (the async decorator of a later issue) answers {@code send} once the mail is queued;
 * its backlog is then delivered by {@code close()}, whose duration is reported as the drain time.
 *
 * <p>Closed loop by default: {@code --threads} callers send back to back. With {@code --rate R}
 * the callers send R requests per second in all, each timed from when it was due, not from when
 * it could start, so a stalled transport shows in the percentiles instead of hiding (no
 * coordinated omission).
 *
 * <pre>
 * java -cp verification-benchmarks/target/benchmarks.jar dev.mailverify.bench.latency.SendLatency
 *     [--transport outbox] [--requests 50000] [--warmup 20000] [--threads 1] [--rate 0]
 *     [--renderer realistic-html] [--policy relaxed]
 *     [--port 2525 | --mode tls --tls-port 2465 --truststore F --truststore-password P]
 * </pre>
 */
public final class SendLatency {

  private static final Set<String> OPTIONS = Set.of("transport", "requests", "warmup", "threads", "rate", "renderer",
      "policy", "host", "port", "tls-port", "truststore", "truststore-password", "mode");

  private SendLatency() {}

  /** What one measurement found. */
  record Report(int requests, int failures, @Nullable String firstFailure, long wallNanos, long drainNanos, long[] sorted) {
    long percentile(double p) {
      if (sorted.length == 0) {
        return 0;
      }
      int i = (int) Math.ceil(p * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
  }

  /**
   * Runs the measurement and prints the percentiles.
   *
   * @param args see the class comment
   * @throws Exception if the run cannot start
   */
  public static void main(String[] args) throws Exception {
    CommandLine cl = CommandLine.parse(args, OPTIONS);
    String transportName = cl.get("transport", "outbox");
    int threads = cl.integer("threads", 1);
    int requests = cl.integer("requests", 50_000);
    int warmup = cl.integer("warmup", 20_000);
    int rate = cl.integer("rate", 0);
    if (threads < 1 || requests < 1 || warmup < 0 || rate < 0) {
      throw new IllegalArgumentException("need threads >= 1, requests >= 1, warmup >= 0, rate >= 0");
    }
    MailTransport transport;
    String where;
    if (transportName.equals("outbox")) {
      transport = new InMemoryOutbox();
      where = "in memory";
    } else {
      String host = cl.get("host", "127.0.0.1");
      SmtpEndpoint endpoint = cl.get("mode", "plain").equals("tls")
          ? SmtpEndpoint.implicitTls(host, cl.integer("tls-port", 2465), Path.of(cl.get("truststore", "")),
              cl.get("truststore-password", "").toCharArray())
          : SmtpEndpoint.plain(host, cl.integer("port", 2525));
      transport = Contenders.named(transportName).open(endpoint, threads);
      where = endpoint.toString();
    }
    String renderer = cl.get("renderer", "realistic-html");
    String policy = cl.get("policy", "relaxed");
    VerificationCodeService service = BenchServices.build(transport, CodeStore.inMemory(), BenchPolicy.named(policy),
        RendererCandidates.named(renderer));

    System.out.printf(Locale.ROOT, "sendVerificationCode latency: transport %s (%s), renderer %s, policy %s,"
            + " %d thread(s), %s; %,d requests after %,d warm-up%n", transportName, where, renderer, policy, threads,
        rate == 0 ? "closed loop" : "open loop at " + rate + "/s", requests, warmup);
    System.out.printf(Locale.ROOT, "JVM %s %s on %d CPUs%n", System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors());

    Report report = measure(service, transport, threads, requests, warmup, rate, transport instanceof InMemoryOutbox o
        ? o : null);
    print(report);
    if (report.failures() > 0) {
      System.exit(1);
    }
  }

  /** Warms up, measures, then closes the transport and times the close. */
  static Report measure(VerificationCodeService service, MailTransport transport, int threads, int requests,
      int warmup, int rate, @Nullable InMemoryOutbox outbox) throws InterruptedException {
    if (warmup > 0) {
      Report w = drive(service, "w", threads, warmup, 0);
      if (w.failures() > 0) {
        throw new IllegalStateException(w.failures() + " warm-up sends failed; first: " + w.firstFailure());
      }
      if (outbox != null) {
        outbox.clear();
      }
    }
    Report r = drive(service, "m", threads, requests, rate);
    long t0 = System.nanoTime();
    transport.close();
    return new Report(r.requests(), r.failures(), r.firstFailure(), r.wallNanos(), System.nanoTime() - t0, r.sorted());
  }

  private static Report drive(VerificationCodeService service, String prefix, int threads, int requests, int rate)
      throws InterruptedException {
    long[] latencies = new long[requests];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>("");
    CountDownLatch done = new CountDownLatch(threads);
    long intervalNanos = rate == 0 ? 0 : 1_000_000_000L / rate;
    long start = System.nanoTime() + 1_000_000; // 1 ms for the threads to start
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          int i;
          while ((i = next.getAndIncrement()) < requests) {
            long due;
            if (intervalNanos > 0) {
              due = start + i * intervalNanos;
              long wait = due - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
            } else {
              due = System.nanoTime();
            }
            SendResult r = service.sendVerificationCode(prefix + i + "@example.com", VerificationType.REGISTER,
                Duration.ofMinutes(10));
            latencies[i] = System.nanoTime() - due;
            if (!(r instanceof SendResult.Sent)) {
              failures.incrementAndGet();
              firstFailure.compareAndSet("", r.toString());
            }
          }
        } finally {
          done.countDown();
        }
      }, "caller-" + t);
      worker.start();
    }
    done.await();
    long wall = System.nanoTime() - start;
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new Report(requests, failures.get(), firstFailure.get(), wall, 0, sorted);
  }

  static void print(Report r) {
    System.out.printf(Locale.ROOT, "%,d requests in %.2f s = %,.0f/s; failures %d%s%n", r.requests(),
        r.wallNanos() / 1e9, r.requests() * 1e9 / r.wallNanos(), r.failures(),
        r.failures() > 0 ? " (first: " + r.firstFailure() + ")" : "");
    System.out.printf(Locale.ROOT, "latency  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms%n",
        r.percentile(0.50) / 1e6, r.percentile(0.90) / 1e6, r.percentile(0.99) / 1e6, r.percentile(0.999) / 1e6,
        r.sorted().length == 0 ? 0 : r.sorted()[r.sorted().length - 1] / 1e6);
    System.out.printf(Locale.ROOT, "transport close (drains a queueing transport): %.3f ms%n", r.drainNanos() / 1e6);
  }
}
