package dev.mailverify.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendRequest;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.VerificationEvent.Action;
import dev.mailverify.core.VerificationEvent.Outcome;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.MutableClock;
import dev.mailverify.test.Race;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MailVerifyMetricsTest {
  private static final String EMAIL = "user@example.com";
  private static final String CLIENT = "203.0.113.7";
  private static final Duration TTL = Duration.ofMinutes(10);
  /** Caffeine's timer wheel expires entries up to about 1.07 s (2^30 ns) after their time. */
  private static final Duration SLACK = Duration.ofMillis(1100);

  private final MutableClock clock = MutableClock.start();
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private MailVerifyMetrics metrics = MailVerifyMetrics.builder().clock(clock).codeTtl(TTL).build();
  private VerificationCodeService service = service(metrics);

  private VerificationCodeService service(MailVerifyMetrics m) {
    m.bindTo(registry);
    return VerificationCodeService.builder().transport(outbox).clock(clock).listener(m).build();
  }

  private void rebuild(Consumer<MailVerifyMetrics.Builder> customize) {
    MailVerifyMetrics.Builder b = MailVerifyMetrics.builder().clock(clock).codeTtl(TTL);
    customize.accept(b);
    metrics = b.build();
    service = service(metrics);
  }

  private SendResult send(String email) {
    return service.sendVerificationCode(email, VerificationType.REGISTER, TTL);
  }

  private VerifyResult verify(String email, String code) {
    return service.verifyCode(email, VerificationType.REGISTER, code);
  }

  private String code(String email) {
    return outbox.latestCode(email).orElseThrow();
  }

  private double count(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private double sends(String outcome) {
    return count(MailVerifyMetrics.SENDS, "type", "register", "outcome", outcome);
  }

  private double unverified(String reason) {
    return count(MailVerifyMetrics.CODES_UNVERIFIED, "type", "register", "reason", reason);
  }

  private double gauge(String name) {
    Gauge g = registry.find(name).gauge();
    assertThat(g).as(name).isNotNull();
    return g.value();
  }

  private static String wrong(String code) {
    char last = code.charAt(code.length() - 1);
    return code.substring(0, code.length() - 1) + (last == '9' ? '0' : (char) (last + 1));
  }

  private static VerificationEvent deliver(Outcome outcome, String email, int attempts, Duration elapsed,
      DeliveryException.@Nullable Category category) {
    return deliverBuilder(outcome, email, attempts, elapsed).deliveryCategory(category).build();
  }

  private static VerificationEvent.Builder deliverBuilder(Outcome outcome, String email, int attempts,
      Duration elapsed) {
    return VerificationEvent.builder(MutableClock.start().instant(), Action.DELIVER, VerificationType.REGISTER,
        outcome).email(EmailAddress.parse(email)).attempts(attempts).elapsed(elapsed);
  }

  @Nested
  @DisplayName("sends")
  class Sends {
    @Test
    @DisplayName("C17: a sent code counts as SENT with category, limit and reason none, and as an issued code")
    void sentCode() {
      assertThat(send(EMAIL)).isInstanceOf(SendResult.Sent.class);

      assertThat(count(MailVerifyMetrics.SENDS, "type", "register", "outcome", "SENT", "category", "none",
          "limit", "none", "reason", "none")).isEqualTo(1);
      assertThat(count(MailVerifyMetrics.CODES_ISSUED, "type", "register")).isEqualTo(1);
      assertThat(gauge(MailVerifyMetrics.CODES_PENDING)).isEqualTo(1);
    }

    @Test
    @DisplayName("C10, C17: a send inside the cooldown counts as RATE_LIMITED with limit COOLDOWN, and issues no code")
    void rateLimited() {
      send(EMAIL);
      assertThat(send(EMAIL)).isInstanceOf(SendResult.RateLimited.class);

      assertThat(count(MailVerifyMetrics.SENDS, "outcome", "RATE_LIMITED", "limit", "COOLDOWN", "category", "none"))
          .isEqualTo(1);
      assertThat(count(MailVerifyMetrics.CODES_ISSUED, "type", "register")).isEqualTo(1);
    }

    @Test
    @DisplayName("C18, C17: a refused address counts as INVALID_ADDRESS with its reason, never the address")
    void invalidAddress() {
      assertThat(send("not an address")).isInstanceOf(SendResult.InvalidAddress.class);

      Counter c = registry.find(MailVerifyMetrics.SENDS).tags("outcome", "INVALID_ADDRESS").counter();
      assertThat(c).isNotNull();
      assertThat(c.count()).isEqualTo(1);
      assertThat(c.getId().getTag("reason")).isEqualTo("SYNTAX");
      assertThat(count(MailVerifyMetrics.CODES_ISSUED, "type", "register")).isZero();
    }

    @Test
    @DisplayName("C17: a transport failure counts as DELIVERY_FAILED with its category, and issues no code")
    void deliveryFailed() {
      outbox.failNext(new DeliveryException(DeliveryException.Category.AUTHENTICATION, "535 refused", null),
          new DeliveryException(DeliveryException.Category.SERVER_BUSY, "451 try later", null));
      assertThat(send(EMAIL)).isInstanceOf(SendResult.DeliveryFailed.class);
      assertThat(send("other@example.com")).isInstanceOf(SendResult.DeliveryFailed.class);
      assertThat(send("third@example.com")).isInstanceOf(SendResult.Sent.class);

      assertThat(count(MailVerifyMetrics.SENDS, "outcome", "DELIVERY_FAILED", "category", "AUTHENTICATION"))
          .isEqualTo(1);
      assertThat(count(MailVerifyMetrics.SENDS, "outcome", "DELIVERY_FAILED", "category", "SERVER_BUSY"))
          .isEqualTo(1);
      assertThat(sends("SENT")).isEqualTo(1);
      assertThat(count(MailVerifyMetrics.CODES_ISSUED, "type", "register")).isEqualTo(1);
      assertThat(metrics.trackedCodes()).isEqualTo(1);
    }

    @Test
    @DisplayName("types are tagged by name, each with its own series")
    void typesAreSeparate() {
      send(EMAIL);
      service.sendVerificationCode(EMAIL, VerificationType.RESET_PASSWORD, TTL);

      assertThat(count(MailVerifyMetrics.SENDS, "type", "register", "outcome", "SENT")).isEqualTo(1);
      assertThat(count(MailVerifyMetrics.SENDS, "type", "reset_password", "outcome", "SENT")).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("verifications and redemptions")
  class Verifications {
    @Test
    @DisplayName("C17: wrong, right, used and unknown codes count as INVALID, VERIFIED and NOT_FOUND")
    void verifyOutcomes() {
      send(EMAIL);
      String code = code(EMAIL);

      assertThat(verify(EMAIL, wrong(code))).isInstanceOf(VerifyResult.Invalid.class);
      assertThat(verify(EMAIL, code)).isInstanceOf(VerifyResult.Verified.class);
      assertThat(verify(EMAIL, code)).isInstanceOf(VerifyResult.NotFound.class);
      assertThat(verify("nobody@example.com", code)).isInstanceOf(VerifyResult.NotFound.class);

      assertThat(count(MailVerifyMetrics.VERIFICATIONS, "type", "register", "outcome", "INVALID")).isEqualTo(1);
      assertThat(count(MailVerifyMetrics.VERIFICATIONS, "type", "register", "outcome", "VERIFIED")).isEqualTo(1);
      assertThat(count(MailVerifyMetrics.VERIFICATIONS, "type", "register", "outcome", "NOT_FOUND")).isEqualTo(2);
    }

    @Test
    @DisplayName("C6, C17: the sixth try on a code locked by five wrong ones counts as LOCKED")
    void locked() {
      send(EMAIL);
      String code = code(EMAIL);
      for (int i = 0; i < 5; i++) {
        verify(EMAIL, wrong(code));
      }
      assertThat(verify(EMAIL, code)).isInstanceOf(VerifyResult.Locked.class);

      assertThat(count(MailVerifyMetrics.VERIFICATIONS, "outcome", "INVALID")).isEqualTo(5);
      assertThat(count(MailVerifyMetrics.VERIFICATIONS, "outcome", "LOCKED")).isEqualTo(1);
    }

    @Test
    @DisplayName("C9, C17: a redeemed token counts as REDEEMED, a second redemption as REDEEM_FAILED")
    void redemptions() {
      send(EMAIL);
      String token = ((VerifyResult.Verified) verify(EMAIL, code(EMAIL))).token();

      assertThat(service.redeemToken(token, VerificationType.REGISTER)).contains(EMAIL);
      assertThat(service.redeemToken(token, VerificationType.REGISTER)).isEmpty();

      assertThat(count(MailVerifyMetrics.REDEMPTIONS, "type", "register", "outcome", "REDEEMED")).isEqualTo(1);
      assertThat(count(MailVerifyMetrics.REDEMPTIONS, "type", "register", "outcome", "REDEEM_FAILED")).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("the funnel")
  class Funnel {
    @Test
    @DisplayName("the verify-time timer records the time from send to verification by the service's clock, with a histogram")
    void verifyTime() {
      Map<String, DistributionStatisticConfig> configs = new ConcurrentHashMap<>();
      registry.config().meterFilter(new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
          configs.put(id.getName(), config);
          return config;
        }
      });
      send(EMAIL);
      clock.advance(Duration.ofSeconds(90));
      verify(EMAIL, code(EMAIL));

      Timer timer = registry.find(MailVerifyMetrics.VERIFY_TIME).tags("type", "register").timer();
      assertThat(timer).isNotNull();
      assertThat(timer.count()).isEqualTo(1);
      assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(90);
      assertThat(configs.get(MailVerifyMetrics.VERIFY_TIME).isPercentileHistogram()).isTrue();
      assertThat(metrics.trackedCodes()).isZero();
      metrics.cleanUp();
      assertThat(unverified("EXPIRED")).isZero();
    }

    @Test
    @DisplayName("C3: a code not verified is still pending at TTL-1ms and counts as unverified soon after its TTL")
    void expiredCodeCountsAsUnverified() {
      send(EMAIL);

      clock.advance(TTL.minusMillis(1));
      metrics.cleanUp();
      assertThat(unverified("EXPIRED")).isZero();
      assertThat(gauge(MailVerifyMetrics.CODES_PENDING)).isEqualTo(1);

      clock.advance(SLACK);
      metrics.cleanUp();
      assertThat(unverified("EXPIRED")).isEqualTo(1);
      assertThat(gauge(MailVerifyMetrics.CODES_PENDING)).isZero();
      assertThat(registry.find(MailVerifyMetrics.VERIFY_TIME).timer()).isNull();
    }

    @Test
    @DisplayName("C3: a code sent with its own TTL counts as unverified after that TTL, read from the SEND event")
    void perSendTtlFromTheEvent() {
      Duration thirtyMinutes = Duration.ofMinutes(30);
      service.sendVerificationCode(EMAIL, VerificationType.REGISTER, thirtyMinutes);

      clock.advance(TTL.plus(SLACK)); // the configured 10 minutes have passed, the code's 30 have not
      metrics.cleanUp();
      assertThat(unverified("EXPIRED")).isZero();
      assertThat(gauge(MailVerifyMetrics.CODES_PENDING)).isEqualTo(1);

      clock.advance(thirtyMinutes.minus(TTL));
      metrics.cleanUp();
      assertThat(unverified("EXPIRED")).isEqualTo(1);
    }

    @Test
    @DisplayName("C3: an expired code counts as unverified once, whether a verification or the clean-up finds it first")
    void expiredCountsOnce() {
      send(EMAIL);
      clock.advance(TTL.plusSeconds(1));
      assertThat(verify(EMAIL, code(EMAIL))).isInstanceOf(VerifyResult.Expired.class);
      assertThat(unverified("EXPIRED")).isEqualTo(1);
      metrics.cleanUp();
      assertThat(unverified("EXPIRED")).isEqualTo(1);

      send("other@example.com");
      clock.advance(TTL.plus(SLACK));
      metrics.cleanUp();
      assertThat(unverified("EXPIRED")).isEqualTo(2);
      assertThat(verify("other@example.com", code("other@example.com"))).isInstanceOf(VerifyResult.Expired.class);
      assertThat(unverified("EXPIRED")).isEqualTo(2);
      assertThat(count(MailVerifyMetrics.CODES_ISSUED, "type", "register")).isEqualTo(2);
    }

    @Test
    @DisplayName("C4: a resend supersedes the old code (unverified), and the verify time runs from the new send")
    void resendSupersedes() {
      send(EMAIL);
      clock.advance(Duration.ofSeconds(61)); // past the cooldown
      assertThat(send(EMAIL)).isInstanceOf(SendResult.Sent.class);
      assertThat(unverified("SUPERSEDED")).isEqualTo(1);

      clock.advance(Duration.ofSeconds(30));
      verify(EMAIL, code(EMAIL));

      Timer timer = registry.find(MailVerifyMetrics.VERIFY_TIME).timer();
      assertThat(timer.count()).isEqualTo(1);
      assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(30);
      assertThat(count(MailVerifyMetrics.CODES_ISSUED, "type", "register")).isEqualTo(2);
    }

    @Test
    @DisplayName("the TTL per type applies; the last codeTtl call wins")
    void ttlPerType() {
      rebuild(b -> b.codeTtl(Duration.ofMinutes(5)).codeTtl(Duration.ofMinutes(20))
          .codeTtl(VerificationType.LOGIN, Duration.ofMinutes(2)));
      send(EMAIL);
      service.sendVerificationCode(EMAIL, VerificationType.LOGIN, Duration.ofMinutes(2));

      clock.advance(Duration.ofMinutes(3));
      metrics.cleanUp();
      assertThat(count(MailVerifyMetrics.CODES_UNVERIFIED, "type", "login", "reason", "EXPIRED")).isEqualTo(1);
      assertThat(unverified("EXPIRED")).isZero();

      clock.advance(Duration.ofMinutes(17));
      metrics.cleanUp();
      assertThat(unverified("EXPIRED")).isEqualTo(1);
    }

    @Test
    @DisplayName("beyond maxTrackedCodes the funnel drops codes and counts them as untracked, not unverified")
    void bounded() {
      rebuild(b -> b.maxTrackedCodes(2));
      for (int i = 0; i < 5; i++) {
        send("user" + i + "@example.com");
      }
      metrics.cleanUp();

      double untracked = count(MailVerifyMetrics.CODES_UNTRACKED, "type", "register");
      assertThat(metrics.trackedCodes()).isEqualTo(2);
      assertThat(untracked).isEqualTo(3);
      clock.advance(TTL.plus(SLACK));
      metrics.cleanUp();
      assertThat(unverified("EXPIRED")).isEqualTo(2);
    }
  }

  @Nested
  @DisplayName("asynchronous delivery")
  class Delivery {
    @Test
    @DisplayName("C25, C27: DELIVER events feed deliveries, attempts, retries and delivery time")
    void deliverEvents() {
      metrics.onEvent(deliver(Outcome.DELIVERED, EMAIL, 3, Duration.ofSeconds(2), null));
      metrics.onEvent(deliver(Outcome.DELIVERED, EMAIL, 1, Duration.ofMillis(300), null));
      metrics.onEvent(deliver(Outcome.DELIVERY_FAILED, EMAIL, 1, Duration.ofMillis(100),
          DeliveryException.Category.AUTHENTICATION));

      assertThat(count(MailVerifyMetrics.DELIVERIES, "outcome", "DELIVERED", "category", "none")).isEqualTo(2);
      assertThat(count(MailVerifyMetrics.DELIVERIES, "outcome", "DELIVERY_FAILED", "category", "AUTHENTICATION"))
          .isEqualTo(1);
      DistributionSummary attempts = registry.find(MailVerifyMetrics.DELIVERY_ATTEMPTS)
          .tags("outcome", "DELIVERED").summary();
      assertThat(attempts.count()).isEqualTo(2);
      assertThat(attempts.totalAmount()).isEqualTo(4);
      assertThat(attempts.max()).isEqualTo(3);
      assertThat(count(MailVerifyMetrics.DELIVERY_RETRIES, "outcome", "DELIVERED")).isEqualTo(2);
      assertThat(count(MailVerifyMetrics.DELIVERY_RETRIES, "outcome", "DELIVERY_FAILED")).isZero();
      Timer time = registry.find(MailVerifyMetrics.DELIVERY_TIME).tags("outcome", "DELIVERED").timer();
      assertThat(time.count()).isEqualTo(2);
      assertThat(time.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2300);
    }

    @Test
    @DisplayName("C25: a queued code whose mail finally fails counts as unverified UNDELIVERED, at once")
    void undelivered() {
      metrics.onEvent(VerificationEvent.builder(clock.instant(), Action.SEND, VerificationType.REGISTER,
          Outcome.QUEUED).email(EmailAddress.parse(EMAIL)).build());
      assertThat(sends("QUEUED")).isEqualTo(1);
      assertThat(count(MailVerifyMetrics.CODES_ISSUED, "type", "register")).isEqualTo(1);

      metrics.onEvent(deliver(Outcome.DELIVERY_FAILED, EMAIL, 3, Duration.ofSeconds(40),
          DeliveryException.Category.SERVER_BUSY));

      assertThat(unverified("UNDELIVERED")).isEqualTo(1);
      assertThat(metrics.trackedCodes()).isZero();
      clock.advance(TTL.plus(SLACK));
      metrics.cleanUp();
      assertThat(unverified("EXPIRED")).isZero();
    }

    @Test
    @DisplayName("the queue-depth gauge reads the supplier given; without one there is no gauge")
    void queueDepth() {
      assertThat(registry.find(MailVerifyMetrics.QUEUE_DEPTH).gauge()).isNull();

      AtomicInteger queued = new AtomicInteger();
      SimpleMeterRegistry other = new SimpleMeterRegistry();
      MailVerifyMetrics withQueue = MailVerifyMetrics.builder().queueDepth(queued::get).build();
      withQueue.bindTo(other);
      queued.set(7);

      assertThat(other.get(MailVerifyMetrics.QUEUE_DEPTH).gauge().value()).isEqualTo(7);
      queued.set(0);
      assertThat(other.get(MailVerifyMetrics.QUEUE_DEPTH).gauge().value()).isZero();
    }
  }

  @Nested
  @DisplayName("safety")
  class Safety {
    @Test
    @DisplayName("C16: no meter name or tag carries an address, a client key, a code or a token")
    void noAddressInMeters() {
      service.sendVerificationCode(SendRequest.builder(EMAIL, VerificationType.REGISTER).clientKey(CLIENT).build());
      service.sendVerificationCode(SendRequest.builder(EMAIL, VerificationType.REGISTER).clientKey(CLIENT).build());
      outbox.failNext(new DeliveryException(DeliveryException.Category.RECIPIENT_REJECTED,
          "550 no such user other@example.com", null));
      send("other@example.com");
      send("bad@@example.com");
      String code = code(EMAIL);
      verify(EMAIL, wrong(code));
      String token = ((VerifyResult.Verified) verify(EMAIL, code)).token();
      service.redeemToken(token, VerificationType.REGISTER);
      service.redeem(token, VerificationType.REGISTER, EMAIL);
      // a detail that is not a known name (here an address) is tagged "other"
      metrics.onEvent(deliverBuilder(Outcome.DELIVERY_FAILED, EMAIL, 1, Duration.ofMillis(5)).detail("user@example.com")
          .build());
      clock.advance(TTL.plusMinutes(1));
      metrics.cleanUp();

      assertThat(registry.getMeters()).hasSizeGreaterThan(8);
      for (Meter meter : registry.getMeters()) {
        Meter.Id id = meter.getId();
        assertThat(id.getName()).doesNotContain("@");
        for (Tag tag : id.getTags()) {
          assertThat(tag.getValue()).as(id.toString())
              .doesNotContain("@").doesNotContain(CLIENT).doesNotContain(code).doesNotContain(token);
        }
      }
      assertThat(count(MailVerifyMetrics.DELIVERIES, "outcome", "DELIVERY_FAILED", "category", "other"))
          .isEqualTo(1);
      assertThat(metrics.toString()).doesNotContain("@");
    }

    @Test
    @DisplayName("C17: a registry that throws never changes the service's outcome")
    void throwingRegistryDoesNotBreakTheService() {
      registry.config().meterFilter(new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
          throw new IllegalStateException("registry down");
        }
      });

      assertThat(send(EMAIL)).isInstanceOf(SendResult.Sent.class);
      assertThat(verify(EMAIL, code(EMAIL))).isInstanceOf(VerifyResult.Verified.class);
      assertThat(outbox.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("every bound registry gets the meters; binding one twice counts once")
    void severalRegistries() {
      SimpleMeterRegistry second = new SimpleMeterRegistry();
      metrics.bindTo(second);
      metrics.bindTo(registry);

      send(EMAIL);

      assertThat(sends("SENT")).isEqualTo(1);
      assertThat(second.get(MailVerifyMetrics.SENDS).tags("outcome", "SENT").counter().count()).isEqualTo(1);
      assertThat(second.find(MailVerifyMetrics.CODES_PENDING).gauge()).isNotNull();
    }

    @Test
    @DisplayName("20 threads sending and verifying at once are each counted exactly once")
    void concurrentEventsAreCountedExactly() throws Exception {
      List<Boolean> verified = Race.run(20, i -> {
        String email = "racer" + i + "@example.com";
        send(email);
        return verify(email, code(email)) instanceof VerifyResult.Verified;
      });

      assertThat(verified).containsOnly(true).hasSize(20);
      assertThat(sends("SENT")).isEqualTo(20);
      assertThat(count(MailVerifyMetrics.VERIFICATIONS, "outcome", "VERIFIED")).isEqualTo(20);
      assertThat(registry.get(MailVerifyMetrics.VERIFY_TIME).timer().count()).isEqualTo(20);
      assertThat(metrics.trackedCodes()).isZero();
    }

    @Test
    @DisplayName("the builder names the field in each refusal")
    void builderValidates() {
      MailVerifyMetrics.Builder b = MailVerifyMetrics.builder();
      assertThatThrownBy(() -> b.codeTtl(Duration.ofSeconds(30))).hasMessageContaining("codeTtl");
      assertThatThrownBy(() -> b.codeTtl(Duration.ofHours(25))).hasMessageContaining("codeTtl");
      assertThatThrownBy(() -> b.maxTrackedCodes(0)).hasMessageContaining("maxTrackedCodes");
      assertThatThrownBy(() -> b.clock(null)).hasMessageContaining("clock");
      assertThatThrownBy(() -> b.queueDepth(null)).hasMessageContaining("queueDepth");
      assertThatThrownBy(() -> b.codeTtl(null, TTL)).hasMessageContaining("type");
      assertThat(b.build().trackedCodes()).isZero();
    }
  }
}
