package dev.mailverify.spring;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.MailVerifyException;
import dev.mailverify.core.Quota;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationListener;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.TemplateRenderer;
import dev.mailverify.core.transport.ConsoleTransport;
import dev.mailverify.core.transport.FileTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.smtp.SmtpSettings;
import dev.mailverify.smtp.SmtpTransport;
import dev.mailverify.spring.MailVerifyProperties.Policy;
import dev.mailverify.spring.MailVerifyProperties.TransportType;
import dev.mailverify.template.MustacheTemplateRenderer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
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
public class MailVerifyAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(MailVerifyAutoConfiguration.class);

  /** Creates the auto-configuration; Spring calls it. */
  public MailVerifyAutoConfiguration() {}

  /**
   * SMTP settings from {@code mailverify.smtp.*}, falling back to the seed's EMAIL_* names.
   *
   * @param properties the properties
   * @param environment the environment (for the seed's names)
   * @return the settings
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnTransport(TransportType.SMTP)
  public SmtpSettings mailVerifySmtpSettings(MailVerifyProperties properties, Environment environment) {
    return Transports.primary(properties.getSmtp(), new SeedVariables(environment));
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
    Transports.guardProduction(environment, properties, TransportType.CONSOLE);
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
    Transports.guardProduction(environment, properties, TransportType.OUTBOX);
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
    Transports.apply(prefix + ".locale", t.getLocale(), b::defaultLocale);
    Transports.apply(prefix + ".folder", t.getFolder(), b::templateFolder);
    Transports.apply(prefix + ".support-url", t.getSupportUrl(), b::supportUrl);
    Transports.apply(prefix + ".base-url", t.getBaseUrl(), b::baseUrl);
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException | MailVerifyException e) {
      throw new InvalidConfigurationPropertyValueException(prefix, "(templates)", e.getMessage());
    }
  }

  /**
   * The in-memory code store, used when no shared store is configured.
   *
   * @return the store
   */
  @Bean
  @ConditionalOnMissingBean
  public CodeStore mailVerifyCodeStore() {
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
   * @return the delivery chain, closed (drained) with the context
   */
  @Bean
  @ConditionalOnMissingBean
  public MailVerifyDelivery mailVerifyDelivery(MailVerifyProperties properties, MailTransport transport,
      RateLimiter rateLimiter, ObjectProvider<SmtpSettings> smtpSettings, ObjectProvider<Clock> clock) {
    return Deliveries.build(properties, transport, rateLimiter, smtpSettings.getIfAvailable(),
        clock.getIfAvailable(Clock::systemUTC));
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
   * @return the service
   */
  @Bean
  @ConditionalOnMissingBean
  public VerificationCodeService verificationCodeService(MailVerifyProperties properties,
      MailVerifyDelivery delivery, CodeStore store, RateLimiter rateLimiter, TemplateRenderer renderer,
      ObjectProvider<VerificationListener> listeners, ObjectProvider<Clock> clock, BeanFactory beanFactory) {
    MailVerifyProperties.StoreType storeType = properties.getStore().getType();
    if ((storeType == MailVerifyProperties.StoreType.REDIS || storeType == MailVerifyProperties.StoreType.JDBC)
        && beanFactory.containsBean(MailVerifyStoreConfiguration.MEMORY_STORE)) {
      String module = storeType == MailVerifyProperties.StoreType.REDIS
          ? "verification-redis on the class path and a Lettuce RedisConnectionFactory bean (spring-boot-starter-data-redis)"
          : "verification-jdbc on the class path and a DataSource bean";
      throw new InvalidConfigurationPropertyValueException(MailVerifyProperties.PREFIX + ".store.type",
          storeType.name().toLowerCase(java.util.Locale.ROOT), "this store needs " + module);
    }
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
    Transports.apply(prefix + ".from", properties.getFrom(), b::from);
    Transports.apply(prefix + ".app-name", properties.getAppName(), b::appName);
    listeners.orderedStream().forEach(b::listener);
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
    String name = MailVerifyProperties.PREFIX + ".secret";
    if (properties.getSecret() == null) {
      if (!properties.getPreviousSecrets().isEmpty()) {
        throw new InvalidConfigurationPropertyValueException(MailVerifyProperties.PREFIX + ".previous-secrets",
            "[hidden]", "previous secrets need a current " + name);
      }
      return;
    }
    byte[] current = properties.getSecret().getBytes(StandardCharsets.UTF_8);
    List<String> previousText = properties.getPreviousSecrets();
    byte[][] previous = new byte[previousText.size()][];
    for (int i = 0; i < previous.length; i++) {
      previous[i] = previousText.get(i).getBytes(StandardCharsets.UTF_8);
    }
    try {
      b.secret(current, previous);
    } catch (IllegalArgumentException e) {
      // the value is a secret: never shown
      throw new InvalidConfigurationPropertyValueException(name, "[hidden]",
          "each secret (and previous secret) must be at least 32 bytes: " + e.getMessage());
    }
  }

  /** A policy: each set property over the base; an out-of-range value fails naming the property. */
  static VerificationPolicy policy(VerificationPolicy base, Policy p, String prefix) {
    VerificationPolicy.Builder b = base.toBuilder();
    check(prefix + ".code-length", p.getCodeLength(), b::codeLength, 4, 10);
    if (p.getAlphabet() != null) {
      b.alphabet(p.getAlphabet());
    }
    if (p.getTtl() != null) {
      ttl(prefix + ".ttl", p.getTtl());
      b.defaultTtl(p.getTtl());
    }
    check(prefix + ".max-attempts", p.getMaxAttempts(), b::maxAttempts, 1, 20);
    quota(prefix + ".failed-attempts-per-hour", p.getFailedAttemptsPerHour(), q -> b.failedAttemptsQuota(q));
    Duration cooldown = p.getCooldown();
    if (cooldown != null) {
      if (!cooldown.isZero() && (cooldown.compareTo(Duration.ofSeconds(1)) < 0
          || cooldown.compareTo(Duration.ofHours(1)) > 0)) {
        throw new InvalidConfigurationPropertyValueException(prefix + ".cooldown", cooldown,
            "must be 0 (off) or between 1s and 1h");
      }
      b.cooldown(cooldown);
    }
    quota(prefix + ".sends-per-address-per-hour", p.getSendsPerAddressPerHour(), q -> b.perAddressQuota(q));
    quota(prefix + ".sends-per-client-per-hour", p.getSendsPerClientPerHour(), q -> b.perClientQuota(q));
    if (p.getTokenTtl() != null) {
      ttl(prefix + ".token-ttl", p.getTokenTtl());
      b.tokenTtl(p.getTokenTtl());
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(prefix, "(policy)", e.getMessage());
    }
  }

  private static void ttl(String name, Duration ttl) {
    try {
      VerificationPolicy.checkTtl(ttl, name);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(name, ttl, "must be between 1m and 24h");
    }
  }

  private static void check(String name, @Nullable Integer value, IntConsumer setter, int min, int max) {
    if (value == null) {
      return;
    }
    if (value < min || value > max) {
      throw new InvalidConfigurationPropertyValueException(name, value, "must be " + min + "-" + max);
    }
    setter.accept(value);
  }

  private static void quota(String name, @Nullable Integer perHour, java.util.function.Consumer<Quota> setter) {
    if (perHour == null) {
      return;
    }
    try {
      setter.accept(Quota.perHour(perHour));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(name, perHour, e.getMessage());
    }
  }
}
