package dev.mailverify.spring;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.MailVerifyException;
import dev.mailverify.core.Quota;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationListener;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.TypoSuggestions;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.RecipientCheck;
import dev.mailverify.core.spi.TemplateRenderer;
import dev.mailverify.core.transport.ConsoleTransport;
import dev.mailverify.core.transport.FileTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.smtp.AccessTokenSource;
import dev.mailverify.smtp.SmtpEnvironment;
import dev.mailverify.smtp.SmtpPreset;
import dev.mailverify.smtp.SmtpSettings;
import dev.mailverify.smtp.SmtpTransport;
import dev.mailverify.spring.MailVerifyProperties.Policy;
import dev.mailverify.spring.MailVerifyProperties.TransportType;
import dev.mailverify.template.MustacheTemplateRenderer;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of a {@link VerificationCodeService} from {@code mailverify.*} properties.
 *
 * <p>Every bean steps back when the application declares its own of the same type: a
 * {@link MailTransport}, {@link TemplateRenderer}, {@link CodeStore}, {@link RateLimiter} or the
 * {@link VerificationCodeService} itself. {@link VerificationListener} beans are all passed to the
 * service. A bad setting fails start-up with an
 * {@link InvalidConfigurationPropertyValueException} that names the property.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
    "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@EnableConfigurationProperties(MailVerifyProperties.class)
