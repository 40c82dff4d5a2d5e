package dev.mailverify.smtp;

import dev.mailverify.core.DeliveryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
  record Opened(SMTPTransport transport, @Nullable String secret) {
    @Override
    public String toString() {
      return "Opened[" + transport + ", secret=[PROTECTED]]";
    }
  }

  /** A connection lent to one sender at a time. */
  static final class Connection {
    final SMTPTransport transport;
    final @Nullable String secret;
    final int id;
    final boolean reused;
    volatile long lastUsedNanos;
    volatile boolean suspect;

    Connection(SMTPTransport transport, @Nullable String secret, int id, boolean reused, long lastUsedNanos) {
      this.transport = transport;
      this.secret = secret;
      this.id = id;
      this.reused = reused;
      this.lastUsedNanos = lastUsedNanos;
    }

    Connection reuse() {
      Connection c = new Connection(transport, secret, id, true, lastUsedNanos);
      c.suspect = suspect;
      return c;
    }
  }

  private final int max;
  private final long idleTimeoutNanos;
  private final long validateAfterNanos;
  private final long maxWaitNanos;
  private final LongSupplier ticker;
  private final Connector connector;
  private final Semaphore permits;
  private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong closedCount = new AtomicLong();
  private volatile boolean closed;

  ConnectionPool(int max, Duration idleTimeout, Duration validateAfter, Duration maxWait, LongSupplier ticker,
      Connector connector) {
    this.max = max;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.validateAfterNanos = validateAfter.toNanos();
    this.maxWaitNanos = maxWait.toNanos();
    this.ticker = ticker;
    this.connector = connector;
    this.permits = new Semaphore(max, true);
  }

  /**
   * Lends a connection: an idle one that is alive, or a new one.
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
        if (validate || c.suspect || idleNanos >= validateAfterNanos) {
          if (!c.transport.isConnected()) { // NOOP; closes the transport when it fails
            LOG.debug("SMTP connection #{} failed its liveness check: reconnecting", c.id);
            destroy(c);
            continue;
          }
          c.suspect = false;
        }
        return c.reuse();
      }
      Opened o = connector.open();
      opened.incrementAndGet();
      Connection fresh = new Connection(o.transport(), o.secret(), ids.incrementAndGet(), false, ticker.getAsLong());
      LOG.debug("SMTP connection #{} opened", fresh.id);
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
