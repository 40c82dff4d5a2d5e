package dev.mailverify.bench.latency;

import dev.mailverify.bench.BenchPolicy;
import dev.mailverify.bench.BenchServices;
import dev.mailverify.bench.CommandLine;
import dev.mailverify.bench.smtp.Contenders;
import dev.mailverify.bench.smtp.SmtpEndpoint;
import dev.mailverify.bench.template.RendererCandidates;
import dev.mailverify.core.DeliveryReceipt;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.transport.AsyncMailTransport;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sendVerificationCode} latency with the SMTP transport behind a slow server, synchronous
 * against asynchronous in one run, plus the asynchronous queue's memory per waiting mail.
 *
 * <p>The server is {@link SlowSmtpSink}, a loopback sink that waits {@code --delay-ms} (default
 * 200) before every reply. The synchronous path sends {@code --sync-requests} mails through
 * mailverify's SMTP transport; the asynchronous path puts {@link AsyncMailTransport} with
 * {@code --workers} workers in front of the same transport and sends {@code --requests} mails at
 * {@code --rate} per second (open loop, each timed from when it was due), a rate the workers keep
 * up with. Both report p50, p99, p99.9 and the maximum; the asynchronous run also reports how many
 * mails the sink received and how long close() took to drain.
 *
 * <pre>
 * java -cp verification-benchmarks/target/benchmarks.jar dev.mailverify.bench.latency.AsyncSendLatency
 *     [--delay-ms 200] [--sync-requests 20] [--requests 3000] [--warmup 500] [--rate 50] [--workers 64]
 *     [--queued 100000]
 * </pre>
 */
public final class AsyncSendLatency {
  private static final Set<String> OPTIONS = Set.of("delay-ms", "sync-requests", "requests", "warmup", "rate",
      "workers", "queued");

  private AsyncSendLatency() {}

  /**
   * Runs both paths and the memory measurement.
   *
   * @param args see the class comment
   * @throws Exception if the run cannot start
   */
  public static void main(String[] args) throws Exception {
    CommandLine cl = CommandLine.parse(args, OPTIONS);
    int delay = cl.integer("delay-ms", 200);
    int syncRequests = cl.integer("sync-requests", 20);
    int requests = cl.integer("requests", 3_000);
    int warmup = cl.integer("warmup", 500);
    int rate = cl.integer("rate", 50);
    int workers = cl.integer("workers", 64);
    int queued = cl.integer("queued", 100_000);
    System.out.printf(Locale.ROOT, "JVM %s %s on %d CPUs; sink answers every SMTP command after %d ms%n",
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        Runtime.getRuntime().availableProcessors(), delay);

    try (SlowSmtpSink sink = new SlowSmtpSink(delay)) {
      SmtpEndpoint endpoint = SmtpEndpoint.plain("127.0.0.1", sink.port());

      MailTransport smtp = Contenders.named(Contenders.MAILVERIFY).open(endpoint, 1);
      VerificationCodeService syncService = service(smtp, null);
      System.out.printf(Locale.ROOT, "%nsynchronous: SmtpTransport, 1 caller, closed loop, %d requests%n",
          syncRequests);
      SendLatency.Report sync = SendLatency.measure(syncService, smtp, 1, syncRequests, 2, 0, null);
      SendLatency.print(sync);

      long before = sink.messages();
      MailTransport pooled = Contenders.named(Contenders.MAILVERIFY).open(endpoint, workers);
      AsyncMailTransport async = MailTransport.async(pooled).workers(workers).capacity(10_000).build();
      AtomicLong delivered = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      VerificationCodeService asyncService = service(async, e -> {
        if (e.action() == VerificationEvent.Action.DELIVER) {
          (e.outcome() == VerificationEvent.Outcome.DELIVERED ? delivered : failed).incrementAndGet();
        }
      });
      System.out.printf(Locale.ROOT, "%nasynchronous: AsyncMailTransport(%d workers) over SmtpTransport(pool %d),"
          + " open loop at %d/s, %d requests after %d warm-up%n", workers, workers, rate, requests, warmup);
      SendLatency.Report report = SendLatency.measure(asyncService, async, 1, requests, warmup, rate, null);
      SendLatency.print(report);
      System.out.printf(Locale.ROOT, "final outcomes reported: %d DELIVERED, %d DELIVERY_FAILED; sink received %d%n",
          delivered.get(), failed.get(), sink.messages() - before);
    }

    memoryPerWaitingMail(queued);
  }

  private static VerificationCodeService service(MailTransport transport,
      dev.mailverify.core.@org.jspecify.annotations.Nullable VerificationListener listener) {
    VerificationPolicy policy = BenchPolicy.named("relaxed");
    VerificationCodeService.Builder b = VerificationCodeService.builder().transport(transport)
        .store(CodeStore.inMemory()).secret(BenchServices.secret()).defaultPolicy(policy)
        .perAddressTotalQuota(policy.perAddressQuota()).renderer(RendererCandidates.named("realistic-html"))
        .from(BenchServices.FROM).appName(BenchServices.APP_NAME);
    if (listener != null) {
      b.listener(listener);
    }
    return b.build();
  }

  /** Heap per waiting mail: the queue's own bookkeeping, and a rendered message for scale. */
  private static void memoryPerWaitingMail(int n) throws Exception {
    System.out.printf(Locale.ROOT, "%nqueue memory, %,d waiting mails (one worker held on a latch)%n", n);
    EmailMessage shared = EmailMessage.builder(EmailAddress.parse("user@example.com")).subject("Your code")
        .text("Your code is 123456").code("123456").build();
    CountDownLatch gate = new CountDownLatch(1);
    AsyncMailTransport queue = MailTransport.async(message -> {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).workers(1).capacity(n + 1).drainTimeout(java.time.Duration.ZERO).build();
    List<CompletionStage<DeliveryReceipt>> stages = new ArrayList<>(n);
    long base = usedHeap();
    for (int i = 0; i < n; i++) {
      stages.add(queue.sendAsync(shared));
    }
    long used = usedHeap() - base;
    System.out.printf(Locale.ROOT, "  queue bookkeeping (job, future, queue node, set entry): %.0f bytes per waiting"
        + " mail; %d queued%n", (double) used / n, queue.queuedCount());
    gate.countDown();
    queue.close();
    stages.clear();

    int m = Math.min(n, 20_000);
    List<EmailMessage> messages = new ArrayList<>(m);
    long before = usedHeap();
    for (int i = 0; i < m; i++) {
      messages.add(realisticMessage(i));
    }
    long msg = usedHeap() - before;
    System.out.printf(Locale.ROOT, "  the waiting message itself (realistic-html, zh-CN, rendered): %.0f bytes per"
        + " mail (%d messages)%n", (double) msg / m, messages.size());
  }

  private static EmailMessage realisticMessage(int i) {
    var mail = RendererCandidates.named("realistic-html").render(dev.mailverify.core.spi.TemplateContext.builder(
        dev.mailverify.core.VerificationType.REGISTER, String.format(Locale.ROOT, "%06d", i % 1_000_000),
        EmailAddress.parse("u" + i + "@example.com")).locale(Locale.SIMPLIFIED_CHINESE).build());
    return EmailMessage.builder(EmailAddress.parse("u" + i + "@example.com")).subject(mail.subject())
        .text(mail.text()).html(mail.html()).code(String.valueOf(i)).build();
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.onSpinWait();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
