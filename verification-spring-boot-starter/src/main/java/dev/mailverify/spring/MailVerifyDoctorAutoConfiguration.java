package dev.mailverify.spring;

import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.RecipientCheck;
import dev.mailverify.smtp.SmtpSettings;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@link MailVerifyDoctorEndpoint} when actuator is on the class path and the endpoint is
 * exposed ({@code management.endpoints.web.exposure.include=mailverify}); the same on Spring Boot
 * 3.5 and 4.0, whose endpoint annotations share one package.
 */
@AutoConfiguration(after = {MailVerifyAutoConfiguration.class, MailVerifyStoreAutoConfiguration.class})
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(VerificationCodeService.class)
public class MailVerifyDoctorAutoConfiguration {
  /** Creates the auto-configuration; Spring calls it. */
  public MailVerifyDoctorAutoConfiguration() {}

  /**
   * The endpoint.
   *
   * @param settings the SMTP settings, when mail goes through SMTP
   * @param properties the properties
   * @param environment the environment
   * @param beans the bean factory, to describe the wiring
   * @param store the code store
   * @param limiter the rate limiter
   * @param delivery the delivery chain
   * @param recipientCheck the recipient check, if any
   * @return the endpoint
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(endpoint = MailVerifyDoctorEndpoint.class)
  public MailVerifyDoctorEndpoint mailVerifyDoctorEndpoint(ObjectProvider<SmtpSettings> settings,
      MailVerifyProperties properties, Environment environment, ListableBeanFactory beans, CodeStore store,
      RateLimiter limiter, MailVerifyDelivery delivery, ObjectProvider<RecipientCheck> recipientCheck) {
    return new MailVerifyDoctorEndpoint(settings.getIfAvailable(),
        () -> StartupReport.describe(properties, environment, beans, store, limiter, delivery,
            recipientCheck.getIfUnique()));
  }
}
