package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.Quota;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.RateLimiter;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one sending account within its {@link SenderBudget}: each send takes a permit per cap
 * from a {@link RateLimiter} before it reaches the delegate. At a cap the send is refused with a
 * transient {@link DeliveryException.Category#SENDER_BUDGET_EXHAUSTED} failure, so a
 * {@link FailoverMailTransport} above moves to its next account and a retrying transport may try
 * again later. A warning is logged once when a cap is {@link SenderBudget#warnAt() 80%} used.
 *
 * <pre>{@code
 * MailTransport qq = BudgetedMailTransport.builder(qqSmtp, SenderBudget.builder("noreply@qq.com")
 *         .perDay(400).perMinute(20).build())
 *     .rateLimiter(sharedRedisLimiter)   // counts across every instance of the app
 *     .build();
 * }</pre>
 *
 * <p>With a shared limiter (Redis, SQL) the budget counts across instances. Limiter keys are
 * {@code sender-day:<account>} and {@code sender-minute:<account>}; the early warning uses a
 * second quota of 80% of the cap on {@code sender-day-warn:<account>} and
 * {@code sender-minute-warn:<account>}. A permit is kept even when the delegate then fails, since
 * providers count attempts too. Thread-safe.
 */
public final class BudgetedMailTransport implements MailTransport {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetedMailTransport.class);

  private final MailTransport delegate;
  private final SenderBudget budget;
  private final RateLimiter limiter;
  private final Clock clock;
  private final @Nullable Cap day;
  private final @Nullable Cap minute;

  private BudgetedMailTransport(Builder b) {
    this.delegate = b.delegate;
    this.budget = b.budget;
    this.limiter = b.limiter;
    this.clock = b.clock;
    this.day = budget.perDay().map(q -> new Cap("day", q, budget)).orElse(null);
    this.minute = budget.perMinute().map(q -> new Cap("minute", q, budget)).orElse(null);
  }

  /**
   * Starts a builder.
   *
   * @param delegate the account's transport; not null; closed by {@link #close()}
   * @param budget the account's budget; not null
   * @return a new builder
   */
  public static Builder builder(MailTransport delegate, SenderBudget budget) {
    return new Builder(delegate, budget);
  }

  /** One cap with its warning quota. */
  private static final class Cap {
    final String name;
    final String key;
    final String warnKey;
    final Quota quota;
    final @Nullable Quota warnQuota;
    final AtomicBoolean warned = new AtomicBoolean();

    Cap(String name, Quota quota, SenderBudget budget) {
      this.name = name;
      this.key = "sender-" + name + ":" + budget.account();
      this.warnKey = "sender-" + name + "-warn:" + budget.account();
      this.quota = quota;
      int warnLimit = (int) Math.floor(quota.limit() * budget.warnAt());
      this.warnQuota = budget.warnAt() < 1.0 && warnLimit >= 1 && warnLimit < quota.limit()
          ? new Quota(warnLimit, quota.window()) : null;
    }
  }

  @Override
  public void send(EmailMessage message) {
    Objects.requireNonNull(message, "message");
    Instant now = clock.instant();
    Cap dayTaken = null;
    if (day != null) {
      take(day, now);
      dayTaken = day;
    }
    if (minute != null) {
      try {
        take(minute, now);
      } catch (DeliveryException e) {
        if (dayTaken != null) {
          limiter.release(dayTaken.key, now);
        }
        throw e;
      }
    }
    delegate.send(message);
  }

  private void take(Cap cap, Instant now) {
    RateLimiter.Decision d = limiter.tryAcquire(cap.key, cap.quota, now);
    if (!d.granted()) {
      throw DeliveryException.builder(DeliveryException.Category.SENDER_BUDGET_EXHAUSTED,
              "sending account " + budget.account() + " used its budget of " + cap.quota.limit() + " per " + cap.name
                  + "; next permit in " + d.retryAfter().toSeconds() + " s")
          .build();
    }
    if (cap.warnQuota != null) {
      boolean below = limiter.tryAcquire(cap.warnKey, cap.warnQuota, now).granted();
      if (below) {
        cap.warned.set(false);
      } else if (cap.warned.compareAndSet(false, true)) {
        LOG.warn("sending account {} has used {}% of its budget of {} per {}", budget.account(),
            Math.round(budget.warnAt() * 100), cap.quota.limit(), cap.name);
      }
    }
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** Returns the delegate's default sender. */
  @Override
  public java.util.Optional<dev.mailverify.core.Mailbox> defaultSender() {
    return delegate.defaultSender();
  }

  @Override
  public String toString() {
    return "BudgetedMailTransport[" + budget + ", delegate=" + delegate + "]";
  }

  /**
   * Builds a {@link BudgetedMailTransport}. Each setter checks its argument at once and may be
   * called again; the last call wins.
   */
  public static final class Builder {
    private final MailTransport delegate;
    private final SenderBudget budget;
    private RateLimiter limiter = RateLimiter.inMemory();
    private Clock clock = Clock.systemUTC();

    private Builder(MailTransport delegate, SenderBudget budget) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.budget = Objects.requireNonNull(budget, "budget");
    }

    /**
     * Sets the limiter that counts the sends (default in memory, this instance only); pass the
     * service's shared limiter to count across instances.
     *
     * @param value the limiter; not null
     * @return this builder
     */
    public Builder rateLimiter(RateLimiter value) {
      limiter = Objects.requireNonNull(value, "rateLimiter");
      return this;
    }

    /**
     * Sets the clock.
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
    public BudgetedMailTransport build() {
      return new BudgetedMailTransport(this);
    }
  }
}
