package dev.mailverify.spring;

import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.TemplateRenderer;
import dev.mailverify.spring.security.MailVerifyOneTimeTokenService;
import dev.mailverify.spring.security.MailVerifyOneTimeTokenSuccessHandler;
import java.time.Clock;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.ott.OneTimeTokenService;
import org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler;

/**
 * Spring Security's one-time-token login, delivered by mailverify, when Spring Security is on the
 * class path: a {@link MailVerifyOneTimeTokenService} (hashed, single-use tokens in the code store,
 * rate-limited with the policy's cooldown and per-address cap) and, with
 * {@code mailverify.templates.base-url} set, a {@link MailVerifyOneTimeTokenSuccessHandler} that mails
 * the link. Turn the login on in the filter chain with {@code http.oneTimeTokenLogin(Customizer.withDefaults())};
 * both beans step back when the application declares its own.
 */
@AutoConfiguration(after = {MailVerifyAutoConfiguration.class, MailVerifyStoreAutoConfiguration.class})
@ConditionalOnClass(name = {"org.springframework.security.authentication.ott.OneTimeTokenService",
    "org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler"})
@ConditionalOnBean({CodeStore.class, MailVerifyDelivery.class, TemplateRenderer.class})
public class MailVerifySecurityAutoConfiguration {
  /** Creates the auto-configuration; Spring calls it. */
  public MailVerifySecurityAutoConfiguration() {}

  /**
   * The token service.
   *
   * @param store the code store
   * @param limiter the rate limiter
   * @param properties the properties (the policy's cooldown and per-address cap)
   * @param clock a Clock bean if the application has one
   * @return the service
   */
  @Bean
  @ConditionalOnMissingBean(OneTimeTokenService.class)
  public MailVerifyOneTimeTokenService mailVerifyOneTimeTokenService(CodeStore store, RateLimiter limiter,
      MailVerifyProperties properties, ObjectProvider<Clock> clock) {
    VerificationPolicy policy = MailVerifyAutoConfiguration.policy(VerificationPolicy.defaults(), properties.getPolicy(),
        MailVerifyProperties.PREFIX + ".policy");
    return new MailVerifyOneTimeTokenService(store, limiter, clock.getIfAvailable(Clock::systemUTC),
        VerificationType.LOGIN, policy.cooldown(), policy.perAddressQuota());
  }

  /**
   * The handler that mails the link.
   *
   * @param delivery the delivery chain
   * @param renderer the mail renderer (the LOGIN template)
   * @param properties the properties (the base URL, locale and application name)
   * @param clock a Clock bean if the application has one
   * @return the handler
   */
  @Bean
  @ConditionalOnMissingBean(OneTimeTokenGenerationSuccessHandler.class)
  @ConditionalOnProperty(prefix = MailVerifyProperties.PREFIX + ".templates", name = "base-url")
  public MailVerifyOneTimeTokenSuccessHandler mailVerifyOneTimeTokenSuccessHandler(MailVerifyDelivery delivery,
      TemplateRenderer renderer, MailVerifyProperties properties, ObjectProvider<Clock> clock) {
    String baseUrl = Objects.requireNonNull(properties.getTemplates().getBaseUrl(), "base-url");
    return MailVerifyOneTimeTokenSuccessHandler.builder(delivery.transport(), baseUrl)
        .renderer(renderer)
        .clock(clock.getIfAvailable(Clock::systemUTC))
        .defaultLocale(properties.getTemplates().getLocale())
        .appName(properties.getAppName())
        .build();
  }
}
