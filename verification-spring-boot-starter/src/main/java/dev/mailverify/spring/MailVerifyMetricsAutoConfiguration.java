package dev.mailverify.spring;

import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.micrometer.MailVerifyMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Metrics of sends, deliveries, verifications and redemptions through {@code verification-micrometer}
 * when Micrometer and that module are on the class path. The {@link MailVerifyMetrics} bean is both a
 * listener of the service and a {@code MeterBinder}, which Spring Boot binds to its registries.
 */
@AutoConfiguration(before = MailVerifyAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, MailVerifyMetrics.class})
public class MailVerifyMetricsAutoConfiguration {
  /** Creates the auto-configuration; Spring calls it. */
  public MailVerifyMetricsAutoConfiguration() {}

  /**
   * The metrics listener and binder.
   *
   * @param properties the properties (for the code validity)
   * @param clock a Clock bean if the application has one
   * @param delivery the delivery chain, for the depth of the asynchronous queue
   * @return the metrics
   */
  @Bean
  @ConditionalOnMissingBean
  public MailVerifyMetrics mailVerifyMetrics(MailVerifyProperties properties, ObjectProvider<Clock> clock,
      ObjectProvider<MailVerifyDelivery> delivery) {
    VerificationPolicy policy = MailVerifyAutoConfiguration.policy(VerificationPolicy.defaults(),
        properties.getPolicy(), MailVerifyProperties.PREFIX + ".policy");
    return MailVerifyMetrics.builder()
        .clock(clock.getIfAvailable(Clock::systemUTC))
        .codeTtl(policy.defaultTtl())
        .queueDepth(() -> {
          MailVerifyDelivery d = delivery.getIfAvailable();
          return d == null ? 0 : d.queued();
        })
        .build();
  }
}
