package dev.mailverify.spring;

import dev.mailverify.core.MailVerifyException;
import dev.mailverify.smtp.AccessTokenSource;
import dev.mailverify.smtp.EnvironmentSource;
import dev.mailverify.smtp.SmtpEnvironment;
import dev.mailverify.smtp.SmtpPreset;
import dev.mailverify.smtp.SmtpSecurity;
import dev.mailverify.smtp.SmtpSettings;
import dev.mailverify.spring.MailVerifyProperties.Smtp;
import java.math.BigDecimal;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;

/**
 * SMTP settings from one configuration model: the library's {@link SmtpEnvironment} reads the seed's
 * variables and applies their rules (defaults, STARTTLS vs implicit TLS, DKIM, warnings); this class
 * only decides where each variable's value comes from. For the primary server, each variable is
 * answered by its {@code mailverify.smtp.*} property, else by the seed variable itself (environment,
 * {@code .env}), else by Spring Boot's {@code spring.mail.*}, else by the preset. Failover servers
 * are read from their properties only. Problems and warnings name the property or variable that
 * supplied the value.
 */
final class SmtpSettingsResolver {
  private static final Logger LOG = LoggerFactory.getLogger(SmtpSettingsResolver.class);
  static final String SMTP = MailVerifyProperties.PREFIX + ".smtp";
  static final String SPRING_MAIL = "spring.mail";

  /** Each seed variable and the {@code mailverify.smtp.*} property that stands for it. */
  private static final Map<String, String> PROPERTY_OF = orderedMap(
      SmtpEnvironment.EMAIL_HOST_PASSWORD, "password",
      SmtpEnvironment.EMAIL_HOST_USER, "username",
      SmtpEnvironment.EMAIL_HOST, "host",
      SmtpEnvironment.EMAIL_PORT, "port",
      SmtpEnvironment.EMAIL_USE_TLS, "security",
      SmtpEnvironment.EMAIL_USE_SSL, "security",
      SmtpEnvironment.EMAIL_TIMEOUT, "timeout",
      SmtpEnvironment.EMAIL_SSL_CAFILE, "trusted-certificates",
      SmtpEnvironment.EMAIL_DKIM_DOMAIN, "dkim.domain",
      SmtpEnvironment.EMAIL_DKIM_SELECTOR, "dkim.selector",
      SmtpEnvironment.EMAIL_DKIM_KEY_FILE, "dkim.key-file",
      SmtpEnvironment.DEFAULT_FROM_EMAIL, "from");

  private static final Pattern SEED_NAME = Pattern.compile("\\b(" + String.join("|", PROPERTY_OF.keySet()) + ")\\b");

  /** Stands for the password while the seed's rules run; replaced by the token source before use. */
  private static final String OAUTH2_PLACEHOLDER = "xoauth2-token-source";

  private SmtpSettingsResolver() {}

