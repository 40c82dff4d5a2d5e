package dev.mailverify.bench.smtp;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Sends a batch of mails through one transport from a fixed number of threads and measures it:
 * wall time from the first send to the transport's {@code close()} (so a queueing transport is
 * timed until it has handed every mail over), CPU time of the sending threads, of the whole
 * client process and of the server processes, and each send's latency as the caller sees it.
 */
final class ThroughputRun {

  /** What one run measured. */
  record Result(String contender, String mode, int concurrency, int messages, int failures,
      String firstFailure, long wallNanos, long workerCpuNanos, long processCpuNanos, long serverCpuNanos,
      long machineBusyNanos, long p50Nanos, long p99Nanos) {

    double perSecond() {
      return messages * 1e9 / wallNanos;
    }

    double workerCpuMicrosPerMail() {
      return workerCpuNanos / 1e3 / messages;
    }

    double processCpuMicrosPerMail() {
      return processCpuNanos / 1e3 / messages;
    }

    double serverCpuMicrosPerMail() {
      return serverCpuNanos / 1e3 / messages;
    }

    /** Average number of the machine's CPUs busy during the run, all processes. */
    double machineCoresBusy() {
      return (double) machineBusyNanos / wallNanos;
    }
  }

  private ThroughputRun() {}

  /**
   * Opens the contender's transport, warms it up with {@code warmup} sends (not measured), then
   * measures sending {@code mails} and closing the transport.
   */
  static Result run(Contender contender, SmtpEndpoint endpoint, int concurrency, List<EmailMessage> mails,
      int warmup, List<Long> serverPids) throws InterruptedException {
    MailTransport transport = contender.open(endpoint, concurrency);
    boolean closed = false;
    try {
      if (warmup > 0) {
        Batch w = new Batch(transport, mails, warmup, concurrency);
        w.run();
        if (w.failures.get() > 0) {
          throw new IllegalStateException(contender.name() + " failed " + w.failures.get() + " of " + warmup
              + " warm-up sends; first: " + w.firstFailure.get());
        }
      }
      Batch b = new Batch(transport, mails, mails.size(), concurrency);
      CpuSnapshot before = CpuSnapshot.take(serverPids);
      b.run();
      closed = true;
      transport.close();
      CpuSnapshot after = CpuSnapshot.take(serverPids);
      long[] sorted = b.latencies.clone();
      Arrays.sort(sorted);
      Throwable first = b.firstFailure.get();
      return new Result(contender.name(), endpoint.label(), concurrency, mails.size(), b.failures.get(),
          first == null ? "" : String.valueOf(first), after.wallNanos() - before.wallNanos(), b.workerCpu.get(),
          after.processCpuNanos() - before.processCpuNanos(), after.serverCpuNanos() - before.serverCpuNanos(),
          after.machineBusyNanos() - before.machineBusyNanos(), percentile(sorted, 0.50), percentile(sorted, 0.99));
    } finally {
      if (!closed) {
        transport.close();
      }
    }
  }

  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** {@code count} sends shared by {@code threads} threads, mails taken round robin. */
  private static final class Batch {
    final MailTransport transport;
    final List<EmailMessage> mails;
    final int count;
    final int threads;
    final long[] latencies;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();
    final AtomicLong workerCpu = new AtomicLong();

    Batch(MailTransport transport, List<EmailMessage> mails, int count, int threads) {
      this.transport = transport;
      this.mails = mails;
      this.count = count;
      this.threads = threads;
      this.latencies = new long[count];
    }

    void run() throws InterruptedException {
      ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
      CountDownLatch done = new CountDownLatch(threads);
      Thread[] workers = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        workers[t] = new Thread(() -> {
          try {
            long cpu0 = cpu.getCurrentThreadCpuTime();
            int i;
            while ((i = next.getAndIncrement()) < count) {
              long t0 = System.nanoTime();
              try {
                transport.send(mails.get(i % mails.size()));
              } catch (RuntimeException e) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, e);
              }
              latencies[i] = System.nanoTime() - t0;
            }
            workerCpu.addAndGet(cpu.getCurrentThreadCpuTime() - cpu0);
          } finally {
            done.countDown();
          }
        }, "sender-" + t);
      }
      for (Thread w : workers) {
        w.start();
      }
      done.await();
    }
  }
}
