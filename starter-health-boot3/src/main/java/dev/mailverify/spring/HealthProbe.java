package dev.mailverify.spring;

import dev.mailverify.core.MailVerifyException;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.smtp.DiagnosticReport;
import dev.mailverify.smtp.DiagnosticStep;
import dev.mailverify.smtp.SmtpDiagnostics;
import dev.mailverify.smtp.SmtpSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * A health check whose answer is reused for a while, so a probe every few seconds does not open a
 * connection each time. One check runs at a time; callers during a check wait for its answer.
 * Each check is bounded by the timeouts of what it asks (SMTP settings, store timeout).
 *
 * <p>Independent of the Spring Boot line: the health indicators of Boot 3.5
 * ({@code MailVerifyBoot3HealthAutoConfiguration}) and of Boot 4.0
 * ({@code MailVerifyHealthAutoConfiguration}) both wrap it.
 */
final class HealthProbe {
  /** How long an answer is reused when {@value #CACHE_FOR} is not set. */
  static final Duration DEFAULT_CACHE_FOR = Duration.ofSeconds(30);

  /** The property that sets how long an answer is reused. */
  static final String CACHE_FOR = "mailverify.health.cache-for";

  /** Bean name of a shared (Redis or SQL) code store made by the starter: only a shared store gets a health check. */
  static final String SHARED_STORE_BEAN = "mailVerifySharedCodeStore";

  /** The health indicator bean of the SMTP server; actuator shows it as {@code mailVerifySmtp}. */
  static final String SMTP_INDICATOR = "mailVerifySmtpHealthIndicator";

  /** The health indicator bean of the shared store; actuator shows it as {@code mailVerifyStore}. */
  static final String STORE_INDICATOR = "mailVerifyStoreHealthIndicator";

  /** The answer of one check: up or down, with details free of secrets. */
  record Result(boolean up, Map<String, Object> details) {
    Result {
      details = Map.copyOf(details);
    }
  }

  private final Supplier<Result> check;
  private final Clock clock;
  private final Duration cacheFor;
  private @Nullable Result last;
  private @Nullable Instant checkedAt;
  private long checks;

  HealthProbe(Supplier<Result> check, Clock clock, Duration cacheFor) {
    this.check = Objects.requireNonNull(check, "check");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.cacheFor = Objects.requireNonNull(cacheFor, "cacheFor");
  }

  /**
   * How long answers are reused: {@value #CACHE_FOR}, bound the way the starter binds it.
   *
   * @param environment the application's environment
   * @return the duration, {@link #DEFAULT_CACHE_FOR} when not set
   */
  static Duration cacheFor(Environment environment) {
    return Binder.get(environment).bind(CACHE_FOR, Duration.class).orElse(DEFAULT_CACHE_FOR);
  }

  synchronized Result result() {
    Instant now = clock.instant();
    if (last == null || checkedAt == null || !now.isBefore(checkedAt.plus(cacheFor))) {
      Result fresh;
      try {
        fresh = check.get();
      } catch (RuntimeException e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("error", e.getClass().getSimpleName());
        fresh = new Result(false, details);
      }
      Map<String, Object> details = new LinkedHashMap<>(fresh.details());
      details.put("checkedAt", now.toString());
      last = new Result(fresh.up(), details);
      checkedAt = now;
      checks++;
    }
    return last;
  }

  synchronized long checks() {
    return checks;
  }

  /** Connects, says EHLO, does TLS and logs in, each step bounded by the settings' timeouts. */
  static Supplier<Result> smtp(SmtpSettings settings) {
    return () -> {
      DiagnosticReport report = SmtpDiagnostics.check(settings);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("server", report.target());
      details.put("elapsedMs", report.elapsed().toMillis());
      DiagnosticStep failure = report.firstFailure().orElse(null);
      if (failure != null) {
        details.put("failedStep", failure.kind().label());
        details.put("detail", failure.detail());
        failure.hintText().ifPresent(h -> details.put("hint", h));
      }
      return new Result(report.passed(), details);
    };
  }

  /** Asks the store for a token that does not exist: one bounded round trip, nothing written. */
  static Supplier<Result> store(CodeStore store, Clock clock) {
    return () -> {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("store", store.getClass().getSimpleName());
      long start = System.nanoTime();
      try {
        store.takeToken("mailverify-health-probe-0000000000000000000", null, clock.instant());
        details.put("elapsedMs", Duration.ofNanos(System.nanoTime() - start).toMillis());
        return new Result(true, details);
      } catch (MailVerifyException e) {
        details.put("error", e.getClass().getSimpleName());
        details.put("detail", String.valueOf(e.getMessage()));
        return new Result(false, details);
      }
    };
  }
}