  /**
   * Settings of the primary server.
   *
   * @throws InvalidConfigurationPropertyValueException naming the property or variable at fault
   */
  static SmtpSettings primary(Smtp p, Environment environment, @Nullable SslBundles bundles,
      @Nullable AccessTokenSource tokenSource) {
    Sources sources = new Sources(SMTP, p, new SpringEnvironmentSource(environment), environment);
    if (tokenSource != null) {
      sources.signInWithOAuth2();
    }
    SmtpSettings settings = settings(p, sources, SMTP);
    SmtpSettings.Builder b = settings.toBuilder();
    if (tokenSource != null) {
      String user = settings.username();
      if (user == null) {
        throw new InvalidConfigurationPropertyValueException(SMTP + ".username", null, "an AccessTokenSource bean signs"
            + " in with OAuth2 (XOAUTH2), which needs the mailbox to sign in as: set " + SMTP + ".username");
      }
      b.oauth2(user, tokenSource);
    }
    boolean timeoutSet = p.getTimeout() != null || sources.seed.get(SmtpEnvironment.EMAIL_TIMEOUT) != null;
    Map<String, String> mailProperties = Binder.get(environment)
        .bind(SPRING_MAIL + ".properties", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
    if (!timeoutSet) {
      millis(mailProperties, "mail.smtp.connectiontimeout", b::connectTimeout);
      millis(mailProperties, "mail.smtp.timeout", b::readTimeout);
      millis(mailProperties, "mail.smtp.writetimeout", b::writeTimeout);
    }
    applyFineSettings(b, p, SMTP);
    String ownBundle = p.getSsl().getBundle();
    String bundleProperty = ownBundle != null ? SMTP + ".ssl.bundle" : SPRING_MAIL + ".ssl.bundle";
    String bundle = ownBundle != null ? ownBundle : environment.getProperty(bundleProperty);
    if (bundle != null && !bundle.isBlank()) {
      b.trustedCertificates(trustedCertificates(bundles, bundle, bundleProperty));
    }
    return build(b, SMTP);
  }

  /** Settings of failover server {@code index}: its properties only. */
  static SmtpSettings failover(Smtp p, int index) {
    String prefix = MailVerifyProperties.PREFIX + ".failover.servers[" + index + "]";
    Sources sources = new Sources(prefix, p, null, null);
    SmtpSettings.Builder b = settings(p, sources, prefix).toBuilder();
    applyFineSettings(b, p, prefix);
    return build(b, prefix);
  }

  /** The seed's rules over the chosen sources. */
  private static SmtpSettings settings(Smtp p, Sources sources, String prefix) {
    SmtpEnvironment seed = SmtpEnvironment.read(sources);
    if (!seed.problems().isEmpty()) {
      String first = seed.problemVariables().isEmpty() ? prefix : sources.origin(seed.problemVariables().get(0));
      throw new InvalidConfigurationPropertyValueException(first, null,
          sources.translate(String.join("; ", seed.problems())));
    }
    SmtpSettings settings = seed.settings().orElse(null);
    if (settings == null) {
      List<String> missing = seed.missing();
      String name = missing.isEmpty() ? prefix + ".from" : sources.origin(missing.get(0));
      SmtpPreset preset = p.getPreset(); // bound by SmtpPresetConverter
      String advice = preset != null && missing.contains(SmtpEnvironment.EMAIL_HOST_PASSWORD)
          ? " (" + preset.passwordAdvice() + ")" : "";
      throw new InvalidConfigurationPropertyValueException(name, null, sources.translate(
          "the smtp transport needs a server and a sender: " + (missing.isEmpty() ? DEFAULT_FROM
              : missing.stream().collect(Collectors.joining(", ")) + " not set") + advice));
    }
    for (String warning : seed.warnings()) {
      LOG.warn("mailverify: {}", sources.translate(warning));
    }
    return settings;
  }

  private static final String DEFAULT_FROM = SmtpEnvironment.DEFAULT_FROM_EMAIL + " not set and "
      + SmtpEnvironment.EMAIL_HOST_USER + " is not an address";

  /** Settings that have no seed variable: separate timeouts, pool size, protocol trace. */
  private static void applyFineSettings(SmtpSettings.Builder b, Smtp p, String prefix) {
    PropertySetter.apply(prefix + ".connect-timeout", p.getConnectTimeout(), b::connectTimeout);
    PropertySetter.apply(prefix + ".read-timeout", p.getReadTimeout(), b::readTimeout);
    PropertySetter.apply(prefix + ".write-timeout", p.getWriteTimeout(), b::writeTimeout);
    PropertySetter.apply(prefix + ".max-connections", p.getMaxConnections(), b::maxConnections);
    if (p.isDebug()) {
      b.debug(true);
    }
  }

  private static SmtpSettings build(SmtpSettings.Builder b, String prefix) {
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException | MailVerifyException e) {
      throw new InvalidConfigurationPropertyValueException(prefix, "(SMTP settings)", e.getMessage());
    }
  }

  private static void millis(Map<String, String> properties, String key, java.util.function.Consumer<Duration> setter) {
    String v = properties.get(key);
    if (v == null || v.isBlank()) {
      return;
    }
    String name = SPRING_MAIL + ".properties." + key;
    try {
      long ms = Long.parseLong(v.strip());
      PropertySetter.apply(name, Duration.ofMillis(ms), setter);
    } catch (NumberFormatException e) {
      throw new InvalidConfigurationPropertyValueException(name, v, "must be a number of milliseconds");
    }
  }