@Import(MailVerifyRecipientCheckConfiguration.class)
public class MailVerifyAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(MailVerifyAutoConfiguration.class);

  /** Creates the auto-configuration; Spring calls it. */
  public MailVerifyAutoConfiguration() {}

  /**
   * Binds {@code mailverify.smtp.preset} to {@link SmtpPreset} (any case, with - or _); an unknown
   * name fails start-up naming the property and listing every preset.
   *
   * @return the converter
   */
  @Bean
  @ConfigurationPropertiesBinding
  public static Converter<String, SmtpPreset> mailVerifySmtpPresetConverter() {
    return new SmtpPresetConverter();
  }

  /**
   * SMTP settings: each {@code mailverify.smtp.*} property, else the seed's variable (EMAIL_*, read
   * by the library's {@code SmtpEnvironment}), else Spring Boot's {@code spring.mail.*}.
   *
   * @param properties the properties
   * @param environment the environment (for the seed's names and spring.mail.*)
   * @param sslBundles Spring Boot's SSL bundles, for {@code mailverify.smtp.ssl.bundle}
   * @param tokenSource an OAuth2 token source bean: sign in with XOAUTH2 (Microsoft 365, Gmail) instead of a password
   * @return the settings
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnTransport(TransportType.SMTP)
  public SmtpSettings mailVerifySmtpSettings(MailVerifyProperties properties, Environment environment,
      ObjectProvider<SslBundles> sslBundles, ObjectProvider<AccessTokenSource> tokenSource) {
    return SmtpSettingsResolver.primary(properties.getSmtp(), environment, sslBundles.getIfAvailable(),
        tokenSource.getIfUnique());
  }

  /**
   * The SMTP transport.
   *
   * @param settings the SMTP settings
   * @return the transport, closed with the context
   */
  @Bean
  @ConditionalOnMissingBean(MailTransport.class)
  @ConditionalOnTransport(TransportType.SMTP)
  public SmtpTransport mailVerifySmtpTransport(SmtpSettings settings) {
    LOG.info("mailverify: sending through SMTP {}", settings.target());
    return SmtpTransport.create(settings);
  }

  /**
   * The console transport (development): refused in a production profile.
   *
   * @param properties the properties
   * @param environment the environment (for the active profiles)
   * @return the transport
   */
  @Bean
  @ConditionalOnMissingBean(MailTransport.class)
  @ConditionalOnTransport(TransportType.CONSOLE)
  public ConsoleTransport mailVerifyConsoleTransport(MailVerifyProperties properties, Environment environment) {
    TransportChoice.guardProduction(environment, properties, TransportType.CONSOLE);
    if (TransportChoice.resolve(environment).nothingConfigured()) {
      LOG.warn("mailverify: no mail server is configured anywhere (mailverify.transport, mailverify.smtp.*,"
          + " USE_REAL_EMAIL=1 with EMAIL_*, spring.mail.host): verification mail is PRINTED TO THE CONSOLE, not"
          + " sent. Configure a server, or set mailverify.transport=console to silence this warning.");
    }
    return MailTransport.console();
  }

  /**
   * The in-memory outbox (tests): inject it to read a code with {@code latestCode(email)}.
   *
   * @param properties the properties
   * @param environment the environment (for the active profiles)
   * @return the outbox
   */
  @Bean
  @ConditionalOnMissingBean(MailTransport.class)
  @ConditionalOnTransport(TransportType.OUTBOX)
  public InMemoryOutbox mailVerifyOutbox(MailVerifyProperties properties, Environment environment) {
    TransportChoice.guardProduction(environment, properties, TransportType.OUTBOX);
    return MailTransport.inMemory();
  }

  /**
   * The files transport: one .eml file per message.
   *
   * @param properties the properties
   * @return the transport
   */
  @Bean
  @ConditionalOnMissingBean(MailTransport.class)
  @ConditionalOnTransport(TransportType.FILES)
  public FileTransport mailVerifyFileTransport(MailVerifyProperties properties) {
    try {
      return MailTransport.files(properties.getFiles().getDirectory());
    } catch (MailVerifyException | IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(MailVerifyProperties.PREFIX + ".files.directory",
          properties.getFiles().getDirectory(), e.getMessage());
    }
  }

  /**
   * The mail renderer: Mustache templates, or plain text with {@code mailverify.templates.enabled=false}.
   *
   * @param properties the properties
   * @return the renderer
   */
  @Bean
  @ConditionalOnMissingBean
  public TemplateRenderer mailVerifyTemplateRenderer(MailVerifyProperties properties) {
    MailVerifyProperties.Templates t = properties.getTemplates();
    if (!t.isEnabled()) {
      return TemplateRenderer.plainText();
    }
    String prefix = MailVerifyProperties.PREFIX + ".templates";
    MustacheTemplateRenderer.Builder b = MustacheTemplateRenderer.builder();
    PropertySetter.apply(prefix + ".locale", t.getLocale(), b::defaultLocale);
    PropertySetter.apply(prefix + ".folder", t.getFolder(), b::templateFolder);
    PropertySetter.apply(prefix + ".support-url", t.getSupportUrl(), b::supportUrl);
    PropertySetter.apply(prefix + ".base-url", t.getBaseUrl(), b::baseUrl);
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException | MailVerifyException e) {
      throw new InvalidConfigurationPropertyValueException(prefix, "(templates)", e.getMessage());
    }
  }

  /**
   * The in-memory code store, used when no shared store is configured and the application did not
   * clearly want one: see {@link InMemoryStoreGuard}.
   *
   * @param properties the properties
   * @param beans the bean factory, to look for a RedisConnectionFactory or DataSource
   * @param environment the environment (active profiles, store properties)
   * @return the store
   */
  @Bean
  @ConditionalOnMissingBean
  public CodeStore mailVerifyCodeStore(MailVerifyProperties properties, ListableBeanFactory beans,
      Environment environment) {
    InMemoryStoreGuard.check(properties, beans, environment);
    return CodeStore.inMemory();
  }

  /**
   * The in-memory rate limiter, used when no shared one is configured.
   *
   * @return the limiter
   */
  @Bean
  @ConditionalOnMissingBean
  public RateLimiter mailVerifyRateLimiter() {
    return RateLimiter.inMemory();
  }

  /**
   * The delivery chain: the transport bean behind a sender budget, failover servers and an
   * asynchronous queue with retries, each only when configured.
   *
   * @param properties the properties
   * @param transport the mail transport bean
   * @param rateLimiter the rate limiter (sender budgets count in it, so they are shared with a shared limiter)
   * @param smtpSettings the SMTP settings when the transport is SMTP
   * @param clock a Clock bean if the application has one
   * @param outbox the durable outbox of the queue: the application's bean, or the one of
   *     {@code mailverify.async.outbox.type}
   * @param beans the bean factory, to tell what is missing for the outbox asked for
   * @return the delivery chain, closed (drained) with the context
   */
  @Bean
  @ConditionalOnMissingBean
  public MailVerifyDelivery mailVerifyDelivery(MailVerifyProperties properties, MailTransport transport,
      RateLimiter rateLimiter, ObjectProvider<SmtpSettings> smtpSettings, ObjectProvider<Clock> clock,
      ObjectProvider<MailOutbox> outbox, ListableBeanFactory beans) {
    MailOutbox durable = OutboxChoice.check(properties, beans, outbox.getIfUnique());
    return Deliveries.build(properties, transport, rateLimiter, smtpSettings.getIfAvailable(),
        clock.getIfAvailable(Clock::systemUTC), durable);
  }

  /**
   * The verification service.
   *
   * @param properties the properties
   * @param delivery the delivery chain
   * @param store the code store
   * @param rateLimiter the rate limiter
   * @param renderer the renderer
   * @param listeners every listener bean
   * @param clock a Clock bean if the application has one
   * @param beanFactory the bean factory, to tell which store was chosen
   * @param environment the environment, to tell why
   * @param smtpSettings the SMTP settings when mail goes through SMTP (their From is the sender)
   * @param recipientCheck the recipient check: the application's bean, or the MX check of
   *     {@code mailverify.recipient-check.*}
   * @return the service
   */
  @Bean
  @ConditionalOnMissingBean
  public VerificationCodeService verificationCodeService(MailVerifyProperties properties,
      MailVerifyDelivery delivery, CodeStore store, RateLimiter rateLimiter, TemplateRenderer renderer,
      ObjectProvider<VerificationListener> listeners, ObjectProvider<Clock> clock, BeanFactory beanFactory,
      Environment environment, ObjectProvider<SmtpSettings> smtpSettings,
      ObjectProvider<RecipientCheck> recipientCheck) {
    VerificationCodeService.Builder b = VerificationCodeService.builder()
        .transport(delivery.transport())
        .store(store)
        .rateLimiter(rateLimiter)
        .renderer(renderer)
        .clock(clock.getIfAvailable(Clock::systemUTC))
        .defaultLocale(properties.getTemplates().getLocale());
    String prefix = MailVerifyProperties.PREFIX;
    VerificationPolicy base = policy(VerificationPolicy.defaults(), properties.getPolicy(), prefix + ".policy");
    b.defaultPolicy(base);
    for (Map.Entry<String, Policy> e : properties.getPolicies().entrySet()) {
      String name = prefix + ".policies." + e.getKey();
      VerificationType type;
      try {
        type = VerificationType.of(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw new InvalidConfigurationPropertyValueException(name, e.getKey(), ex.getMessage());
      }
      b.policy(type, policy(base, e.getValue(), name));
    }
    secret(b, properties);
    if (environment.containsProperty(prefix + ".from")) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".from", environment.getProperty(prefix + ".from"),
          "the sender has one setting: " + SmtpSettingsResolver.SMTP + ".from (or DEFAULT_FROM_EMAIL)");
    }
    if (smtpSettings.getIfAvailable() == null) {
      // without SMTP the From still shows in the console, the outbox and the .eml files
      String ownFrom = properties.getSmtp().getFrom();
      String fromName = ownFrom != null ? SmtpSettingsResolver.SMTP + ".from" : SmtpEnvironment.DEFAULT_FROM_EMAIL;
      String from = ownFrom != null ? ownFrom
          : new SpringEnvironmentSource(environment).get(SmtpEnvironment.DEFAULT_FROM_EMAIL);
      PropertySetter.apply(fromName, from, b::from);
    }
    PropertySetter.apply(prefix + ".app-name", properties.getAppName(), b::appName);
    PropertySetter.apply(prefix + ".address-change.revert-link-base-url",
        properties.getAddressChange().getRevertLinkBaseUrl(), b::revertLinkBaseUrl);
    PropertySetter.apply(prefix + ".address-change.revert-link-validity",
        properties.getAddressChange().getRevertLinkValidity(), b::revertLinkValidity);
    if (!properties.isTypoSuggestions()) {
      b.typoSuggestions(TypoSuggestions.none());
    }
    listeners.orderedStream().forEach(b::listener);
    RecipientCheck check = recipientCheck.getIfUnique();
    RecipientCheckChoice.check(properties.getRecipientCheck(), (ListableBeanFactory) beanFactory, check);
    if (check != null) {
      b.recipientCheck(check);
    }
    LOG.info("mailverify: {}", StartupReport.describe(properties, environment, (ListableBeanFactory) beanFactory,
        store, rateLimiter, delivery, check));
    try {
      return b.build();
    } catch (IllegalStateException e) {
      // the only start-up refusal left: a shared store without a secret (C28)
      throw new InvalidConfigurationPropertyValueException(prefix + ".secret", null,
          "a shared store (" + store + ") needs " + prefix + ".secret: the same secret of 32 or more bytes on every"
          + " instance, or codes issued on one instance will not verify on another");
    }
  }

  private static void secret(VerificationCodeService.Builder b, MailVerifyProperties properties) {
    if (properties.getSecret() == null) {
      if (!properties.getPreviousSecrets().isEmpty()) {
        throw new InvalidConfigurationPropertyValueException(MailVerifyProperties.PREFIX + ".previous-secrets",
            "[hidden]", "previous secrets need a current " + SecretProperties.NAME);
      }
      return;
    }
    SecretProperties.apply(properties, b::secret);
  }


  /**
   * A policy: each set property over the base. The library's builder checks every value; to name the
   * property at fault without copying its ranges here, the policy is built after each property, and
   * the builder's reason becomes a failure naming that property.
   */
  static VerificationPolicy policy(VerificationPolicy base, Policy p, String prefix) {
    VerificationPolicy.Builder b = base.toBuilder();
    set(b, prefix + ".code-length", p.getCodeLength(), b::codeLength);
    set(b, prefix + ".alphabet", p.getAlphabet(), b::alphabet);
    set(b, prefix + ".ttl", p.getTtl(), b::defaultTtl);
    set(b, prefix + ".max-attempts", p.getMaxAttempts(), b::maxAttempts);
    set(b, prefix + ".failed-attempts-per-hour", p.getFailedAttemptsPerHour(),
        n -> b.failedAttemptsQuota(Quota.perHour(n)));
    set(b, prefix + ".cooldown", p.getCooldown(), b::cooldown);
    set(b, prefix + ".sends-per-address-per-hour", p.getSendsPerAddressPerHour(),
        n -> b.perAddressQuota(Quota.perHour(n)));
    set(b, prefix + ".sends-per-client-per-hour", p.getSendsPerClientPerHour(),
        n -> b.perClientQuota(Quota.perHour(n)));
    set(b, prefix + ".token-ttl", p.getTokenTtl(), b::tokenTtl);
    set(b, prefix + ".link-base-url", p.getLinkBaseUrl(), b::linkBaseUrl);
    set(b, prefix + ".resend-grace", p.getResendGrace(), b::resendGrace);
    return b.build();
  }

  private static <T> void set(VerificationPolicy.Builder b, String name, @Nullable T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
      b.build();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(name, value, e.getMessage());
    }
  }
}
