package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryReceipt;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
 *     .capacity(1_000)          // mails waiting at most; one more is refused with QUEUE_FULL
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
 * sent, or {@code CLOSED} for a mail that {@link #close()} could not send within its drain bound.
 * The verification service turns each into a {@code DELIVER} event for its listeners and audit
 * log. What the queue holds lives in memory: if the process dies, queued mails are lost with it
 * (their codes stay pending; the user can ask again after the cooldown).
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
    for (int i = 0; i < workers; i++) {
      if (executor != null) {
        executor.execute(this::workLoop);
      } else {
        DEFAULT_THREADS.newThread(this::workLoop).start();
      }
    }
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

    Job(EmailMessage message, Instant queuedAt) {
      this.message = message;
      this.queuedAt = queuedAt;
    }
  }

  /**
   * Queues the message and returns at once. The stage fails at once with {@code QUEUE_FULL} when
   * the queue holds {@link Builder#capacity(int) capacity} mails, or {@code CLOSED} after
   * {@link #close()}.
   *
   * @param message the message; not null
   * @return the stage of the final outcome
   */
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

  @Override
  public CompletionStage<DeliveryReceipt> sendAsync(EmailMessage message) {
    Objects.requireNonNull(message, "message");
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
    return pending.get();
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
    try {
      delegate.send(job.message);
      finish(job, new DeliveryReceipt(job.attempts), null);
      return;
    } catch (DeliveryException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new DeliveryException(DeliveryException.Category.UNKNOWN,
          "transport " + delegate.getClass().getSimpleName() + " failed: " + e.getClass().getName(), e);
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
    boolean first = receipt != null ? job.result.complete(receipt) : job.result.completeExceptionally(failure);
    if (!first) {
      return;
    }
    outstanding.remove(job);
    if (pending.decrementAndGet() == 0 && closed) {
      lock.lock();
      try {
        drained.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private static DeliveryException closedFailure(Job job) {
    return DeliveryException.builder(DeliveryException.Category.CLOSED,
            "the transport closed before this mail was sent" + (job.attempts > 0 ? " (it may be in flight)" : ""))
        .attempts(job.attempts).build();
  }

  /**
   * Stops intake, waits up to the drain timeout for queued mails (and their retries) to finish,
   * then fails every mail still without an outcome with {@code CLOSED} (each reaches the
   * service's listeners and audit log as a failed {@code DELIVER} event), logs how many there
   * were, stops the workers and closes the delegate. Never throws; calling it again does nothing.
   */
  @Override
  public void close() {
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
    try {
      delegate.close();
    } catch (RuntimeException e) {
      LOG.warn("closing {} failed", delegate, e);
    }
  }

  @Override
  public String toString() {
    return "AsyncMailTransport[delegate=" + delegate + ", capacity=" + capacity + ", workers=" + workers
        + ", queued=" + pending.get() + ", retry=" + retry + (closed ? ", closed" : "") + "]";
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

    private Builder(MailTransport delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      if (delegate instanceof AsyncMailTransport) {
        throw new IllegalArgumentException("delegate must not be an AsyncMailTransport: it is already asynchronous");
      }
    }

    /**
     * Sets how many mails may wait (queued, being sent or waiting for a retry) at once (default
     * 1000). One more is refused at once with {@code QUEUE_FULL}.
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
     * Builds the transport and starts its workers.
     *
     * @return the transport
     */
    public AsyncMailTransport build() {
      return new AsyncMailTransport(this);
    }
  }
}