  private static List<X509Certificate> trustedCertificates(@Nullable SslBundles bundles, String name, String property) {
    if (bundles == null) {
      throw new InvalidConfigurationPropertyValueException(property, name, "no SslBundles bean (spring.ssl.bundle.*)");
    }
    SslBundle bundle;
    try {
      bundle = bundles.getBundle(name);
    } catch (NoSuchSslBundleException e) {
      throw new InvalidConfigurationPropertyValueException(property, name, "no such SSL bundle: define spring.ssl.bundle.pem."
          + name + ".truststore.certificate (or .jks." + name + ")");
    }
    KeyStore store = bundle.getStores().getTrustStore();
    if (store == null) {
      throw new InvalidConfigurationPropertyValueException(property, name, "the SSL bundle has no trust store");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (String alias : Collections.list(store.aliases())) {
        Certificate c = store.getCertificate(alias);
        if (c instanceof X509Certificate x) {
          certificates.add(x);
        }
      }
    } catch (KeyStoreException e) {
      throw new InvalidConfigurationPropertyValueException(property, name, "its trust store cannot be read: " + e.getMessage());
    }
    if (certificates.isEmpty()) {
      throw new InvalidConfigurationPropertyValueException(property, name, "its trust store holds no certificate");
    }
    return certificates;
  }

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Answers the seed's variable names for one server: the {@code mailverify.smtp.*} property, then
   * (primary server only) the seed variable, then {@code spring.mail.*}, then the preset. Remembers
   * which name supplied each answer, for messages.
   */
  private static final class Sources implements EnvironmentSource {
    private final String prefix;
    private final Smtp p;
    private final @Nullable EnvironmentSource seed0;
    private final @Nullable Environment environment;
    private final Map<String, String> origins = new LinkedHashMap<>();
    private boolean oauth2;
    final EnvironmentSource seed;

    Sources(String prefix, Smtp p, @Nullable EnvironmentSource seed, @Nullable Environment environment) {
      this.prefix = prefix;
      this.p = p;
      this.seed0 = seed;
      this.environment = environment;
      this.seed = seed != null ? seed : name -> null;
    }

    /**
     * The application signs in with an OAuth2 token source: a password is neither needed nor
     * allowed. The seed's rules want a password with a user, so this source answers one that is
     * never used (the builder's oauth2 replaces it) and never shown.
     */
    void signInWithOAuth2() {
      if (property(SmtpEnvironment.EMAIL_HOST_PASSWORD) != null) {
        throw new InvalidConfigurationPropertyValueException(prefix + ".password", "[hidden]", "an AccessTokenSource"
            + " bean signs in with OAuth2 (XOAUTH2): remove the password, or the bean");
      }
      this.oauth2 = true;
    }

    @Override
    public @Nullable String get(String name) {
      if (oauth2 && name.equals(SmtpEnvironment.EMAIL_HOST_PASSWORD)) {
        return OAUTH2_PLACEHOLDER;
      }
      String fromProperty = property(name);
      if (fromProperty != null) {
        origins.put(name, prefix + "." + PROPERTY_OF.get(name));
        return fromProperty;
      }
      if (seed0 != null) {
        String v = seed0.get(name);
        if (v != null && !v.isBlank()) {
          origins.put(name, name);
          return v;
        }
      }
      if (environment != null) {
        String v = springMail(name, environment);
        if (v != null) {
          origins.put(name, SPRING_MAIL + "." + springMailName(name));
          return v;
        }
      }
      SmtpPreset preset = p.getPreset(); // bound by SmtpPresetConverter
      if (preset != null) {
        String v = switch (name) {
          case SmtpEnvironment.EMAIL_HOST -> preset.host();
          case SmtpEnvironment.EMAIL_PORT -> p.getSecurity() == null ? String.valueOf(preset.port()) : null;
          case SmtpEnvironment.EMAIL_USE_SSL -> p.getSecurity() == null && seedSecurityUnset()
              ? flag(preset.security() == SmtpSecurity.IMPLICIT_TLS) : null;
          case SmtpEnvironment.EMAIL_USE_TLS -> p.getSecurity() == null && seedSecurityUnset()
              ? flag(preset.security() != SmtpSecurity.PLAIN) : null;
          default -> null;
        };
        if (v != null) {
          origins.put(name, prefix + ".preset");
          return v;
        }
      }
      return null;
    }

    private boolean seedSecurityUnset() {
      return seed.get(SmtpEnvironment.EMAIL_USE_SSL) == null && seed.get(SmtpEnvironment.EMAIL_USE_TLS) == null;
    }

