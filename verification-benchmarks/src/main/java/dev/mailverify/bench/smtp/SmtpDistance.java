package dev.mailverify.bench.smtp;

import dev.mailverify.bench.CommandLine;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import org.jspecify.annotations.Nullable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SMTP at the distances users really have (issue 22): every contender sends realistic verification
 * mails through a {@link DelayProxy} that adds 0, 20, 50 or 200 ms of round-trip time in front of a
 * loopback sink, plain and over implicit TLS, over 1 and 8 connections, all in one run, and the
 * added time is checked with a {@code NOOP} ping through the same proxy.
 *
 * <p>Every contender gets the same offered load: {@code threads-per-connection} sending threads per
 * connection (4 by default), so that mails are waiting whenever a connection could take one, as
 * behind an asynchronous queue or a busy web server. A client that cannot use waiting mails (Jakarta
 * Mail, one transaction per connection at a time) simply makes them wait; the latency columns are
 * per mail as the calling thread sees it, queueing included.
 *
 * <p>Contenders: {@code mailverify-smtp} against a sink that lists PIPELINING,
 * {@code mailverify-lockstep} (the same transport against the same sink started with
 * {@code smtp-sink -p}, which does not list it: the transport's lock-step path),
 * {@code jakarta-reused} and {@code vertx-mail}.
 *
 * <p>With {@code --quiet S} it also times, at {@code --quiet-rtt} ms, the first mail after S
 * seconds without traffic against a warm one, for {@code mailverify-smtp} on one connection.
 *
 * <pre>
 * java -cp verification-benchmarks/target/benchmarks.jar dev.mailverify.bench.smtp.SmtpDistance
 *     --port 2525 --nopipe-port 2526 [--tls-port 2465 --nopipe-tls-port 2466 --truststore T --truststore-password P]
 *     [--rtt 0,20,50,200] [--connections 1,8] [--threads-per-connection 4] [--seconds 8] [--warmup-seconds 2]
 *     [--rounds 1] [--rounds-at-50 3] [--contenders a,b] [--quiet 60] [--quiet-rtt 50] [--csv out.csv]
 * </pre>
 */
public final class SmtpDistance {
  private static final Set<String> OPTIONS = Set.of("host", "port", "nopipe-port", "tls-port", "nopipe-tls-port",
      "truststore", "truststore-password", "rtt", "connections", "threads-per-connection", "seconds", "rounds",
      "rounds-at-50", "contenders", "quiet", "quiet-rtt", "csv", "modes", "warmup-seconds");

  /** The mailverify transport against the sink that does not list PIPELINING. */
  static final String LOCKSTEP = "mailverify-lockstep";

  private SmtpDistance() {}

  /**
   * Runs the benchmark.
   *
   * @param args see the class comment
   * @throws Exception if a run cannot start
   */
  public static void main(String[] args) throws Exception {
    CommandLine cl = CommandLine.parse(args, OPTIONS);
    String host = cl.get("host", "127.0.0.1");
    List<String> modes = cl.list("modes", cl.has("tls-port") ? "plain,tls" : "plain");
    Map<String, SmtpEndpoint[]> sinks = new LinkedHashMap<>(); // mode -> {pipelining, lock-step}
    if (modes.contains("plain")) {
      sinks.put("plain", new SmtpEndpoint[] {SmtpEndpoint.plain(host, cl.integer("port", 2525)),
          SmtpEndpoint.plain(host, cl.integer("nopipe-port", 2526))});
    }
    if (modes.contains("tls")) {
      Path trust = Path.of(cl.get("truststore", ""));
      char[] pw = cl.get("truststore-password", "").toCharArray();
      sinks.put("tls", new SmtpEndpoint[] {
          SmtpEndpoint.implicitTls(host, cl.integer("tls-port", 2465), trust, pw),
          SmtpEndpoint.implicitTls(host, cl.integer("nopipe-tls-port", 2466), trust, pw)});
    }
    List<Integer> rtts = cl.list("rtt", "0,20,50,200").stream().map(Integer::parseInt).toList();
    List<Integer> connections = cl.list("connections", "1,8").stream().map(Integer::parseInt).toList();
    int perConnection = cl.integer("threads-per-connection", 4);
    Duration seconds = Duration.ofSeconds(cl.integer("seconds", 8));
    Duration warmup = Duration.ofSeconds(cl.integer("warmup-seconds", 2));
    int rounds = cl.integer("rounds", 1);
    int roundsAt50 = cl.integer("rounds-at-50", 3);
    List<String> contenders = cl.list("contenders",
        String.join(",", List.of(Contenders.MAILVERIFY, LOCKSTEP, JakartaSharedConnections.NAME, VertxMail.NAME)));
    List<EmailMessage> mails = VerificationMails.generate(2000, 42);

    PrintStream out = System.out;
    out.printf(Locale.ROOT, "SMTP at a distance: RTT %s ms, modes %s, connections %s, %d threads per connection,"
        + " %d s per cell, %d round(s) (%d at 50 ms)%n", rtts, sinks.keySet(), connections, perConnection,
        seconds.toSeconds(), rounds, roundsAt50);
    out.printf(Locale.ROOT, "JVM %s %s on %d CPUs; load average at start: %s%n", System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors(), loadAverage());

    List<Cell> cells = new ArrayList<>();
    Map<String, Double> pings = new LinkedHashMap<>();
    for (int rtt : rtts) {
      for (Map.Entry<String, SmtpEndpoint[]> sink : sinks.entrySet()) {
        String mode = sink.getKey();
        try (DelayProxy pipe = new DelayProxy(address(sink.getValue()[0]), Duration.ofMillis(rtt));
            DelayProxy lock = new DelayProxy(address(sink.getValue()[1]), Duration.ofMillis(rtt))) {
          SmtpEndpoint viaPipe = through(sink.getValue()[0], pipe);
          SmtpEndpoint viaLock = through(sink.getValue()[1], lock);
          double ping = NoopPing.medianNanos(viaPipe, rtt >= 200 ? 5 : 11) / 1e6;
          pings.put(rtt + "|" + mode, ping);
          out.printf(Locale.ROOT, "%n%s, +%d ms: NOOP round trip through the proxy %.2f ms (median)%n", mode, rtt, ping);
          int n = rtt == 50 ? roundsAt50 : rounds;
          for (int round = 1; round <= n; round++) {
            for (int c : connections) {
              for (String name : contenders) {
                Contender contender = name.equals(LOCKSTEP) ? Contenders.named(Contenders.MAILVERIFY)
                    : name.equals(JakartaSharedConnections.NAME) ? new JakartaSharedConnections()
                    : name.equals(VertxMail.NAME) ? new VertxMail() : Contenders.named(name);
                SmtpEndpoint endpoint = name.equals(LOCKSTEP) ? viaLock : viaPipe;
                Cell cell = run(name, contender, endpoint, mode, rtt, c, c * perConnection, warmup, seconds, mails);
                cells.add(cell);
                out.printf(Locale.ROOT, "round %d  %-5s +%3d ms  conns %d  %-20s %8.1f mails/s  p50 %8.1f ms"
                        + "  p99 %8.1f ms  (%d mails%s)%n", round, mode, rtt, c, name, cell.perSecond,
                    cell.p50Millis, cell.p99Millis, cell.mails,
                    cell.failures > 0 ? ", " + cell.failures + " FAILED: " + cell.firstFailure : "");
              }
            }
          }
        }
      }
    }
    summary(out, cells, pings);

    int quiet = cl.integer("quiet", 0);
    if (quiet > 0 && sinks.containsKey("plain")) {
      int quietRtt = cl.integer("quiet-rtt", 50);
      for (Map.Entry<String, SmtpEndpoint[]> sink : sinks.entrySet()) {
        try (DelayProxy proxy = new DelayProxy(address(sink.getValue()[0]), Duration.ofMillis(quietRtt))) {
          quietMinute(out, sink.getKey(), through(sink.getValue()[0], proxy), quietRtt, Duration.ofSeconds(quiet),
              mails);
        }
      }
    }
    out.printf(Locale.ROOT, "%nload average at the end: %s%n", loadAverage());
    if (cl.has("csv")) {
      writeCsv(Path.of(cl.get("csv", "")), cells);
    }
    if (cells.stream().anyMatch(c -> c.failures > 0)) {
      out.println("FAILED: some sends failed; the figures are not comparable.");
      System.exit(1);
    }
  }

  /** One contender in one cell of the grid. */
  record Cell(String contender, String mode, int rtt, int connections, int threads, int mails, int failures,
      String firstFailure, double perSecond, double p50Millis, double p99Millis) {}

  static Cell run(String name, Contender contender, SmtpEndpoint endpoint, String mode, int rtt, int connections,
      int threads, Duration warmup, Duration duration, List<EmailMessage> mails) throws InterruptedException {
    MailTransport transport = contender.open(endpoint, connections);
    try {
      // warm-up: open every connection (two mails per thread), then keep sending for the warm-up time
      // so the JIT has compiled the path before the window opens
      batch(transport, mails, threads, Duration.ZERO, threads * 2);
      if (!warmup.isZero()) {
        batch(transport, mails, threads, warmup, Integer.MAX_VALUE);
      }
      Batch b = batch(transport, mails, threads, duration, Integer.MAX_VALUE);
      long[] sorted = b.latencies();
      Arrays.sort(sorted);
      // the rate counts the mails finished inside the window, so the tail of mails still queued at the
      // deadline (long for a client that makes them wait) does not stretch the window
      return new Cell(name, mode, rtt, connections, threads, sorted.length, b.failures.get(),
          String.valueOf(b.firstFailure.get()), b.finishedBy(b.deadline) / (duration.toNanos() / 1e9),
          percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
    } finally {
      transport.close();
    }
  }

  /** Threads send until the deadline (or until {@code count} mails were started), each timing its sends. */
  private static Batch batch(MailTransport transport, List<EmailMessage> mails, int threads, Duration duration,
      int count) throws InterruptedException {
    Batch b = new Batch();
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    b.deadline = deadline;
    AtomicInteger started = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        try {
          int i;
          while ((i = started.getAndIncrement()) < count && (count != Integer.MAX_VALUE || System.nanoTime() < deadline)) {
            long t0 = System.nanoTime();
            try {
              transport.send(mails.get(i % mails.size()));
            } catch (RuntimeException e) {
              b.failures.incrementAndGet();
              b.firstFailure.compareAndSet(null, e);
            }
            long t1 = System.nanoTime();
            b.add(t1 - t0, t1);
          }
        } finally {
          done.countDown();
        }
      }, "distance-sender-" + t);
      w.setDaemon(true);
      w.start();
    }
    done.await();
    b.wallNanos = System.nanoTime() - start;
    return b;
  }

  private static final class Batch {
    final AtomicInteger failures = new AtomicInteger();
    final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private long[] latencies = new long[1024];
    private long[] ends = new long[1024];
    private int size;
    long wallNanos;
    long deadline;

    synchronized void add(long nanos, long end) {
      if (size == latencies.length) {
        latencies = Arrays.copyOf(latencies, size * 2);
        ends = Arrays.copyOf(ends, size * 2);
      }
      ends[size] = end;
      latencies[size++] = nanos;
    }

    synchronized int finishedBy(long time) {
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (ends[i] <= time) {
          n++;
        }
      }
      return n;
    }

    synchronized long[] latencies() {
      return Arrays.copyOf(latencies, size);
    }
  }

  /**
   * The first mail after a quiet spell against a warm one, one thread, one connection: the quiet
   * spell is real time (the transport's keep-alive runs on its own timer).
   */
  private static void quietMinute(PrintStream out, String mode, SmtpEndpoint endpoint, int rtt, Duration quiet,
      List<EmailMessage> mails) throws InterruptedException {
    for (String name : List.of(Contenders.MAILVERIFY)) {
      MailTransport transport = Contenders.named(name).open(endpoint, 1);
      try {
        long cold = time(transport, mails.get(0));
        long[] warm = new long[7];
        for (int i = 0; i < warm.length; i++) {
          warm[i] = time(transport, mails.get(i + 1));
        }
        Arrays.sort(warm);
        Thread.sleep(quiet.toMillis());
        long afterQuiet = time(transport, mails.get(10));
        double w = warm[warm.length / 2] / 1e6;
        out.printf(Locale.ROOT, "%s +%d ms, %-16s first mail on a new connection %7.1f ms; warm mail (median of %d)"
                + " %6.1f ms; first mail after %d s quiet %7.1f ms = %.2fx warm%n", mode, rtt, name, cold / 1e6,
            warm.length, w, quiet.toSeconds(), afterQuiet / 1e6, afterQuiet / 1e6 / w);
      } finally {
        transport.close();
      }
    }
  }

  private static long time(MailTransport transport, EmailMessage mail) {
    long t0 = System.nanoTime();
    transport.send(mail);
    return System.nanoTime() - t0;
  }

  /** Medians over the rounds with min-max, and ratios to the baselines of the same cell. */
  static void summary(PrintStream out, List<Cell> cells, Map<String, Double> pings) {
    Map<String, List<Cell>> byCell = new LinkedHashMap<>();
    for (Cell c : cells) {
      byCell.computeIfAbsent(c.rtt + "|" + c.mode + "|" + c.connections + "|" + c.contender, k -> new ArrayList<>())
          .add(c);
    }
    Map<String, Double> median = new LinkedHashMap<>();
    byCell.forEach((k, cs) -> median.put(k, medianOf(cs.stream().mapToDouble(Cell::perSecond).toArray())));
    out.println();
    out.println("| +RTT ms (NOOP ms) | mode | conns | contender | mails/s median (min-max) | round trips per mail"
        + " | x vertx-mail | x jakarta-reused | p50 ms | p99 ms |");
    out.println("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    byCell.forEach((k, cs) -> {
      Cell first = cs.get(0);
      double[] rates = cs.stream().mapToDouble(Cell::perSecond).sorted().toArray();
      double m = medianOf(rates);
      String prefix = first.rtt + "|" + first.mode + "|" + first.connections + "|";
      Double vertx = median.get(prefix + VertxMail.NAME);
      Double jakarta = median.get(prefix + JakartaSharedConnections.NAME);
      double ping = pings.getOrDefault(first.rtt + "|" + first.mode, Double.NaN);
      String trips = first.rtt == 0 ? "-" : String.format(Locale.ROOT, "%.1f", first.connections / m / (ping / 1e3));
      Cell mid = cs.stream().sorted((a, b) -> Double.compare(a.perSecond, b.perSecond)).toList().get(cs.size() / 2);
      out.printf(Locale.ROOT, "| %d (%.1f) | %s | %d | %s | %.1f%s | %s | %s | %s | %.1f | %.1f |%n", first.rtt, ping,
          first.mode, first.connections, first.contender, m,
          rates.length > 1 ? String.format(Locale.ROOT, " (%.1f-%.1f)", rates[0], rates[rates.length - 1]) : "",
          trips, ratio(m, vertx), ratio(m, jakarta), mid.p50Millis, mid.p99Millis);
    });
    out.println();
    out.println("Targets (issue 22), at +50 ms on one connection: mailverify-smtp >= 2.5x vertx-mail and >= 3.5x"
        + " jakarta-reused.");
    median.forEach((k, m) -> {
      String[] p = k.split("\\|");
      if (p[0].equals("50") && p[2].equals("1") && p[3].equals(Contenders.MAILVERIFY)) {
        String prefix = "50|" + p[1] + "|1|";
        out.printf(Locale.ROOT, "  %s: %s x vertx-mail (target 2.5), %s x jakarta-reused (target 3.5)%n", p[1],
            ratio(m, median.get(prefix + VertxMail.NAME)), ratio(m, median.get(prefix + JakartaSharedConnections.NAME)));
      }
    });
  }

  private static double medianOf(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  private static String ratio(double value, @Nullable Double base) {
    return base == null || base == 0 ? "-" : String.format(Locale.ROOT, "%.2f", value / base);
  }

  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static InetSocketAddress address(SmtpEndpoint e) {
    return new InetSocketAddress(e.host(), e.port());
  }

  private static SmtpEndpoint through(SmtpEndpoint sink, DelayProxy proxy) {
    return new SmtpEndpoint(sink.host(), proxy.port(), sink.security(), sink.trustStore());
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void writeCsv(Path file, List<Cell> cells) throws IOException {
    StringBuilder sb = new StringBuilder();
    if (!Files.exists(file)) {
      sb.append("contender,mode,rtt_ms,connections,threads,mails,failures,mails_per_s,p50_ms,p99_ms\n");
    }
    for (Cell c : cells) {
      sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%.2f,%.2f,%.2f%n", c.contender, c.mode, c.rtt,
          c.connections, c.threads, c.mails, c.failures, c.perSecond, c.p50Millis, c.p99Millis));
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
