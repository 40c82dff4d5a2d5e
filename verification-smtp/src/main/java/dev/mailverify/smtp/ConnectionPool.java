package dev.mailverify.smtp;

import dev.mailverify.core.DeliveryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small pool of connected {@link SMTPTransport}s shared by the threads that send.
 *
 * <p>At most {@code max} connections exist at once (a semaphore); idle ones are kept newest first,
 * so a burst reuses warm connections and the oldest ones time out. A connection idle longer than
 * {@code validateAfter}, or that saw a failure, is checked with NOOP before reuse; one idle longer
 * than {@code idleTimeout} is closed. Closing a connection never throws: a failing QUIT on a socket
 * the server already dropped is logged and ignored, apart from any send error.
 */
final class ConnectionPool {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

  /** Opens and logs in a new connection, or throws the classified failure. */
  interface Connector {
    Opened open();
  }

  /**
   * A connection just opened, with the secret it signed in with (a password or an OAuth2 token),
   * which failures on it must scrub from server replies.
   */
  record Opened(SMTPTransport transport, @Nullable String secret, @Nullable Pipeline pipeline) {
    Opened(SMTPTransport transport, @Nullable String secret) {
      this(transport, secret, null);
    }

    @Override
    public String toString() {
      return "Opened[" + transport + ", secret=[PROTECTED]]";
    }
  }

  /** A connection lent to one sender at a time. */
  static final class Connection {
    final SMTPTransport transport;
    final @Nullable String secret;
    /** The RFC 2920 transactions of this connection; null when the server does not pipeline. */
    final @Nullable Pipeline pipeline;
    final int id;
    final boolean reused;
    volatile long lastUsedNanos;
    /** When the connection last talked to the server: a mail or a keep-alive NOOP. */
    volatile long lastActiveNanos;
    volatile boolean suspect;

    Connection(SMTPTransport transport, @Nullable String secret, @Nullable Pipeline pipeline, int id, boolean reused,
        long lastUsedNanos) {
      this.transport = transport;
      this.secret = secret;
      this.pipeline = pipeline;
      this.id = id;
      this.reused = reused;
      this.lastUsedNanos = lastUsedNanos;
      this.lastActiveNanos = lastUsedNanos;
    }

    Connection reuse() {
      Connection c = new Connection(transport, secret, pipeline, id, true, lastUsedNanos);
      c.lastActiveNanos = lastActiveNanos;
      c.suspect = suspect;
      return c;
    }
  }

  private final int max;
  private final long idleTimeoutNanos;
  private final long validateAfterNanos;
  private final long keepAliveNanos;
  private final long maxWaitNanos;
  private final LongSupplier ticker;
  private final Connector connector;
  private final Semaphore permits;
  private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final Set<Pipeline> pipelines = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong closedCount = new AtomicLong();
  private volatile boolean closed;

  ConnectionPool(int max, Duration idleTimeout, Duration validateAfter, Duration keepAlive, Duration maxWait,
      LongSupplier ticker, Connector connector) {
    this.max = max;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.validateAfterNanos = validateAfter.toNanos();
    this.keepAliveNanos = keepAlive.toNanos();
    this.maxWaitNanos = maxWait.toNanos();
    this.ticker = ticker;
    this.connector = connector;
    this.permits = new Semaphore(max, true);
  }

