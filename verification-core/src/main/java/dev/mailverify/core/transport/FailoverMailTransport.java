package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends through the first healthy route of several (a QQ Mail account, then a second account or
 * another provider): when a route fails in a way another route may not, the next one is tried.
 *
 * <pre>{@code
 * MailTransport transport = FailoverMailTransport.builder(qqMail, backupAccount)
 *     .suspendAfter(3)
 *     .suspension(Duration.ofMinutes(1))
 *     .build();
 * }</pre>
 *
 * <p><b>Which failures fail over.</b> Every failure that blames the route rather than the mail:
 * transient ones (4xx, timeout, connection refused or lost, {@code SENDER_BUDGET_EXHAUSTED}) and
 * the permanent account or configuration problems ({@code AUTHENTICATION}, {@code SENDER_REJECTED},
 * {@code CONFIGURATION}, {@code TLS}, {@code UNKNOWN_HOST}, {@code CLOSED}, {@code UNKNOWN}).
 * A failure that blames the recipient or the message ({@code RECIPIENT_REJECTED},
 * {@code MESSAGE_REJECTED}) is thrown at once: another account would be refused the same way.
 *
 * <p><b>Health.</b> A route is suspended after {@link Builder#suspendAfter(int) K} consecutive
 * transient failures, or at once after a permanent route failure (one {@code 535} means the
 * password is wrong, not that the server is busy). A suspended route is skipped for the
 * {@link Builder#suspension(Duration) suspension} period, measured with the injected clock;
 * the first send after it is a probe: success makes the route healthy again (so the primary is
 * preferred again once it recovers), failure suspends it for another period. When every route is
 * suspended, all are tried in order rather than refusing the mail.
 *
 * <p>When every route tried fails, the failure thrown is the last transient one (so a retrying
 * transport above retries), or else the last one; the others are attached as suppressed
 * exceptions. Thread-safe; {@link #close()} closes every route.
 */
public final class FailoverMailTransport implements MailTransport {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverMailTransport.class);

  private final List<Route> routes;
  private final int suspendAfter;
  private final Duration suspension;
  private final Clock clock;

  private FailoverMailTransport(Builder b) {
    List<Route> list = new ArrayList<>(b.transports.size());
    for (MailTransport t : b.transports) {
      list.add(new Route(t));
    }
    this.routes = List.copyOf(list);
    this.suspendAfter = b.suspendAfter;
    this.suspension = b.suspension;
    this.clock = b.clock;
  }

  /**
   * Starts a builder.
   *
   * @param primary the preferred route; not null
   * @param others the routes to fall back to, in order; at least one, none null
   * @return a new builder
   * @throws IllegalArgumentException naming {@code others} when it is empty
   */
  public static Builder builder(MailTransport primary, MailTransport... others) {
    return new Builder(primary, others);
  }

  /** One route and its health. */
  private static final class Route {
    final MailTransport transport;
    int consecutiveFailures; // guarded by this
    @Nullable Instant suspendedUntil; // guarded by this

    Route(MailTransport transport) {
      this.transport = transport;
    }

    synchronized boolean available(Instant now) {
      return suspendedUntil == null || !now.isBefore(suspendedUntil);
    }

    synchronized void succeeded() {
      if (suspendedUntil != null) {
        LOG.info("mail route {} recovered; using it again", transport);
      }
      consecutiveFailures = 0;
      suspendedUntil = null;
    }

    synchronized void failed(boolean permanent, Instant now, int threshold, Duration period) {
      consecutiveFailures++;
      if (permanent || consecutiveFailures >= threshold || suspendedUntil != null) {
        if (suspendedUntil == null || !now.isBefore(suspendedUntil)) {
          LOG.warn("mail route {} suspended for {} after {} failure(s) in a row", transport, period,
              consecutiveFailures);
        }
        suspendedUntil = now.plus(period);
      }
    }
  }

  /**
   * Returns whether the failure blames the route (another route may succeed) rather than the
   * recipient or the message.
   *
   * @param failure the failure
   * @return {@code true} if the next route should be tried
   */
  static boolean failsOver(DeliveryException failure) {
    DeliveryException.Category c = failure.category();
    return c != DeliveryException.Category.RECIPIENT_REJECTED && c != DeliveryException.Category.MESSAGE_REJECTED
        && c != DeliveryException.Category.EXPIRED;
  }

  /**
   * Sends through the first available route, falling over to the next as described above.
   *
   * @param message the message; not null
   * @throws DeliveryException when no route accepted the message
   */
  @Override
  public void send(EmailMessage message) {
    Objects.requireNonNull(message, "message");
    Instant now = clock.instant();
    List<Route> order = new ArrayList<>(routes.size());
    for (Route r : routes) {
      if (r.available(now)) {
        order.add(r);
      }
    }
    if (order.isEmpty()) {
      order.addAll(routes); // all suspended: try them all rather than refuse
    }
    DeliveryException lastTransient = null;
    DeliveryException last = null;
    List<DeliveryException> all = new ArrayList<>(order.size());
    for (Route route : order) {
      DeliveryException failure;
      try {
        route.transport.send(message);
        route.succeeded();
        return;
      } catch (DeliveryException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new DeliveryException(DeliveryException.Category.UNKNOWN,
            "transport " + route.transport.getClass().getSimpleName() + " failed: " + e.getClass().getName(), e);
      }
      all.add(failure);
      last = failure;
      if (!failsOver(failure)) {
        break; // the recipient or the message is the problem: the route stays healthy
      }
      route.failed(!failure.isTransient(), clock.instant(), suspendAfter, suspension);
      if (failure.isTransient()) {
        lastTransient = failure;
      }
    }
    DeliveryException thrown = lastTransient != null ? lastTransient : Objects.requireNonNull(last);
    for (DeliveryException e : all) {
      if (e != thrown) {
        thrown.addSuppressed(e);
      }
    }
    throw thrown;
  }

  /**
   * Returns the first route's default sender that there is: the Message-ID of a mail without a
   * sender is made on its domain, and every route sends that same identifier.
   */
  @Override
  public java.util.Optional<dev.mailverify.core.Mailbox> defaultSender() {
    for (Route r : routes) {
      java.util.Optional<dev.mailverify.core.Mailbox> sender = r.transport.defaultSender();
      if (sender.isPresent()) {
        return sender;
      }
    }
    return java.util.Optional.empty();
  }

  /** Closes every route; a failure to close one is logged and the others are still closed. */
  @Override
  public void close() {
    for (Route r : routes) {
      try {
        r.transport.close();
      } catch (RuntimeException e) {
        LOG.warn("closing mail route {} failed", r.transport, e);
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("FailoverMailTransport[");
    Instant now = clock.instant();
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      sb.append(i == 0 ? "" : ", ").append(r.transport).append(r.available(now) ? "" : " (suspended)");
    }
    return sb.append(']').toString();
  }

  /**
   * Builds a {@link FailoverMailTransport}. Each setter checks its argument at once and may be
   * called again; the last call wins.
   */
  public static final class Builder {
    private final List<MailTransport> transports = new ArrayList<>();
    private int suspendAfter = 3;
    private Duration suspension = Duration.ofMinutes(1);
    private Clock clock = Clock.systemUTC();

    private Builder(MailTransport primary, MailTransport... others) {
      transports.add(Objects.requireNonNull(primary, "primary"));
      Objects.requireNonNull(others, "others");
      for (MailTransport t : others) {
        transports.add(Objects.requireNonNull(t, "others contains null"));
      }
      if (transports.size() < 2) {
        throw new IllegalArgumentException("others must hold at least one transport to fail over to, was empty");
      }
    }

    /**
     * Sets after how many transient failures in a row a route is suspended (default 3).
     *
     * @param value 1-100
     * @return this builder
     */
    public Builder suspendAfter(int value) {
      if (value < 1 || value > 100) {
        throw new IllegalArgumentException("suspendAfter must be 1-100, was " + value);
      }
      suspendAfter = value;
      return this;
    }

    /**
     * Sets how long a suspended route is skipped before a probe (default 1 minute).
     *
     * @param value 1 second-1 day; not null
     * @return this builder
     */
    public Builder suspension(Duration value) {
      Objects.requireNonNull(value, "suspension");
      if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("suspension must be 1 second-1 day, was " + value);
      }
      suspension = value;
      return this;
    }

    /**
     * Sets the clock that measures suspensions.
     *
     * @param value the clock; not null
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Builds the transport.
     *
     * @return the transport
     */
    public FailoverMailTransport build() {
      return new FailoverMailTransport(this);
    }
  }
}
