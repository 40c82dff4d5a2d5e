package dev.mailverify.spring;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.smtp.SmtpSettings;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;

/**
 * Actuator health for mailverify (Spring Boot 4): {@code mailVerifySmtp} when mail goes
 * through SMTP, and {@code mailVerifyStore} when codes live in a shared store. Each check is bounded
 * by the SMTP or store timeouts and its answer is reused for {@code mailverify.health.cache-for}
 * (30 s), so a probe every few seconds does not open a connection each time. Turned off with
 * {@code management.health.mailverify.enabled=false}.
 */
@AutoConfiguration(after = MailVerifyAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("mailverify")
public class MailVerifyHealthAutoConfiguration {
  /** Creates the auto-configuration; Spring calls it. */
  public MailVerifyHealthAutoConfiguration() {}

  /**
   * Health of the SMTP server.
   *
   * @param settings the SMTP settings
   * @param properties the properties
   * @param clock a Clock bean if the application has one
   * @return the indicator
   */
  @Bean
  @ConditionalOnBean(SmtpSettings.class)
  @ConditionalOnMissingBean(name = "mailVerifySmtpHealthIndicator")
  public HealthIndicator mailVerifySmtpHealthIndicator(SmtpSettings settings, MailVerifyProperties properties,
      ObjectProvider<Clock> clock) {
    return indicator(new HealthProbe(HealthProbe.smtp(settings), clock.getIfAvailable(Clock::systemUTC),
        properties.getHealth().getCacheFor()));
  }

  /**
   * Health of the shared code store.
   *
   * @param store the store
   * @param properties the properties
   * @param clock a Clock bean if the application has one
   * @return the indicator
   */
  @Bean
  @ConditionalOnBean(name = MailVerifyStoreConfiguration.SHARED_STORE)
  @ConditionalOnMissingBean(name = "mailVerifyStoreHealthIndicator")
  public HealthIndicator mailVerifyStoreHealthIndicator(CodeStore store, MailVerifyProperties properties,
      ObjectProvider<Clock> clock) {
    Clock c = clock.getIfAvailable(Clock::systemUTC);
    return indicator(new HealthProbe(HealthProbe.store(store, c), c, properties.getHealth().getCacheFor()));
  }

  static HealthIndicator indicator(HealthProbe probe) {
    return () -> {
      HealthProbe.Result r = probe.result();
      return (r.up() ? Health.up() : Health.down()).withDetails(r.details()).build();
    };
  }
}
