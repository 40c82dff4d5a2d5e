package dev.mailverify.spring;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.transport.AsyncMailTransport;
import dev.mailverify.core.transport.BudgetedMailTransport;
import dev.mailverify.core.transport.FailoverMailTransport;
import dev.mailverify.core.transport.RetryPolicy;
import dev.mailverify.core.transport.SenderBudget;
import dev.mailverify.smtp.SmtpSettings;
import dev.mailverify.smtp.SmtpTransport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/** Builds the {@link MailVerifyDelivery} chain from the properties. */
final class Deliveries {
  private Deliveries() {}

  static MailVerifyDelivery build(MailVerifyProperties properties, MailTransport base, RateLimiter limiter,
      @Nullable SmtpSettings settings, Clock clock, @Nullable MailOutbox outbox) {
    String prefix = MailVerifyProperties.PREFIX;
    MailTransport t = base;
    MailVerifyProperties.Budget budget = properties.getBudget();
    if (budget.getPerDay() != null || budget.getPerMinute() != null) {
      String account = settings == null ? "default"
          : settings.username() != null ? settings.username() : settings.host();
      SenderBudget.Builder b = SenderBudget.builder(account);
      PropertySetter.apply(prefix + ".budget.per-day", budget.getPerDay(), b::perDay);
      PropertySetter.apply(prefix + ".budget.per-minute", budget.getPerMinute(), b::perMinute);
      PropertySetter.apply(prefix + ".budget.warn-at", budget.getWarnAt(), b::warnAt);
      t = BudgetedMailTransport.builder(t, b.build()).rateLimiter(limiter).clock(clock).build();
    }
    MailVerifyProperties.Failover failover = properties.getFailover();
    if (!failover.getServers().isEmpty()) {
      List<MailTransport> others = new ArrayList<>();
      for (int i = 0; i < failover.getServers().size(); i++) {
        others.add(SmtpTransport.create(SmtpSettingsResolver.failover(failover.getServers().get(i), i)));
      }
      FailoverMailTransport.Builder b = FailoverMailTransport.builder(t, others.toArray(new MailTransport[0]));
      PropertySetter.apply(prefix + ".failover.suspend-after", failover.getSuspendAfter(),
          b::suspendAfter);
      PropertySetter.apply(prefix + ".failover.suspension", failover.getSuspension(),
          b::suspension);
      t = b.clock(clock).build();
    }
    AsyncMailTransport async = null;
    MailVerifyProperties.Async a = properties.getAsync();
    if (a.isEnabled()) {
      MailVerifyProperties.Retry r = properties.getRetry();
      RetryPolicy.Builder rb = RetryPolicy.builder();
      PropertySetter.apply(prefix + ".retry.max-retries", r.getMaxRetries(), rb::maxRetries);
      PropertySetter.apply(prefix + ".retry.initial-backoff", r.getInitialBackoff(),
          rb::initialBackoff);
      PropertySetter.apply(prefix + ".retry.max-backoff", r.getMaxBackoff(), rb::maxBackoff);
      RetryPolicy retry;
      try {
        retry = rb.build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new InvalidConfigurationPropertyValueException(prefix + ".retry", "(retry)", e.getMessage());
      }
      AsyncMailTransport.Builder b = AsyncMailTransport.builder(t).retry(retry).clock(clock);
      PropertySetter.apply(prefix + ".async.workers", a.getWorkers(), b::workers);
      PropertySetter.apply(prefix + ".async.queue-size", a.getQueueSize(), b::capacity);
      PropertySetter.apply(prefix + ".async.drain-timeout", a.getDrainTimeout(), b::drainTimeout);
      if (outbox != null) {
        MailVerifyProperties.Outbox o = a.getOutbox();
        outbox(b, outbox, properties);
        PropertySetter.apply(prefix + ".async.outbox.lease", o.getLease(), b::lease);
        PropertySetter.apply(prefix + ".async.outbox.poll-interval", o.getPollInterval(), b::pollInterval);
        PropertySetter.apply(prefix + ".async.outbox.instance-id", o.getInstanceId(), b::instanceId);
      }
      async = b.build();
      t = async;
    }
    return new MailVerifyDelivery(base, t, async, outbox);
  }

  /**
   * The outbox seals each mail under the service's secret (C14), so it needs {@code mailverify.secret}
   * (and the previous secrets, for mails sealed before a rotation).
   */
  private static void outbox(AsyncMailTransport.Builder b, MailOutbox outbox, MailVerifyProperties properties) {
    if (properties.getSecret() == null) {
      throw new InvalidConfigurationPropertyValueException(SecretProperties.NAME, null, "a durable outbox ("
          + MailVerifyProperties.PREFIX + ".async.outbox.type) needs " + SecretProperties.NAME + ": it seals every"
          + " queued mail under it, so that the outbox holds no code or link in clear; give every instance the same"
          + " secret of 32 or more bytes");
    }
    SecretProperties.apply(properties, (current, previous) -> b.outbox(outbox, current, previous));
  }

}
