package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryReceipt;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.DeliveryContext;
import dev.mailverify.core.spi.DeliveryOutcome;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.MailOutbox;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends mail in the background so that {@code sendVerificationCode} returns once the mail is
 * queued (C27): a bounded queue, a fixed number of workers, retries of transient failures with
 * exponential back-off and jitter (C25), and a bounded drain on {@link #close()}.
 *
 * <pre>{@code
 * AsyncMailTransport transport = MailTransport.async(smtp)
 *     .capacity(1_000)          // mails without an outcome (waiting, on the wire, or between retries)
 *     .workers(4)               // concurrent sends to the delegate (connections to the server)
 *     .retry(RetryPolicy.defaults())
 *     .drainTimeout(Duration.ofSeconds(10))
 *     .build();
 * VerificationCodeService service = VerificationCodeService.builder().transport(transport).build();
 * }</pre>
 *
 * <p><b>Never silently lost.</b> {@link #sendAsync} answers a stage that completes exactly once:
 * with a {@link DeliveryReceipt}, or with a {@link DeliveryException}: the delegate's last
 * failure (after retries, with {@link DeliveryException#attempts()}), {@code QUEUE_FULL} at once
 * when {@link Builder#capacity(int) capacity} mails are already waiting (nothing blocks),
 * {@code EXPIRED} when the message's {@link EmailMessage#notAfter()} passed before it could be
 * sent, {@code CLOSED} for a waiting mail that {@link #close()} could not send within its drain
 * bound, or {@code OUTCOME_UNKNOWN} for a mail that was on the wire when the bound ran out (it may
 * still arrive, so the service keeps its code valid, C27). The verification service turns each into
 * a {@code DELIVER} event for its listeners and audit log.
 *
 * <p><b>Crashes (C31).</b> Without an {@linkplain Builder#outbox(MailOutbox, byte[], byte[]...)
 * outbox}, what the queue holds lives in memory: if the process dies, queued mails are lost with it (their codes stay
 * pending; the user can ask again after the cooldown). With a durable outbox (Redis Streams or an
 * SQL table, on the store the application already runs), {@link #sendAsync} answers once the mail is
 * stored (one store round trip), any instance sharing the outbox sends it, and a mail whose instance
 * died is taken over by another once its {@linkplain Builder#lease(Duration) lease} runs out:
 * delivered at least once with the same bytes and Message-ID, never after its code's expiry, or
 * reported as failed. The instance that finishes a mail reports it: to the stage returned here if it
 * accepted the mail, otherwise to the service through {@link #adoptOutcomes}. The outbox never
 * sees a mail in clear: each is sealed (AES-256-GCM) under a key derived from the secret given with
 * the outbox, so a dump of it holds no code or link (C14).
 *
 * <pre>{@code
 * AsyncMailTransport transport = MailTransport.async(smtp)
 *     .outbox(JdbcMailOutbox.builder(dataSource).build(), secret) // or RedisMailOutbox; the service's secret
 *     .lease(Duration.ofMinutes(2))                               // longer than any one send takes
 *     .build();
 * }</pre>
 *
 * <p><b>Threads.</b> Without an {@link Builder#executor(Executor) executor}, each worker is a
 * virtual thread on Java 21 and later and a platform daemon thread on Java 17. Retries wait on a
 * {@link DelayScheduler}, not on a worker. Retries are the mail's own: the same
 * {@link EmailMessage} (same code, bytes and Message-ID) goes to the delegate each time.
 *
 * <p>Thread-safe. {@link #send} enqueues and waits for the final outcome.
 */
public final class AsyncMailTransport implements MailTransport {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncMailTransport.class);
  private static final ThreadFactory DEFAULT_THREADS = defaultThreadFactory();

  private final MailTransport delegate;
  private final int capacity;
  private final int workers;
  private final Duration drainTimeout;
  private final RetryPolicy retry;
  private final Clock clock;
  private final DoubleSupplier jitterSource;
  private final DelayScheduler scheduler;
  private final @Nullable ScheduledThreadPoolExecutor ownScheduler;
  private final @Nullable OutboxDriver durable;

  private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private final Set<Job> outstanding = ConcurrentHashMap.newKeySet();
  private final Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
  private final AtomicInteger pending = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition drained = lock.newCondition();
  private volatile boolean closed;
  private volatile boolean stopped;

  private AsyncMailTransport(Builder b) {
    this.delegate = b.delegate;
    this.capacity = b.capacity;
    this.workers = b.workers;
    this.drainTimeout = b.drainTimeout;
    this.retry = b.retry;
    this.clock = b.clock;
    this.jitterSource = b.jitterSource;
    if (b.scheduler != null) {
      this.scheduler = b.scheduler;
      this.ownScheduler = null;
    } else {
      ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "mailverify-retry");
        t.setDaemon(true);
        return t;
      });
      s.setRemoveOnCancelPolicy(true);
      this.ownScheduler = s;
      this.scheduler = (delay, task) -> s.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
    Executor executor = b.executor;
    Consumer<Runnable> start = executor != null ? executor::execute : r -> DEFAULT_THREADS.newThread(r).start();
    if (b.outbox != null) {
      durable = new OutboxDriver(b.outbox, Objects.requireNonNull(b.seal), delegate, retry, clock, jitterSource,
          scheduler, capacity, workers, b.lease, b.pollInterval,
          b.instanceId != null ? b.instanceId : defaultInstanceId());
      durable.start(workers, start);
      return;
    }
    durable = null;
    for (int i = 0; i < workers; i++) {
      start.accept(this::workLoop);
    }
  }

  /** host/pid/random: unique per transport, readable in the store when looking at leases. */
  private static String defaultInstanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | RuntimeException e) {
      host = "host";
    }
    host = host.replaceAll("[^A-Za-z0-9._-]", "");
    if (host.length() > 60) {
      host = host.substring(0, 60);
    }
    return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Starts a builder.
   *
   * @param delegate the transport that really sends; not null; closed by {@link #close()}
   * @return a new builder
   */
  public static Builder builder(MailTransport delegate) {
    return new Builder(delegate);
  }

  /** One accepted mail until its stage completes. */
  private static final class Job {
    final EmailMessage message;
    final Instant queuedAt;
    final CompletableFuture<DeliveryReceipt> result = new CompletableFuture<>();
    volatile int attempts; // written by one thread at a time: a worker, then the scheduler hands over
    volatile boolean onWire; // handed to the delegate, outcome not known yet

    Job(EmailMessage message, Instant queuedAt) {
      this.message = message;
      this.queuedAt = queuedAt;
    }
  }

  /**
   * Returns {@code true}: every accepted mail waits in the queue (C27).
   *
   * @return {@code true}
   */
  @Override
  public boolean queues() {
    return true;
  }

  /** Returns the delegate's default sender. */
  @Override
  public java.util.Optional<dev.mailverify.core.Mailbox> defaultSender() {
    return delegate.defaultSender();
  }

  /**
   * Queues the message and returns at once. The stage fails at once with {@code QUEUE_FULL} when
   * the queue holds {@link Builder#capacity(int) capacity} mails, or {@code CLOSED} after
   * {@link #close()}.
   *
   * @param message the message; not null
   * @return the stage of the final outcome
   */
  @Override
  public CompletionStage<DeliveryReceipt> sendAsync(EmailMessage message) {
    Objects.requireNonNull(message, "message");
    return sendAsync(message, DeliveryContext.of(clock.instant()));
  }

  /**
   * Queues the message with what the sender knows about it and returns at once; with a durable
   * {@linkplain Builder#outbox(MailOutbox, byte[], byte[]...) outbox} it returns once the outbox
   * stored it (one store round trip), and fails at once with {@code STORE_UNAVAILABLE} if the store did not answer
   * (nothing was queued). Otherwise as {@link #sendAsync(EmailMessage)}.
   *
   * @param message the message; not null
   * @param context the code the mail carries and when it was queued; not null
   * @return the stage of the final outcome
   */
  @Override
  public CompletionStage<DeliveryReceipt> sendAsync(EmailMessage message, DeliveryContext context) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(context, "context");
    if (durable != null) {
      return durable.submit(message, context);
    }
    if (closed) {
      return CompletableFuture.failedFuture(DeliveryException.builder(DeliveryException.Category.CLOSED,
          "the asynchronous transport is closed").attempts(0).build());
    }
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      return CompletableFuture.failedFuture(DeliveryException.builder(DeliveryException.Category.QUEUE_FULL,
          "the send queue is full (" + capacity + " mails)").attempts(0).build());
    }
    Job job = new Job(message, clock.instant());
    outstanding.add(job);
    queue.add(job);
    if (closed && stopped) {
      finish(job, null, closedFailure(job));
    }
    return job.result;
  }

  /**
   * Queues the message and waits for its final outcome.
   *
   * @param message the message; not null
   * @throws DeliveryException the final failure, including {@code QUEUE_FULL} and {@code CLOSED}
   */
  @Override
  public void send(EmailMessage message) {
    try {
      sendAsync(message).toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof DeliveryException d) {
        throw d;
      }
      throw e;
    }
  }

  /**
   * Returns how many accepted mails have no final outcome yet: waiting in the queue, being sent,
   * or waiting for a retry. For metrics (queue depth).
   *
   * @return 0 to capacity
   */
  public int queuedCount() {
    return durable != null ? durable.pending() : pending.get();
  }

  /**
   * Sets who hears the outcomes of mails this transport finishes for another instance (taken over
   * from the durable outbox). Without an outbox there are none and the handler is never called.
   * Outcomes that arrive before a handler is set are kept (up to 10,000) and handed over when it is.
   *
   * @param handler the handler; not null
   */
  @Override
  public void adoptOutcomes(Consumer<DeliveryOutcome> handler) {
    Objects.requireNonNull(handler, "handler");
    if (durable != null) {
      durable.adoptOutcomes(handler);
    }
  }

  /**
   * Returns the most mails that may wait at once.
   *
   * @return the capacity
   */
  public int capacity() {
    return capacity;
  }

  private void workLoop() {
    Thread self = Thread.currentThread();
    workerThreads.add(self);
    try {
      while (!stopped) {
        Job job;
        try {
          job = queue.take();
        } catch (InterruptedException e) {
          break;
        }
        attempt(job);
      }
    } finally {
      workerThreads.remove(self);
    }
  }

  private void attempt(Job job) {
    if (job.result.isDone()) {
      return;
    }
    Instant notAfter = job.message.notAfter();
    if (notAfter != null && !clock.instant().isBefore(notAfter)) {
      finish(job, null, DeliveryException.builder(DeliveryException.Category.EXPIRED,
          "the code expired before its mail could be sent").attempts(job.attempts).build());
      return;
    }
    job.attempts++;
    DeliveryException failure;
    job.onWire = true;
    try {
      delegate.send(job.message);
      job.onWire = false;
      finish(job, new DeliveryReceipt(job.attempts), null);
      return;
    } catch (DeliveryException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new DeliveryException(DeliveryException.Category.UNKNOWN,
          "transport " + delegate.getClass().getSimpleName() + " failed: " + e.getClass().getName(), e);
    } finally {
      job.onWire = false;
    }
    if (failure.isTransient() && job.attempts <= retry.maxRetries() && !stopped) {
      Duration wait = retry.backoff(job.attempts, jitterSource.getAsDouble());
      if (notAfter == null || clock.instant().plus(wait).isBefore(notAfter)) {
        LOG.debug("send to {} failed ({}, attempt {}), retrying in {}", job.message.to().masked(),
            failure.category(), job.attempts, wait);
        try {
          scheduler.schedule(wait, () -> requeue(job));
          return;
        } catch (RuntimeException e) { // a scheduler shut down or refusing: report the failure, not lose it
          failure.addSuppressed(e);
        }
      }
    }
    finish(job, null, failure.afterAttempts(job.attempts));
  }

  private void requeue(Job job) {
    if (stopped) {
      finish(job, null, closedFailure(job));
    } else {
      queue.add(job);
    }
  }

  private void finish(Job job, @Nullable DeliveryReceipt receipt, @Nullable DeliveryException failure) {
    if (!outstanding.remove(job)) {
      return; // finished already (a worker and close() may both try)
    }
    // the mail leaves the queue before anyone learns its outcome: a listener that sends again when
    // it hears DELIVERED finds the place free
    int left = pending.decrementAndGet();
    if (receipt != null) {
      job.result.complete(receipt);
    } else {
      job.result.completeExceptionally(Objects.requireNonNull(failure, "failure"));
    }
    if (left == 0 && closed) {
      lock.lock();
      try {
        drained.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private static DeliveryException closedFailure(Job job) {
    if (job.onWire) { // C27: the server may still accept it; its code must stay valid
      return DeliveryException.builder(DeliveryException.Category.OUTCOME_UNKNOWN,
          "the transport closed while this mail was on the wire; it may still arrive").attempts(job.attempts).build();
    }
    return DeliveryException.builder(DeliveryException.Category.CLOSED,
            "the transport closed before this mail was sent").attempts(job.attempts).build();
  }

  /**
   * Stops intake, waits up to the drain timeout for queued mails (and their retries) to finish,
   * then fails every mail still without an outcome with {@code CLOSED} (each reaches the
   * service's listeners and audit log as a failed {@code DELIVER} event), logs how many there
   * were, stops the workers and closes the delegate. Never throws; calling it again does nothing.
   */
  @Override
  public void close() {
    if (durable != null) {
      if (!closed) {
        closed = true;
        durable.close(drainTimeout);
        stopped = true;
        if (ownScheduler != null) {
          ownScheduler.shutdownNow();
        }
        closeDelegate();
      }
      return;
    }
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      long left = drainTimeout.toNanos();
      while (pending.get() > 0 && left > 0) {
        try {
          left = drained.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    } finally {
      lock.unlock();
    }
    stopped = true;
    List<Job> unsent = new ArrayList<>(outstanding);
    for (Job job : unsent) {
      finish(job, null, closedFailure(job));
    }
    if (!unsent.isEmpty()) {
      LOG.warn("closed with {} mail(s) not sent within the drain timeout of {}; each is reported as failed"
          + " (CLOSED) to the verification listeners", unsent.size(), drainTimeout);
    }
    queue.clear();
    for (Thread t : workerThreads) {
      t.interrupt();
    }
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
    }
    closeDelegate();
  }

  private void closeDelegate() {
    try {
      delegate.close();
    } catch (RuntimeException e) {
      LOG.warn("closing {} failed", delegate, e);
    }
  }

  @Override
  public String toString() {
    return "AsyncMailTransport[delegate=" + delegate + ", capacity=" + capacity + ", workers=" + workers
        + ", queued=" + queuedCount() + ", retry=" + retry + (durable != null ? ", " + durable : "")
        + (closed ? ", closed" : "") + "]";
  }

  /** Virtual threads where the JDK has them (21+), found by reflection since core targets 17. */
  private static ThreadFactory defaultThreadFactory() {
    try {
      Method ofVirtual = Thread.class.getMethod("ofVirtual");
      Object builder = ofVirtual.invoke(null);
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      builder = builderType.getMethod("name", String.class, long.class).invoke(builder, "mailverify-send-", 1L);
      return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException | RuntimeException e) {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, "mailverify-send-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }
  }

  /**
   * Builds an {@link AsyncMailTransport}. Each setter checks its argument at once and may be
   * called again; the last call wins.
   */
  public static final class Builder {
    private final MailTransport delegate;
    private int capacity = 1_000;
    private int workers = 4;
    private @Nullable Executor executor;
    private Duration drainTimeout = Duration.ofSeconds(10);
    private RetryPolicy retry = RetryPolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private DoubleSupplier jitterSource = () -> ThreadLocalRandom.current().nextDouble();
    private @Nullable DelayScheduler scheduler;
    private @Nullable MailOutbox outbox;
    private @Nullable OutboxSeal seal;
    private Duration lease = Duration.ofMinutes(2);
    private Duration pollInterval = Duration.ofSeconds(1);
    private @Nullable String instanceId;

    private Builder(MailTransport delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      if (delegate instanceof AsyncMailTransport) {
        throw new IllegalArgumentException("delegate must not be an AsyncMailTransport: it is already asynchronous");
      }
    }

    /**
     * Sets how many mails may be without an outcome at once (default 1000): waiting in the queue,
     * on the wire to the delegate, or waiting for a retry. One more is refused at once with
     * {@code QUEUE_FULL}. With a durable {@link #outbox(MailOutbox, byte[], byte[]...) outbox} it
     * counts the mails this instance accepted and waits for; the outbox has its own bound on what it stores.
     *
     * @param value 1-1,000,000
     * @return this builder
     */
    public Builder capacity(int value) {
      if (value < 1 || value > 1_000_000) {
        throw new IllegalArgumentException("capacity must be 1-1000000, was " + value);
      }
      capacity = value;
      return this;
    }

    /**
     * Sets how many mails are handed to the delegate at once (default 4). Keep it at or below the
     * concurrent connections the mail provider allows.
     *
     * @param value 1-256
     * @return this builder
     */
    public Builder workers(int value) {
      if (value < 1 || value > 256) {
        throw new IllegalArgumentException("workers must be 1-256, was " + value);
      }
      workers = value;
      return this;
    }

    /**
     * Runs the workers on the application's executor instead of the transport's own threads. Each
     * worker is one long-running task that ends on {@link AsyncMailTransport#close()}, so the
     * executor must be able to run {@link #workers(int)} tasks at once. The transport does not
     * shut it down.
     *
     * @param value the executor; not null
     * @return this builder
     */
    public Builder executor(Executor value) {
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /**
     * Sets how long {@link AsyncMailTransport#close()} waits for waiting mails (default 10 s).
     *
     * @param value 0-10 minutes; not null
     * @return this builder
     */
    public Builder drainTimeout(Duration value) {
      Objects.requireNonNull(value, "drainTimeout");
      if (value.isNegative() || value.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("drainTimeout must be 0-10 minutes, was " + value);
      }
      drainTimeout = value;
      return this;
    }

    /**
     * Sets how transient failures are retried (default {@link RetryPolicy#defaults()}).
     *
     * @param value the policy, {@link RetryPolicy#none()} to never retry; not null
     * @return this builder
     */
    public Builder retry(RetryPolicy value) {
      retry = Objects.requireNonNull(value, "retry");
      return this;
    }

    /**
     * Sets the clock that dates the queue and checks a retry against the code's expiry.
     *
     * @param value the clock; not null
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets the source of the back-off jitter (default a thread-local random).
     *
     * @param value returns values in [0, 1); not null
     * @return this builder
     */
    public Builder jitterSource(DoubleSupplier value) {
      jitterSource = Objects.requireNonNull(value, "jitterSource");
      return this;
    }

    /**
     * Sets what waits out retry back-offs (default one daemon thread owned by the transport).
     *
     * @param value the scheduler; not null; not shut down by the transport
     * @return this builder
     */
    public Builder scheduler(DelayScheduler value) {
      scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /**
     * Makes the queue durable (C31): accepted mails are stored in {@code value} (Redis Streams, an
     * SQL table) instead of memory, every instance sharing it sends them, and a mail whose instance
     * died is sent by another after its {@link #lease(Duration) lease}. With an {@link #executor}
     * the transport runs one more task on it, the poller that claims entries.
     *
     * <p>Each mail is sealed before it reaches the outbox (AES-256-GCM, under a key derived from
     * {@code secret}), so the outbox holds no code or link in clear (C14). Pass the verification
     * service's secret: every instance sharing the outbox needs it, and after a rotation the
     * previous one too, for the mails sealed before it. An entry no secret here opens (sealed under
     * a secret this instance lacks) is left to its lease for an instance that can, and removed
     * unsent once its code has expired (a mail without an expiry stays), with an error in the log.
     *
     * @param value the outbox; not null; not closed by the transport (close it after the transport)
     * @param secret the secret new mails are sealed under, at least 32 bytes; not null
     * @param previous earlier secrets that still open mails sealed before a rotation, each at least
     *     32 bytes
     * @return this builder
     * @throws IllegalArgumentException if a secret is shorter than 32 bytes
     */
    public Builder outbox(MailOutbox value, byte[] secret, byte[]... previous) {
      Objects.requireNonNull(secret, "secret");
      Objects.requireNonNull(previous, "previous");
      List<byte[]> earlier = new ArrayList<>();
      for (byte[] p : previous) {
        earlier.add(Objects.requireNonNull(p, "previous secret").clone());
      }
      OutboxSeal checked = new OutboxSeal(secret.clone(), earlier); // validates the lengths now
      outbox = Objects.requireNonNull(value, "outbox");
      seal = checked;
      return this;
    }

    /**
     * Sets how long a claimed outbox entry stays with this instance without news from it (default 2
     * minutes): after it, another instance takes the entry over and sends it. Make it longer than the
     * longest single send (the delegate's timeouts), or a slow send may be repeated by another
     * instance; each retry renews it. Only used with an
     * {@link #outbox(MailOutbox, byte[], byte[]...) outbox}.
     *
     * @param value 1 second-1 hour; not null
     * @return this builder
     */
    public Builder lease(Duration value) {
      Objects.requireNonNull(value, "lease");
      if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("lease must be 1 second-1 hour, was " + value);
      }
      lease = value;
      return this;
    }

    /**
     * Sets how often an idle instance asks the outbox for due entries (default 1 second). A send on
     * this instance wakes its poller at once; the interval bounds how late a mail queued by another
     * instance, or left by a dead one, is picked up. Only used with an
     * {@link #outbox(MailOutbox, byte[], byte[]...) outbox}.
     *
     * @param value 10 ms-1 minute; not null
     * @return this builder
     */
    public Builder pollInterval(Duration value) {
      Objects.requireNonNull(value, "pollInterval");
      if (value.compareTo(Duration.ofMillis(10)) < 0 || value.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("pollInterval must be 10 ms-1 minute, was " + value);
      }
      pollInterval = value;
      return this;
    }

    /**
     * Names this instance in the outbox's leases (default host name, process ID and a random
     * suffix). Two live transports must never share a name.
     *
     * @param value 1-100 characters of A-Z, a-z, 0-9, '.', '_', '-', '/' and ':'; not null
     * @return this builder
     */
    public Builder instanceId(String value) {
      Objects.requireNonNull(value, "instanceId");
      if (!value.matches("[A-Za-z0-9._/:-]{1,100}")) {
        throw new IllegalArgumentException("instanceId must be 1-100 characters of A-Z, a-z, 0-9, '.', '_', '-', '/'"
            + " and ':'");
      }
      instanceId = value;
      return this;
    }

    /**
     * Builds the transport and starts its workers.
     *
     * @return the transport
     */
    public AsyncMailTransport build() {
      return new AsyncMailTransport(this);
    }
  }
}
