package dev.mailverify.micrometer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.InvalidAddressReason;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.VerificationEvent.Action;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
 * name, or the unverified reason). A tag that does not apply is {@code none}; an event detail
 * that is not one of those enum names is tagged {@code other}, so a tag never carries free text.
 * Never an address, a client key, a code or a token (contract C16).
 *
 * <h2>The funnel</h2>
 *
 * <p>To time send-to-verify, the binder remembers when each code was sent, keyed by a salted
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
  /** The value of a tag whose event detail is not a known name. */
  public static final String OTHER = "other";

  private static final Set<String> CATEGORIES = names(DeliveryException.Category.values());
  private static final Set<String> LIMITS = names(SendResult.Limit.values());
  private static final Set<String> REASONS = names(InvalidAddressReason.values());

  private final Clock clock;
  private final Duration defaultCodeTtl;
  private final Map<VerificationType, Duration> codeTtls;
  private final long maxTrackedCodes;
  private final @Nullable IntSupplier queueDepth;
  private final byte[] salt;
  private final Cache<CodeRef, Issued> pending;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

  private MailVerifyMetrics(Builder b) {
    this.clock = b.clock;
    this.defaultCodeTtl = b.codeTtl;
    this.codeTtls = Map.copyOf(b.codeTtls);
    this.maxTrackedCodes = b.maxTrackedCodes;
    this.queueDepth = b.queueDepth;
    this.salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    Clock ticking = clock;
    Ticker ticker = () -> {
      Instant now = ticking.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
    this.pending = Caffeine.newBuilder()
        .maximumSize(maxTrackedCodes)
        .ticker(ticker)
        .expireAfter(Expiry.<CodeRef, Issued>writing((ref, issued) -> issued.ttl()))
        .executor(Runnable::run) // removal counts are recorded by the thread that removes
        .scheduler(Scheduler.systemScheduler())
        .removalListener(this::removed)
        .build();
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
    Gauge.builder(CODES_PENDING, this, MailVerifyMetrics::trackedCodes)
        .description("codes sent and not yet verified, expired or superseded (the funnel's open entries)")
        .register(registry);
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
    pending.cleanUp();
  }

  /**
   * Returns how many codes the funnel is waiting on (an estimate, as the cache counts).
   *
   * @return the number of tracked codes
   */
  public long trackedCodes() {
    return pending.estimatedSize();
  }

  private double queueDepthNow() {
    IntSupplier supplier = queueDepth;
    return supplier == null ? Double.NaN : supplier.getAsInt();
  }

  private void onSend(VerificationEvent event) {
    Outcome outcome = event.outcome();
    String detail = event.detail();
    Tags tags = Tags.of("type", event.type().name(), "outcome", outcome.name(),
        "category", outcome == Outcome.DELIVERY_FAILED ? known(detail, CATEGORIES) : NONE,
        "limit", outcome == Outcome.RATE_LIMITED ? known(detail, LIMITS) : NONE,
        "reason", outcome == Outcome.INVALID_ADDRESS ? known(detail, REASONS) : NONE);
    count(SENDS, "send requests by outcome", tags);
    EmailAddress email = event.email();
    if ((outcome == Outcome.SENT || outcome == Outcome.QUEUED) && email != null) {
      count(CODES_ISSUED, "codes sent or queued", Tags.of("type", event.type().name()));
      pending.put(ref(event.type(), email), new Issued(event.type().name(), event.at(), ttl(event)));
    }
  }

  private void onVerify(VerificationEvent event) {
    Outcome outcome = event.outcome();
    String type = event.type().name();
    count(VERIFICATIONS, "verify calls by outcome", Tags.of("type", type, "outcome", outcome.name()));
    EmailAddress email = event.email();
    if (email == null || (outcome != Outcome.VERIFIED && outcome != Outcome.EXPIRED)) {
      return;
    }
    Issued issued = pending.asMap().remove(ref(event.type(), email));
    if (issued == null) {
      return; // sent before this binder started, untracked, or already counted
    }
    if (outcome == Outcome.VERIFIED) {
      Duration took = Duration.between(issued.sentAt(), event.at());
      Duration recorded = took.isNegative() ? Duration.ZERO : took;
      for (MeterRegistry r : registries) {
        Timer.builder(VERIFY_TIME)
            .description("time from a code's send to its successful verification")
            .tags("type", type)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofSeconds(1))
            .maximumExpectedValue(VerificationPolicy.MAX_TTL)
            .register(r)
            .record(recorded);
      }
    } else {
      unverified(issued.type(), "EXPIRED");
    }
  }

  private void onDeliver(VerificationEvent event) {
    Outcome outcome = event.outcome();
    String type = event.type().name();
    String category = outcome == Outcome.DELIVERY_FAILED ? known(event.detail(), CATEGORIES) : NONE;
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
    EmailAddress email = event.email();
    if (outcome == Outcome.DELIVERY_FAILED && email != null) {
      Issued issued = pending.asMap().remove(ref(event.type(), email));
      if (issued != null) {
        unverified(issued.type(), "UNDELIVERED");
      }
    }
  }

  /** Counts the funnel entries the cache removes on its own; explicit removals are counted where made. */
  private void removed(@Nullable CodeRef ref, @Nullable Issued issued, RemovalCause cause) {
    if (issued == null) {
      return;
    }
    switch (cause) {
      case EXPIRED -> unverified(issued.type(), "EXPIRED");
      case REPLACED -> unverified(issued.type(), "SUPERSEDED");
      case SIZE -> count(CODES_UNTRACKED, "codes dropped from the funnel because too many were pending",
          Tags.of("type", issued.type()));
      default -> {
        // EXPLICIT: verified, found expired or undelivered, counted by the caller
      }
    }
  }

  private void unverified(String type, String reason) {
    count(CODES_UNVERIFIED, "codes never verified, by why they ended", Tags.of("type", type, "reason", reason));
  }

  private void count(String name, String description, Tags tags) {
    for (MeterRegistry r : registries) {
      Counter.builder(name).description(description).tags(tags).register(r).increment();
    }
  }

  /** The code's lifetime: from the event's expiry when it has one, else the configured TTL for its type. */
  private Duration ttl(VerificationEvent event) {
    Instant expiresAt = event.expiresAt();
    if (expiresAt != null && expiresAt.isAfter(event.at())) {
      return Duration.between(event.at(), expiresAt);
    }
    return codeTtls.getOrDefault(event.type(), defaultCodeTtl);
  }

  /** A salted SHA-256 of type and address key, so the funnel never keeps an address. */
  private CodeRef ref(VerificationType type, EmailAddress email) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
    sha.update(salt);
    sha.update(type.name().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    ByteBuffer digest = ByteBuffer.wrap(sha.digest(email.key().getBytes(StandardCharsets.UTF_8)));
    return new CodeRef(digest.getLong(), digest.getLong());
  }

  private static String known(@Nullable String detail, Set<String> names) {
    if (detail == null) {
      return NONE;
    }
    return names.contains(detail) ? detail : OTHER;
  }

  private static Set<String> names(Enum<?>[] values) {
    return Stream.of(values).map(Enum::name).collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public String toString() {
    return "MailVerifyMetrics[registries=" + registries.size() + ", trackedCodes=" + trackedCodes()
        + ", maxTrackedCodes=" + maxTrackedCodes + ", codeTtl=" + defaultCodeTtl + "]";
  }

  /** 128 bits of a salted hash of (type, address): a funnel key that holds no address. */
  private record CodeRef(long high, long low) {}

  /** When a code was sent, its type's tag and how long the funnel waits for it. */
  private record Issued(String type, Instant sentAt, Duration ttl) {}

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