    private @Nullable String property(String name) {
      SmtpSecurity security = p.getSecurity();
      return switch (name) {
        case SmtpEnvironment.EMAIL_HOST -> p.getHost();
        case SmtpEnvironment.EMAIL_PORT -> text(p.getPort());
        case SmtpEnvironment.EMAIL_HOST_USER -> p.getUsername();
        case SmtpEnvironment.EMAIL_HOST_PASSWORD -> p.getPassword();
        case SmtpEnvironment.DEFAULT_FROM_EMAIL -> p.getFrom();
        case SmtpEnvironment.EMAIL_TIMEOUT -> seconds(p.getTimeout());
        case SmtpEnvironment.EMAIL_SSL_CAFILE -> text(p.getTrustedCertificates());
        case SmtpEnvironment.EMAIL_USE_SSL -> security == null ? null : flag(security == SmtpSecurity.IMPLICIT_TLS);
        case SmtpEnvironment.EMAIL_USE_TLS -> security == null ? null : flag(security == SmtpSecurity.STARTTLS);
        case SmtpEnvironment.EMAIL_DKIM_DOMAIN -> p.getDkim().getDomain();
        case SmtpEnvironment.EMAIL_DKIM_SELECTOR -> p.getDkim().getSelector();
        case SmtpEnvironment.EMAIL_DKIM_KEY_FILE -> text(p.getDkim().getKeyFile());
        default -> null;
      };
    }

    /** Spring Boot's own mail settings, the last fallback before the preset. */
    private static @Nullable String springMail(String name, Environment environment) {
      String simple = springMailName(name);
      if (simple == null) {
        return null;
      }
      if (name.equals(SmtpEnvironment.EMAIL_USE_SSL)) {
        boolean ssl = "smtps".equalsIgnoreCase(environment.getProperty(SPRING_MAIL + ".protocol"))
            || "true".equalsIgnoreCase(environment.getProperty(SPRING_MAIL + ".ssl.enabled"))
            || "true".equalsIgnoreCase(mailProperty(environment, "mail.smtp.ssl.enable"));
        return ssl ? "1" : null;
      }
      if (name.equals(SmtpEnvironment.EMAIL_USE_TLS)) {
        return mailProperty(environment, "mail.smtp.starttls.enable");
      }
      String v = environment.getProperty(SPRING_MAIL + "." + simple);
      return v == null || v.isBlank() ? null : v;
    }

    private static @Nullable String springMailName(String name) {
      return switch (name) {
        case SmtpEnvironment.EMAIL_HOST -> "host";
        case SmtpEnvironment.EMAIL_PORT -> "port";
        case SmtpEnvironment.EMAIL_HOST_USER -> "username";
        case SmtpEnvironment.EMAIL_HOST_PASSWORD -> "password";
        case SmtpEnvironment.EMAIL_USE_SSL -> "protocol";
        case SmtpEnvironment.EMAIL_USE_TLS -> "properties.mail.smtp.starttls.enable";
        default -> null;
      };
    }

    private static @Nullable String mailProperty(Environment environment, String key) {
      return Binder.get(environment).bind(SPRING_MAIL + ".properties", Bindable.mapOf(String.class, String.class))
          .map(m -> m.get(key)).orElse(null);
    }

    /** The name to show for a seed variable: the property or variable that supplied it, else its property. */
    String origin(String seedName) {
      String o = origins.get(seedName);
      if (o != null) {
        return o;
      }
      String property = PROPERTY_OF.get(seedName);
      return property == null ? seedName : prefix + "." + property;
    }

    /** Rewrites the seed's names in a sentence of {@link SmtpEnvironment} as the names this app uses. */
    String translate(String sentence) {
      Matcher m = SEED_NAME.matcher(sentence);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String name = m.group(1);
        String origin = origin(name);
        String shown = origin.equals(name) ? name
            : seed0 != null && !origins.containsKey(name) ? prefix + "." + PROPERTY_OF.get(name) + " (or " + name + ")"
            : origin;
        m.appendReplacement(out, Matcher.quoteReplacement(shown));
      }
      m.appendTail(out);
      return out.toString();
    }
  }

  private static String flag(boolean on) {
    return on ? "1" : "0";
  }

  private static @Nullable String seconds(@Nullable Duration d) {
    return d == null ? null : BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
  }

  private static @Nullable String text(@Nullable Object value) {
    return value == null ? null : value.toString();
  }

}
