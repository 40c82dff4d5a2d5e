package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryReceipt;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.DeliveryContext;
import dev.mailverify.core.spi.DeliveryOutcome;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.core.spi.MailOutbox.Claim;
import dev.mailverify.core.spi.OutboxEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
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
 * The durable side of {@link AsyncMailTransport} (C31): accepted mails go to a {@link MailOutbox}
 * instead of a queue in memory; a poller claims due entries (this instance's and any other's),
 * workers send them with the same retry rules as the in-memory queue, and a final outcome completes
 * the entry in the store before it is reported.
 *
 * <p>Who hears an outcome: the stage returned by {@link #submit} when this instance accepted the
 * mail and still waits for it; otherwise the handler set with {@link #adoptOutcomes} (the
 * verification service). A mail that another instance finished (it claimed the entry first, or took
 * it over when this one stalled) is reported there, never here: this instance forgets its stage
 * after the code's expiry plus one lease, without completing it.
 */
final class OutboxDriver {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncMailTransport.class);
  /** Outcomes of adopted mails kept until the service sets its handler. */
  private static final int EARLY_OUTCOMES = 10_000;
  /** How long a stage is kept for a mail without an expiry before it is forgotten. */
  private static final Duration NO_EXPIRY_KEEP = Duration.ofHours(24);
  /** How often an idle worker looks whether the transport closed. */
  private static final long IDLE_CHECK_MILLIS = 100;
  /** How long close() waits for a claim in progress (bounded by the store's own timeout). */
  private static final long POLLER_STOP_SECONDS = 30;
  /** How often stages of mails finished elsewhere are looked for. */
  private static final long FORGET_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final MailOutbox outbox;
  private final OutboxSeal seal;
  private final MailTransport delegate;
  private final RetryPolicy retry;
  private final Clock clock;
  private final DoubleSupplier jitterSource;
  private final DelayScheduler scheduler;
  private final int capacity;
  private final int batch;
  private final Duration lease;
  private final long pollNanos;
  private final String owner;

  /** Stages of mails accepted here, by entry ID, until reported, lost to another instance or forgotten. */
  private final Map<String, Local> local = new ConcurrentHashMap<>();
  private final AtomicInteger pending = new AtomicInteger();
  /** Entry IDs whose stage close() completed while this instance still held the entry. */
  private final Set<String> abandoned = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<Work> ready = new LinkedBlockingQueue<>();
  private final Set<Work> held = ConcurrentHashMap.newKeySet();
  /** Final outcomes the store did not take yet (an outage): completed again by the poller. */
  private final Queue<Claim> unacknowledged = new ConcurrentLinkedQueue<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean wakeUp; // guarded by lock
  private final Object adoptLock = new Object();
  private @Nullable Consumer<DeliveryOutcome> adopted; // guarded by adoptLock
  private final List<DeliveryOutcome> early = new ArrayList<>(); // guarded by adoptLock
  private final CountDownLatch pollerDone = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile boolean stopped;
  private volatile boolean storeDown;
  /** Set while closing once a claim found nothing due and nothing was held. */
  private volatile boolean drainedDue;
  private long lastForget = System.nanoTime(); // poller thread only

  private record Local(CompletableFuture<DeliveryReceipt> stage, Instant forgetAt) {}

  /**
   * The claim with its entry opened, or null for an entry no secret here opens: it is left to its
   * lease for an instance that can open it, and removed once its expiry has passed (nobody may
   * send it then; a mail without an expiry stays), with an error in the log either way.
   */
  private @Nullable Claim opened(Claim c) {
    try {
      return new Claim(c.handle(), seal.open(c.entry()), c.attempts());
    } catch (OutboxSeal.CannotOpenException e) {
      Instant notAfter = c.entry().notAfter();
      boolean expired = notAfter != null && !clock.instant().isBefore(notAfter);
      if (expired) {
        try {
          outbox.complete(c, owner);
        } catch (RuntimeException stillThere) {
          // the store is down: the entry is claimed again later and removed then
        }
      }
      LOG.error("{}; {}", e.getMessage(), expired ? "its expiry has passed, so it was removed unsent"
          : "it is left to its lease for an instance that can open it");
      return null;
    }
  }

  /** One claimed entry on this instance, until its final outcome or release. */
  private static final class Work {
    final Claim claim;
    volatile int attempts;
    volatile boolean retry;
    volatile boolean onWire;

    Work(Claim claim) {
      this.claim = claim;
      this.attempts = claim.attempts();
    }
  }

  OutboxDriver(MailOutbox outbox, OutboxSeal seal, MailTransport delegate, RetryPolicy retry, Clock clock,
      DoubleSupplier jitterSource, DelayScheduler scheduler, int capacity, int workers, Duration lease,
      Duration pollInterval, String owner) {
    this.outbox = outbox;
    this.seal = seal;
    this.delegate = delegate;
    this.retry = retry;
    this.clock = clock;
    this.jitterSource = jitterSource;
    this.scheduler = scheduler;
    this.capacity = capacity;
    this.batch = Math.min(1000, 2 * workers);
    this.lease = lease;
    this.pollNanos = pollInterval.toNanos();
    this.owner = owner;
  }

  String owner() {
    return owner;
  }

  int pending() {
    return pending.get();
  }

  /** Stores the mail (one store round trip) and returns the stage of its final outcome here. */
  CompletionStage<DeliveryReceipt> submit(EmailMessage message, DeliveryContext context) {
    if (closed) {
      return refused(DeliveryException.Category.CLOSED, "the asynchronous transport is closed", null);
    }
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      return refused(DeliveryException.Category.QUEUE_FULL, "this instance already waits for " + capacity
          + " queued mails (capacity)", null);
    }
    OutboxEntry entry = seal.seal(OutboxEntry.of(message, context)); // the outbox never sees the code (C14)
    Instant now = clock.instant();
    Instant notAfter = message.notAfter();
    Instant forgetAt = (notAfter != null ? notAfter : now.plus(NO_EXPIRY_KEEP)).plus(lease);
    CompletableFuture<DeliveryReceipt> stage = new CompletableFuture<>();
    local.put(entry.id(), new Local(stage, forgetAt)); // before add: a fast claim may finish it at once
    try {
      outbox.add(entry, now);
    } catch (MailOutbox.OutboxFullException e) {
      forget(entry.id());
      return refused(DeliveryException.Category.QUEUE_FULL, e.getMessage(), e);
    } catch (RuntimeException e) {
      forget(entry.id());
      return refused(DeliveryException.Category.STORE_UNAVAILABLE, "the durable outbox did not take the mail: "
          + e.getClass().getSimpleName(), e);
    }
    wake();
    return stage;
  }

  private static CompletableFuture<DeliveryReceipt> refused(DeliveryException.Category category, String message,
      @Nullable Throwable cause) {
    return CompletableFuture.failedFuture(DeliveryException.builder(category, message).cause(cause).attempts(0)
        .build());
  }

  void adoptOutcomes(Consumer<DeliveryOutcome> handler) {
    List<DeliveryOutcome> waiting;
    synchronized (adoptLock) {
      adopted = handler;
      waiting = new ArrayList<>(early);
      early.clear();
    }
    waiting.forEach(o -> hand(handler, o));
  }

  /** Starts the poller and the workers on threads from {@code start}. */
  void start(int workers, Consumer<Runnable> start) {
    start.accept(this::pollLoop);
    for (int i = 0; i < workers; i++) {
      start.accept(this::workLoop);
    }
  }

  private void pollLoop() {
    try {
      pollUntilStopped();
    } finally {
      pollerDone.countDown();
    }
  }

  private void pollUntilStopped() {
    try {
      while (!stopped) {
        acknowledgeLeftovers();
        forgetExpired();
        boolean claimsAfterClose = closed;
        int room = batch - held.size();
        int claimed = 0;
        if (room > 0) {
          try {
            List<Claim> claims = outbox.claim(owner, room, clock.instant(), lease);
            if (storeDown) {
              storeDown = false;
              LOG.info("the durable outbox answers again; sending resumes");
            }
            for (Claim c : claims) {
              Claim open = opened(c);
              if (open == null) {
                continue;
              }
              Work w = new Work(open);
              held.add(w);
              ready.add(w);
            }
            claimed = claims.size();
            if (claimsAfterClose && claimed == 0 && held.isEmpty()) {
              drainedDue = true; // closing, and nothing is due or held: the rest belongs to other instances
              wake();
            }
          } catch (RuntimeException e) {
            if (!storeDown) {
              storeDown = true;
              LOG.warn("the durable outbox did not answer a claim; queued mails wait in it until it is back: {}",
                  e.toString());
            }
          }
        }
        if (claimed == 0 || claimed < room) {
          await(pollNanos);
        }
      }
    } finally {
      wake();
    }
  }

  private void workLoop() {
    try {
      while (!stopped) {
        Work w;
        try {
          w = ready.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS); // not interrupted at close: a send finishes
        } catch (InterruptedException e) {
          break;
        }
        if (w == null) {
          continue;
        }
        if (stopped) {
          release(w);
          break;
        }
        attempt(w);
      }
    } finally {
      wake();
    }
  }

  private void attempt(Work w) {
    EmailMessage message = w.claim.entry().message();
    Instant now = clock.instant();
    if (w.retry) {
      int n;
      try {
        n = outbox.countAttempt(w.claim, owner, now, lease);
      } catch (RuntimeException e) {
        later(w, Duration.ofNanos(pollNanos)); // the store is down: the entry waits, counted when it is back
        return;
      }
      if (n == 0) {
        lost(w);
        return;
      }
      w.attempts = n;
    }
    Instant notAfter = message.notAfter();
    if (notAfter != null && !now.isBefore(notAfter)) {
      finish(w, null, DeliveryException.builder(DeliveryException.Category.EXPIRED,
          "the code expired before its mail could be sent").attempts(w.attempts - 1).build());
      return;
    }
    DeliveryException failure;
    w.onWire = true;
    try {
      delegate.send(message);
      w.onWire = false;
      finish(w, new DeliveryReceipt(w.attempts), null);
      return;
    } catch (DeliveryException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new DeliveryException(DeliveryException.Category.UNKNOWN,
          "transport " + delegate.getClass().getSimpleName() + " failed: " + e.getClass().getName(), e);
    } finally {
      w.onWire = false;
    }
    if (failure.isTransient() && stopped) {
      release(w); // closing: the next instance retries it
      return;
    }
    if (failure.isTransient() && w.attempts <= retry.maxRetries()) {
      Duration wait = retry.backoff(w.attempts, jitterSource.getAsDouble());
      if (notAfter == null || clock.instant().plus(wait).isBefore(notAfter)) {
        LOG.debug("send to {} failed ({}, attempt {}), retrying in {}", message.to().masked(), failure.category(),
            w.attempts, wait);
        w.retry = true;
        if (later(w, wait)) {
          return;
        }
      }
    }
    finish(w, null, failure.afterAttempts(w.attempts));
  }

  /** Puts the work back after a wait; false if the scheduler refused. */
  private boolean later(Work w, Duration wait) {
    try {
      scheduler.schedule(wait, () -> {
        if (stopped) {
          release(w);
        } else {
          ready.add(w);
        }
      });
      return true;
    } catch (RuntimeException e) {
      LOG.warn("the retry scheduler refused a task; the mail to {} stays in the outbox for another claim: {}",
          w.claim.entry().message().to().masked(), e.toString());
      release(w);
      return true;
    }
  }

  private void finish(Work w, @Nullable DeliveryReceipt receipt, @Nullable DeliveryException failure) {
    boolean ours;
    try {
      ours = outbox.complete(w.claim, owner);
    } catch (RuntimeException e) {
      LOG.warn("the durable outbox did not take the final outcome of the mail to {}; it is retried, and the mail"
          + " may be sent again if the lease runs out first: {}", w.claim.entry().message().to().masked(),
          e.toString());
      unacknowledged.add(w.claim);
      ours = true;
    }
    held.remove(w);
    wake();
    if (!ours) {
      lost(w);
      return;
    }
    report(w.claim.entry(), receipt, failure);
  }

  /** Another instance took the entry over: it reports the outcome, this instance forgets the mail. */
  private void lost(Work w) {
    held.remove(w);
    forget(w.claim.entry().id());
    LOG.debug("the mail to {} was taken over by another instance, which reports its outcome",
        w.claim.entry().message().to().masked());
  }

  private void release(Work w) {
    held.remove(w);
    try {
      outbox.release(w.claim, owner, clock.instant());
    } catch (RuntimeException e) {
      LOG.debug("could not release an outbox entry; its lease runs out instead: {}", e.toString());
    }
  }

  private void report(OutboxEntry entry, @Nullable DeliveryReceipt receipt, @Nullable DeliveryException failure) {
    Local mine = forget(entry.id());
    if (mine != null) {
      if (failure == null) {
        mine.stage.complete(receipt);
      } else {
        mine.stage.completeExceptionally(failure);
      }
      return;
    }
    if (abandoned.remove(entry.id())) {
      LOG.info("the mail to {} that was on the wire at close finished: {}", entry.message().to().masked(),
          outcomeName(failure));
      return;
    }
    DeliveryOutcome outcome = new DeliveryOutcome(entry, receipt, failure);
    Consumer<DeliveryOutcome> handler;
    synchronized (adoptLock) {
      handler = adopted;
      if (handler == null) {
        if (early.size() < EARLY_OUTCOMES) {
          early.add(outcome);
        } else {
          LOG.warn("the outcome of the mail to {} ({}) has no listener: no service uses this transport",
              entry.message().to().masked(), outcomeName(failure));
        }
        return;
      }
    }
    hand(handler, outcome);
  }

  private static String outcomeName(@Nullable DeliveryException failure) {
    return failure == null ? "delivered" : failure.category().name();
  }

  private static void hand(Consumer<DeliveryOutcome> handler, DeliveryOutcome outcome) {
    try {
      handler.accept(outcome);
    } catch (RuntimeException e) {
      LOG.warn("the handler of adopted outcomes failed for the mail to {}", outcome.entry().message().to().masked(),
          e);
    }
  }

  private @Nullable Local forget(String id) {
    Local removed = local.remove(id);
    if (removed != null && pending.decrementAndGet() == 0) {
      wake();
    }
    return removed;
  }

  private void forgetExpired() {
    long tick = System.nanoTime();
    if (tick - lastForget < FORGET_EVERY_NANOS) {
      return; // a walk over every waiting stage: not on every claim
    }
    lastForget = tick;
    Instant now = clock.instant();
    for (Map.Entry<String, Local> e : local.entrySet()) {
      if (!now.isBefore(e.getValue().forgetAt())) {
        forget(e.getKey()); // finished by another instance: it reported the outcome
      }
    }
  }

  private void acknowledgeLeftovers() {
    for (int i = unacknowledged.size(); i > 0; i--) {
      Claim c = unacknowledged.poll();
      if (c == null) {
        return;
      }
      try {
        outbox.complete(c, owner);
      } catch (RuntimeException e) {
        unacknowledged.add(c);
        return;
      }
    }
  }

  private void wake() {
    lock.lock();
    try {
      wakeUp = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void await(long nanos) {
    lock.lock();
    try {
      long left = nanos;
      while (!wakeUp && !stopped && left > 0) {
        left = changed.awaitNanos(left);
      }
      wakeUp = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops intake, keeps sending for up to {@code drain} until every mail accepted here has an
   * outcome, then gives back every entry not on the wire (the next instance claims it at once) and
   * completes each stage still open with {@code OUTCOME_UNKNOWN}: the mail stays in the outbox, so
   * its code stays valid (C27, C31).
   */
  void close(Duration drain) {
    closed = true;
    long deadline = System.nanoTime() + drain.toNanos();
    lock.lock();
    try {
      long left;
      wakeUp = true;
      changed.signalAll(); // the poller claims once more now, so an idle outbox is known at once
      while (pending.get() > 0 && !drainedDue && (left = deadline - System.nanoTime()) > 0) {
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    stopped = true;
    wake();
    try {
      if (!pollerDone.await(POLLER_STOP_SECONDS, TimeUnit.SECONDS)) { // a claim in progress may add entries to held
        LOG.warn("the outbox poller did not stop within {} s; entries it claims now wait for their lease",
            POLLER_STOP_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int onWire = 0;
    for (Work w : new ArrayList<>(held)) {
      if (w.onWire) {
        onWire++;
        abandoned.add(w.claim.entry().id());
      } else {
        release(w);
      }
    }
    List<String> open = new ArrayList<>(local.keySet());
    if (drainedDue && held.isEmpty()) {
      // nothing due was left in the outbox: each of these was finished, or is held, by another
      // instance, which reports it; reporting it here too would report it twice
      open.forEach(this::forget);
      open.clear();
    }
    for (String id : open) {
      Local l = forget(id);
      if (l != null) {
        l.stage.completeExceptionally(DeliveryException.builder(DeliveryException.Category.OUTCOME_UNKNOWN,
            "the transport closed before this mail's outcome was known; it stays in the durable outbox for the"
                + " next instance").attempts(0).build());
      }
    }
    if (!open.isEmpty()) {
      LOG.warn("closed with {} mail(s) without an outcome ({} on the wire); they stay in the durable outbox and the"
          + " next instance sends them", open.size(), onWire);
    }
    acknowledgeLeftovers();
  }

  @Override
  public String toString() {
    return "outbox=" + outbox + ", owner=" + owner + ", held=" + held.size();
  }
}
