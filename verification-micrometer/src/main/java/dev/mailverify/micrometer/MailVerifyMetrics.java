package dev.mailverify.micrometer;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.InvalidAddressReason;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.VerificationEvent.Outcome;
import dev.mailverify.core.VerificationListener;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.VerificationType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer metrics for mailverify: a {@link VerificationListener} that turns every
 * {@link VerificationEvent} into counters, timers and a funnel, and a {@link MeterBinder} that puts
 * them into one or more {@link MeterRegistry registries}.
 *
 * <pre>{@code
 * MailVerifyMetrics metrics = MailVerifyMetrics.builder().clock(clock).build();
 * VerificationCodeService service = VerificationCodeService.builder()
 *     .transport(transport).clock(clock).listener(metrics).build();
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <h2>Meters</h2>
 *
 * <table>
 * <caption>Meters and their tags</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what it counts</th></tr>
 * <tr><td>{@value #SENDS}</td><td>counter</td><td>type, outcome, category, limit, reason</td>
 *     <td>send requests by outcome: SENT, QUEUED, RATE_LIMITED, INVALID_ADDRESS, DELIVERY_FAILED</td></tr>
 * <tr><td>{@value #DELIVERIES}</td><td>counter</td><td>type, outcome, category</td>
 *     <td>final outcomes of queued mails: DELIVERED, DELIVERY_FAILED</td></tr>
 * <tr><td>{@value #DELIVERY_ATTEMPTS}</td><td>distribution summary</td><td>type, outcome</td>
 *     <td>attempts per queued mail</td></tr>
 * <tr><td>{@value #DELIVERY_RETRIES}</td><td>counter</td><td>type, outcome</td>
 *     <td>retries (attempts after the first)</td></tr>
 * <tr><td>{@value #DELIVERY_TIME}</td><td>timer (histogram)</td><td>type, outcome</td>
 *     <td>time from queueing to the final outcome</td></tr>
 * <tr><td>{@value #QUEUE_DEPTH}</td><td>gauge</td><td>none</td>
 *     <td>mails waiting in the asynchronous transport's queue (only with {@link Builder#queueDepth})</td></tr>
 * <tr><td>{@value #VERIFICATIONS}</td><td>counter</td><td>type, outcome</td>
 *     <td>verify calls: VERIFIED, INVALID, EXPIRED, LOCKED, NOT_FOUND</td></tr>
 * <tr><td>{@value #REDEMPTIONS}</td><td>counter</td><td>type, outcome</td>
 *     <td>token redemptions: REDEEMED, REDEEM_FAILED</td></tr>
 * <tr><td>{@value #CODES_ISSUED}</td><td>counter</td><td>type</td>
 *     <td>codes sent or queued (the funnel's top)</td></tr>
 * <tr><td>{@value #VERIFY_TIME}</td><td>timer (histogram)</td><td>type</td>
 *     <td>time from a code's send to its successful verification</td></tr>
 * <tr><td>{@value #CODES_UNVERIFIED}</td><td>counter</td><td>type, reason</td>
 *     <td>codes never verified: EXPIRED (its TTL passed), SUPERSEDED (a resend replaced it),
 *     UNDELIVERED (its queued mail finally failed)</td></tr>
 * <tr><td>{@value #CODES_UNTRACKED}</td><td>counter</td><td>type</td>
 *     <td>codes dropped from the funnel because more than {@link Builder#maxTrackedCodes} were pending</td></tr>
 * <tr><td>{@value #CODES_PENDING}</td><td>gauge</td><td>none</td>
 *     <td>codes the funnel is waiting on</td></tr>
 * </table>
 *
 * <p>The share of codes never verified is {@code sum(codes.unverified) / sum(codes.issued)} over a
 * window longer than the TTL; the verify-time timer's count is the verified share.
 *
 * <h2>Tags</h2>
 *
 * <p>Only low-cardinality tags: {@code type} (the verification type's name), {@code outcome} (a
 * {@link Outcome} name), {@code category} (a {@link DeliveryException.Category} name),
 * {@code limit} (a {@link SendResult.Limit} name), {@code reason} (an {@link InvalidAddressReason}
 * name, or the unverified reason), each read from the event's typed field
 * ({@link VerificationEvent#deliveryCategory()}, {@link VerificationEvent#limit()},
 * {@link VerificationEvent#invalidAddressReason()}). A tag that does not apply is {@code none}; an
 * event that says something else instead (a free-text {@link VerificationEvent#detail()} on a
 * hand-built event) is tagged {@code other}, so a tag never carries free text. Never an address, a
 * client key, a code or a token (contract C16).
 *
 * <h2>The funnel</h2>
 *
 * <p>The funnel is kept by its own part of the binder, fed by the same events. To time
 * send-to-verify, it remembers when each code was sent, keyed by a salted
 * SHA-256 of the type and address (the address itself is not kept), in a bounded cache whose
 * entries expire with the code, at the expiry the SEND event carries
 * ({@link VerificationEvent#expiresAt()}); {@link Builder#codeTtl(Duration)} is only the fallback
 * for events without one (hand-built events). A verification that finds the code
 * expired ends its entry at once. Other expired entries are counted when the cache runs its
 * maintenance (on later events, on a system timer, or on {@link #cleanUp()}), up to about a second
 * after the TTL: the cache's timer wheel works in steps of 2<sup>30</sup> ns.
 *
 * <p>Events use the time they carry ({@link VerificationEvent#at()}, the service's clock); the
 * binder's own {@link Builder#clock(Clock) clock} drives the cache's expiry and should be the
 * service's clock.
 *
 * <p>Thread-safe. {@link #onEvent} never throws for a well-formed event; if a registry does, the
 * service logs it and the outcome stands.
 */
public final class MailVerifyMetrics implements VerificationListener, MeterBinder {
  /** Counter of send requests. */
  public static final String SENDS = "mailverify.sends";
  /** Counter of final outcomes of queued mails. */
  public static final String DELIVERIES = "mailverify.deliveries";
  /** Distribution summary of delivery attempts per queued mail. */
  public static final String DELIVERY_ATTEMPTS = "mailverify.delivery.attempts";
  /** Counter of delivery retries. */
  public static final String DELIVERY_RETRIES = "mailverify.delivery.retries";
  /** Timer from queueing to the final outcome. */
  public static final String DELIVERY_TIME = "mailverify.delivery.time";
  /** Gauge of the asynchronous transport's queue. */
  public static final String QUEUE_DEPTH = "mailverify.queue.depth";
  /** Counter of verify calls. */
  public static final String VERIFICATIONS = "mailverify.verifications";
  /** Counter of token redemptions. */
  public static final String REDEMPTIONS = "mailverify.redemptions";
  /** Counter of codes sent or queued. */
  public static final String CODES_ISSUED = "mailverify.codes.issued";
  /** Timer from a code's send to its successful verification. */
  public static final String VERIFY_TIME = "mailverify.verify.time";
  /** Counter of codes never verified. */
  public static final String CODES_UNVERIFIED = "mailverify.codes.unverified";
  /** Counter of codes dropped from the funnel because too many were pending. */
  public static final String CODES_UNTRACKED = "mailverify.codes.untracked";
  /** Gauge of codes the funnel is waiting on. */
  public static final String CODES_PENDING = "mailverify.codes.pending";

  /** The value of a tag that does not apply to an event. */
  public static final String NONE = "none";
  /** The value of a tag whose event says something other than the typed value the tag shows. */
  public static final String OTHER = "other";

  private final Duration defaultCodeTtl;
  private final long maxTrackedCodes;
  private final @Nullable IntSupplier queueDepth;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final SendToVerifyFunnel funnel;

  private MailVerifyMetrics(Builder b) {
    this.defaultCodeTtl = b.codeTtl;
    this.maxTrackedCodes = b.maxTrackedCodes;
    this.queueDepth = b.queueDepth;
    this.funnel = new SendToVerifyFunnel(b.clock, b.codeTtl, b.codeTtls, b.maxTrackedCodes, registries);
  }

  /**
   * Starts a builder. Every setting has a default, so {@code builder().build()} works.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers this binder's gauges with a registry and records every later event there too. May be
   * called for several registries; binding the same registry twice has no further effect.
   *
   * @param registry the registry; not null
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (registries) {
      if (registries.stream().anyMatch(r -> r == registry)) {
        return;
      }
      registries.add(registry);
    }
    funnel.bindTo(registry);
    if (queueDepth != null) {
      Gauge.builder(QUEUE_DEPTH, this, m -> m.queueDepthNow())
          .description("mails waiting in the asynchronous transport's queue")
          .register(registry);
    }
  }

  /**
   * Records one event in every bound registry and updates the funnel.
   *
   * @param event the event; not null
   */
  @Override
  public void onEvent(VerificationEvent event) {
    Objects.requireNonNull(event, "event");
    switch (event.action()) {
      case SEND -> onSend(event);
      case VERIFY -> onVerify(event);
      case REDEEM -> count(REDEMPTIONS, "token redemptions by outcome",
          Tags.of("type", event.type().name(), "outcome", event.outcome().name()));
      case DELIVER -> onDeliver(event);
      default -> {
        // an action added to the core later: nothing to record yet
      }
    }
  }

  /**
   * Runs the funnel's pending maintenance now, so that codes whose TTL has passed are counted in
   * {@value #CODES_UNVERIFIED}. It also runs on later events and on a system timer; tests that move
   * a clock call it instead of waiting.
   */
  public void cleanUp() {
    funnel.cleanUp();
  }

  /**
   * Returns how many codes the funnel is waiting on (an estimate, as the cache counts).
   *
   * @return the number of tracked codes
   */
  public long trackedCodes() {
    return funnel.trackedCodes();
  }

  private double queueDepthNow() {
    IntSupplier supplier = queueDepth;
    return supplier == null ? Double.NaN : supplier.getAsInt();
  }

  private void onSend(VerificationEvent event) {
    Outcome outcome = event.outcome();
    Tags tags = Tags.of("type", event.type().name(), "outcome", outcome.name(),
        "category", outcome == Outcome.DELIVERY_FAILED ? tag(event.deliveryCategory(), event) : NONE,
        "limit", outcome == Outcome.RATE_LIMITED ? tag(event.limit(), event) : NONE,
        "reason", outcome == Outcome.INVALID_ADDRESS ? tag(event.invalidAddressReason(), event) : NONE);
    count(SENDS, "send requests by outcome", tags);
    funnel.onSend(event);
  }

  private void onVerify(VerificationEvent event) {
    count(VERIFICATIONS, "verify calls by outcome",
        Tags.of("type", event.type().name(), "outcome", event.outcome().name()));
    funnel.onVerify(event);
  }

  private void onDeliver(VerificationEvent event) {
    Outcome outcome = event.outcome();
    String type = event.type().name();
    String category = outcome == Outcome.DELIVERY_FAILED ? tag(event.deliveryCategory(), event) : NONE;
    count(DELIVERIES, "final outcomes of queued mails",
        Tags.of("type", type, "outcome", outcome.name(), "category", category));
    Tags tags = Tags.of("type", type, "outcome", outcome.name());
    int attempts = event.attempts();
    Duration elapsed = event.elapsed();
    for (MeterRegistry r : registries) {
      if (attempts > 0) {
        DistributionSummary.builder(DELIVERY_ATTEMPTS)
            .description("delivery attempts per queued mail")
            .baseUnit("attempts")
            .tags(tags)
            .register(r)
            .record(attempts);
      }
      if (attempts > 1) {
        Counter.builder(DELIVERY_RETRIES)
            .description("delivery retries (attempts after the first)")
            .baseUnit("retries")
            .tags(tags)
            .register(r)
            .increment(attempts - 1);
      }
      if (elapsed != null) {
        Timer.builder(DELIVERY_TIME)
            .description("time from queueing a mail to its final outcome")
            .tags(tags)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofHours(1))
            .register(r)
            .record(elapsed);
      }
    }
    funnel.onDeliver(event);
  }

  private void count(String name, String description, Tags tags) {
    for (MeterRegistry r : registries) {
      Counter.builder(name).description(description).tags(tags).register(r).increment();
    }
  }

  /**
   * The tag of a typed value: its name; {@value #OTHER} when the event has none but says something
   * else in words (a hand-built event's note); {@value #NONE} when it says nothing.
   */
  private static String tag(@Nullable Enum<?> value, VerificationEvent event) {
    if (value != null) {
      return value.name();
    }
    return event.detail() == null ? NONE : OTHER;
  }

  @Override
  public String toString() {
    return "MailVerifyMetrics[registries=" + registries.size() + ", trackedCodes=" + trackedCodes()
        + ", maxTrackedCodes=" + maxTrackedCodes + ", codeTtl=" + defaultCodeTtl + "]";
  }

  /**
   * Builds a {@link MailVerifyMetrics}. Each setter checks its argument at once and names it in the
   * message; calling a setter again replaces the earlier value (the last call wins).
   */
  public static final class Builder {
    /** The most codes the funnel tracks by default. */
    public static final long DEFAULT_MAX_TRACKED_CODES = 100_000;

    private Clock clock = Clock.systemUTC();
    private Duration codeTtl = Duration.ofMinutes(10);
    private final Map<VerificationType, Duration> codeTtls = new HashMap<>();
    private long maxTrackedCodes = DEFAULT_MAX_TRACKED_CODES;
    private @Nullable IntSupplier queueDepth;

    private Builder() {}

    /**
     * Sets the clock that expires the funnel's entries; use the service's clock. Default: the system
     * clock in UTC.
     *
     * @param value the clock; not null
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets the TTL the funnel assumes for a code of any type without its own
     * {@link #codeTtl(VerificationType, Duration)}: after it, a code not verified counts as
     * unverified. Default: 10 minutes, the core's default.
     *
     * @param value between {@link VerificationPolicy#MIN_TTL} and {@link VerificationPolicy#MAX_TTL}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder codeTtl(Duration value) {
      codeTtl = checkTtl(value);
      return this;
    }

    /**
     * Sets the TTL the funnel assumes for codes of one type.
     *
     * @param type the type; not null
     * @param value between {@link VerificationPolicy#MIN_TTL} and {@link VerificationPolicy#MAX_TTL}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder codeTtl(VerificationType type, Duration value) {
      Objects.requireNonNull(type, "type");
      codeTtls.put(type, checkTtl(value));
      return this;
    }

    /**
     * Sets how many sent codes the funnel remembers at most; beyond it the cache drops entries and
     * counts them in {@value MailVerifyMetrics#CODES_UNTRACKED}. Default:
     * {@value #DEFAULT_MAX_TRACKED_CODES}.
     *
     * @param value 1 to 10,000,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxTrackedCodes(long value) {
      if (value < 1 || value > 10_000_000) {
        throw new IllegalArgumentException("maxTrackedCodes must be 1 to 10000000, was " + value);
      }
      maxTrackedCodes = value;
      return this;
    }

    /**
     * Gauges an asynchronous transport's queue as {@value MailVerifyMetrics#QUEUE_DEPTH}, for
     * example {@code queueDepth(asyncTransport::queuedCount)}. Default: no queue gauge.
     *
     * @param value reads the number of waiting mails; not null; called on every registry read
     * @return this builder
     */
    public Builder queueDepth(IntSupplier value) {
      queueDepth = Objects.requireNonNull(value, "queueDepth");
      return this;
    }

    /**
     * Builds the binder.
     *
     * @return the binder
     */
    public MailVerifyMetrics build() {
      return new MailVerifyMetrics(this);
    }

    private static Duration checkTtl(Duration value) {
      Objects.requireNonNull(value, "codeTtl");
      if (value.compareTo(VerificationPolicy.MIN_TTL) < 0 || value.compareTo(VerificationPolicy.MAX_TTL) > 0) {
        throw new IllegalArgumentException("codeTtl must be between " + VerificationPolicy.MIN_TTL + " and "
            + VerificationPolicy.MAX_TTL + ", was " + value);
      }
      return value;
    }
  }
}
