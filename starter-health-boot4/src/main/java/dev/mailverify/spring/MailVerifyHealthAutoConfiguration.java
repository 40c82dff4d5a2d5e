package dev.mailverify.spring;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.smtp.SmtpSettings;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Actuator health for mailverify on Spring Boot 4 ({@code org.springframework.boot.health.contributor}):
 * {@code mailVerifySmtp} when mail goes through SMTP, and {@code mailVerifyStore} when codes live in a
 * shared store. Each check is bounded by the SMTP or store timeouts and its answer is reused for
 * {@code mailverify.health.cache-for} (30 s), so a probe every few seconds does not open a connection
 * each time. Turned off with {@code management.health.mailverify.enabled=false}. On Spring Boot 3.5
 * this class steps back (its health types are absent) and {@code MailVerifyBoot3HealthAutoConfiguration}
 * does the same.
 */
@AutoConfiguration(afterName = {"dev.mailverify.spring.MailVerifyAutoConfiguration",
    "dev.mailverify.spring.MailVerifyStoreAutoConfiguration"})
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
public class MailVerifyHealthAutoConfiguration {
  /** Creates the auto-configuration; Spring calls it. */
  public MailVerifyHealthAutoConfiguration() {}

  /** The indicators; nested so that Spring Boot 3 never reads their Boot 4 types. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnEnabledHealthIndicator("mailverify")
  static class Indicators {
    @Bean(HealthProbe.SMTP_INDICATOR)
    @ConditionalOnBean(SmtpSettings.class)
    @ConditionalOnMissingBean(name = HealthProbe.SMTP_INDICATOR)
    HealthIndicator mailVerifySmtpHealthIndicator(SmtpSettings settings, Environment environment,
        ObjectProvider<Clock> clock) {
      return indicator(new HealthProbe(HealthProbe.smtp(settings), clock.getIfAvailable(Clock::systemUTC),
          HealthProbe.cacheFor(environment)));
    }

    @Bean(HealthProbe.STORE_INDICATOR)
    @ConditionalOnBean(name = HealthProbe.SHARED_STORE_BEAN)
    @ConditionalOnMissingBean(name = HealthProbe.STORE_INDICATOR)
    HealthIndicator mailVerifyStoreHealthIndicator(CodeStore store, Environment environment,
        ObjectProvider<Clock> clock) {
      Clock c = clock.getIfAvailable(Clock::systemUTC);
      return indicator(new HealthProbe(HealthProbe.store(store, c), c, HealthProbe.cacheFor(environment)));
    }

    private static HealthIndicator indicator(HealthProbe probe) {
      return () -> {
        HealthProbe.Result r = probe.result();
        return (r.up() ? Health.up() : Health.down()).withDetails(r.details()).build();
      };
    }
  }
}