  /**
   * Lends a connection: an idle one that is alive, or a new one, waiting (bounded) while all are busy.
   *
   * @param validate check a reused connection with NOOP whatever its idle time
   * @throws DeliveryException when the pool is closed, no connection frees up within the bound, or
   *     opening a new one fails
   */
  Connection borrow(boolean validate) {
    if (closed) {
      throw closedFailure();
    }
    try {
      if (!permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
        throw DeliveryException.builder(DeliveryException.Category.TIMEOUT,
                "all " + max + " SMTP connections stayed busy for " + (maxWaitNanos / 1_000_000) + " ms")
            .transientFailure(true)
            .hint("Raise maxConnections to the number of threads that send at once, or send through an"
                + " asynchronous transport.")
            .build();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DeliveryException.builder(DeliveryException.Category.UNKNOWN, "interrupted while waiting for an SMTP connection")
          .cause(e).transientFailure(true).build();
    }
    return lend(validate);
  }

  /**
   * Lends a connection if one is idle or may be opened now, without waiting for a busy one.
   *
   * @param validate as for {@link #borrow(boolean)}
   * @return the connection, or {@code null} when all {@code max} are lent
   * @throws DeliveryException when the pool is closed or opening a new connection fails
   */
  @Nullable Connection tryBorrow(boolean validate) {
    if (closed) {
      throw closedFailure();
    }
    return permits.tryAcquire() ? lend(validate) : null;
  }

  /**
   * The lent pipelining connection with the fewest mails waiting that still takes one, or null.
   * A sender that finds every connection busy queues its mail there instead of waiting for a
   * connection of its own: its envelope then rides behind the current mail's body.
   */
  @Nullable Pipeline joinable() {
    @Nullable Pipeline best = null;
    int fewest = Integer.MAX_VALUE;
    for (Pipeline p : pipelines) {
      if (p.joinable()) {
        int n = p.waitingCount();
        if (n < fewest) {
          best = p;
          fewest = n;
        }
      }
    }
    return best;
  }

  /** With a permit held: an idle connection that is alive, or a new one. */
  private Connection lend(boolean validate) {
    try {
      if (closed) {
        throw closedFailure();
      }
      Connection c;
      while ((c = idle.pollFirst()) != null) {
        long idleNanos = ticker.getAsLong() - c.lastUsedNanos;
        if (idleNanos >= idleTimeoutNanos) {
          LOG.debug("SMTP connection #{} idle for {} ms: closing it", c.id, idleNanos / 1_000_000);
          destroy(c);
          continue;
        }
        // A pipelining connection is not probed: its envelope is the probe, and a connection found
        // dead before the message went out is replaced and the mail sent again (SmtpTransport).
        boolean probe = c.pipeline == null ? idleNanos >= validateAfterNanos : false;
        if (validate || c.suspect || probe) {
          if (!c.transport.isConnected()) { // NOOP; closes the transport when it fails
            LOG.debug("SMTP connection #{} failed its liveness check: reconnecting", c.id);
            destroy(c);
            continue;
          }
          c.suspect = false;
          c.lastActiveNanos = ticker.getAsLong();
        }
        if (c.pipeline != null) {
          c.pipeline.lend();
        }
        return c.reuse();
      }
      Opened o = connector.open();
      opened.incrementAndGet();
      Connection fresh = new Connection(o.transport(), o.secret(), o.pipeline(), ids.incrementAndGet(), false,
          ticker.getAsLong());
      if (fresh.pipeline != null) {
        pipelines.add(fresh.pipeline);
      }
      LOG.debug("SMTP connection #{} opened{}", fresh.id, fresh.pipeline != null ? " (PIPELINING)" : "");
      return fresh;
    } catch (RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /**
   * Takes a connection back.
   *
   * @param reusable {@code false} to close it (a broken or doubtful connection)
   * @param suspect {@code true} to check it with NOOP before its next use
   */
  void release(Connection c, boolean reusable, boolean suspect) {
    try {
      if (reusable && !closed) {
        c.lastUsedNanos = ticker.getAsLong();
        c.lastActiveNanos = c.lastUsedNanos;
        c.suspect = suspect;
        idle.offerFirst(c);
        if (closed && idle.remove(c)) { // close() ran meanwhile
          destroy(c);
        }
      } else {
        destroy(c);
      }
    } finally {
      permits.release();
    }
  }

  /**
   * Closes the connections idle longer than the idle timeout.
   *
   * @return how many were closed
   */
  int evictIdle() {
    int evicted = 0;
    long now = ticker.getAsLong();
    for (Connection c : new ArrayList<>(idle)) {
      if (now - c.lastUsedNanos >= idleTimeoutNanos && idle.remove(c)) {
        LOG.debug("SMTP connection #{} idle too long: closing it", c.id);
        destroy(c);
        evicted++;
      }
    }
    return evicted;
  }

  /**
   * Keeps idle connections warm: one that has not talked to the server for the keep-alive interval
   * (and is not past the idle timeout) gets a NOOP, so the server's own idle timer (5 minutes at
   * the least by RFC 5321 4.5.3.2.7, often less) does not close it; one that fails the NOOP is
   * closed. Bounded: at most idle timeout / keep-alive NOOPs per quiet spell, and a connection is
   * only touched while a permit is free, so senders never wait for it.
   *
   * @return how many connections answered the NOOP
   */
  int keepAlive() {
    int kept = 0;
    for (Connection c : new ArrayList<>(idle)) {
      long now = ticker.getAsLong();
      if (now - c.lastActiveNanos < keepAliveNanos || now - c.lastUsedNanos >= idleTimeoutNanos || closed) {
        continue;
      }
      if (!permits.tryAcquire()) {
        return kept;
      }
      try {
        if (!idle.remove(c)) {
          continue; // a sender took it meanwhile
        }
        if (c.transport.isConnected()) { // NOOP
          c.lastActiveNanos = ticker.getAsLong();
          idle.offerLast(c);
          if (closed && idle.remove(c)) {
            destroy(c);
          }
          kept++;
        } else {
          LOG.debug("SMTP connection #{} failed its keep-alive NOOP: closing it", c.id);
          destroy(c);
        }
      } finally {
        permits.release();
      }
    }
    return kept;
  }

  /** Refuses new borrowers, closes idle connections now and in-use ones when they come back. */
  void close(Duration drainWait) {
    closed = true;
    drainIdle();
    try {
      // wait (bounded) for the connections in use, so they are closed too
      if (permits.tryAcquire(max, drainWait.toNanos(), TimeUnit.NANOSECONDS)) {
        permits.release(max);
      } else {
        LOG.warn("closing the SMTP transport while sends are still running; they may fail");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drainIdle();
  }

  boolean isClosed() {
    return closed;
  }

  long opened() {
    return opened.get();
  }

  long closedConnections() {
    return closedCount.get();
  }

  /** Mails queued behind busy pipelining connections now. */
  int waiting() {
    int n = 0;
    for (Pipeline p : pipelines) {
      n += p.waitingCount();
    }
    return n;
  }

  int idleCount() {
    return idle.size();
  }

  int inUse() {
    return max - permits.availablePermits();
  }

  private void drainIdle() {
    List<Connection> all = new ArrayList<>();
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      all.add(c);
    }
    all.forEach(this::destroy);
  }

  private void destroy(Connection c) {
    closedCount.incrementAndGet();
    if (c.pipeline != null) {
      pipelines.remove(c.pipeline);
    }
    quietClose(c.transport, c.id);
  }

  /** Closes a transport; a failure here (QUIT on a dropped socket) is logged, never thrown. */
  static void quietClose(SMTPTransport transport, int id) {
    try {
      transport.close();
    } catch (Exception e) {
      LOG.debug("closing SMTP connection #{} failed; it is discarded anyway: {}", id, e.toString());
    }
  }

  static DeliveryException closedFailure() {
    return DeliveryException.builder(DeliveryException.Category.CLOSED, "the SMTP transport has been closed").build();
  }
}
