package dev.mailverify.micrometer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.VerificationEvent.Outcome;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.VerificationType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The send-to-verify funnel of {@link MailVerifyMetrics}: counts the codes issued, times each
 * code's way from send to verification ({@value MailVerifyMetrics#VERIFY_TIME}) and counts the
 * codes never verified ({@value MailVerifyMetrics#CODES_UNVERIFIED}: expired, superseded,
 * undelivered).
 *
 * <p>It remembers when each code was sent, keyed by a salted SHA-256 of the type and address (the
 * address itself is not kept), in a bounded cache whose entries expire with the code; see
 * {@link MailVerifyMetrics} for how exact the expiry is. Thread-safe.
 */
final class SendToVerifyFunnel {
  private final Duration defaultCodeTtl;
  private final Map<VerificationType, Duration> codeTtls;
  private final List<MeterRegistry> registries;
  private final byte[] salt = new byte[16];
  private final Cache<CodeRef, Issued> pending;

  /**
   * Creates the funnel.
   *
   * @param clock drives the expiry of the entries; the service's clock
   * @param defaultCodeTtl the TTL of events without an expiry and of types without their own
   * @param codeTtls the TTL per type
   * @param maxTrackedCodes the most codes remembered
   * @param registries the registries to record in, shared with the binder and read at every event
   */
  SendToVerifyFunnel(Clock clock, Duration defaultCodeTtl, Map<VerificationType, Duration> codeTtls,
      long maxTrackedCodes, List<MeterRegistry> registries) {
    this.defaultCodeTtl = defaultCodeTtl;
    this.codeTtls = Map.copyOf(codeTtls);
    this.registries = registries;
    new SecureRandom().nextBytes(salt);
    Ticker ticker = () -> {
      Instant now = clock.instant();
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

  /** Registers the gauge of open entries. */
  void bindTo(MeterRegistry registry) {
    Gauge.builder(MailVerifyMetrics.CODES_PENDING, this, SendToVerifyFunnel::trackedCodes)
        .description("codes sent and not yet verified, expired or superseded (the funnel's open entries)")
        .register(registry);
  }

  /** A SEND event: a sent or queued code enters the funnel (replacing, and so superseding, an older one). */
  void onSend(VerificationEvent event) {
    EmailAddress email = event.email();
    if ((event.outcome() == Outcome.SENT || event.outcome() == Outcome.QUEUED) && email != null) {
      count(MailVerifyMetrics.CODES_ISSUED, "codes sent or queued", Tags.of("type", event.type().name()));
      pending.put(ref(event.type(), email), new Issued(event.type().name(), event.at(), ttl(event)));
    }
  }

  /** A VERIFY event: a verified code is timed, an expired one counted; either leaves the funnel. */
  void onVerify(VerificationEvent event) {
    Outcome outcome = event.outcome();
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
        Timer.builder(MailVerifyMetrics.VERIFY_TIME)
            .description("time from a code's send to its successful verification")
            .tags("type", event.type().name())
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

  /** A DELIVER event: a queued code whose mail finally failed leaves the funnel, unverified. */
  void onDeliver(VerificationEvent event) {
    EmailAddress email = event.email();
    if (event.outcome() == Outcome.DELIVERY_FAILED && email != null) {
      Issued issued = pending.asMap().remove(ref(event.type(), email));
      if (issued != null) {
        unverified(issued.type(), "UNDELIVERED");
      }
    }
  }

  /** Runs the cache's pending maintenance, counting the entries whose TTL has passed. */
  void cleanUp() {
    pending.cleanUp();
  }

  /** How many codes the funnel is waiting on (an estimate, as the cache counts). */
  long trackedCodes() {
    return pending.estimatedSize();
  }

  /** Counts the entries the cache removes on its own; explicit removals are counted where made. */
  private void removed(@Nullable CodeRef ref, @Nullable Issued issued, RemovalCause cause) {
    if (issued == null) {
      return;
    }
    switch (cause) {
      case EXPIRED -> unverified(issued.type(), "EXPIRED");
      case REPLACED -> unverified(issued.type(), "SUPERSEDED");
      case SIZE -> count(MailVerifyMetrics.CODES_UNTRACKED, "codes dropped from the funnel because too many were pending",
          Tags.of("type", issued.type()));
      default -> {
        // EXPLICIT: verified, found expired or undelivered, counted by the caller
      }
    }
  }

  private void unverified(String type, String reason) {
    count(MailVerifyMetrics.CODES_UNVERIFIED, "codes never verified, by why they ended",
        Tags.of("type", type, "reason", reason));
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

  /** 128 bits of a salted hash of (type, address): a funnel key that holds no address. */
  private record CodeRef(long high, long low) {}

  /** When a code was sent, its type's tag and how long the funnel waits for it. */
  private record Issued(String type, Instant sentAt, Duration ttl) {}
}
