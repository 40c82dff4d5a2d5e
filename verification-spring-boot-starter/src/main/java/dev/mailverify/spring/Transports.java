package dev.mailverify.spring;

import dev.mailverify.core.MailVerifyException;
import dev.mailverify.smtp.SmtpEnvironment;
import dev.mailverify.smtp.SmtpPreset;
import dev.mailverify.smtp.SmtpSecurity;
import dev.mailverify.smtp.SmtpSettings;
import dev.mailverify.spring.MailVerifyProperties.Smtp;
import dev.mailverify.spring.MailVerifyProperties.TransportType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/** Resolves the transport and builds SMTP settings from {@code mailverify.*} and the seed's names. */
final class Transports {
  static final String TRANSPORT = MailVerifyProperties.PREFIX + ".transport";
  static final String SMTP = MailVerifyProperties.PREFIX + ".smtp";
  static final String EMAIL_SSL_CAFILE = SmtpEnvironment.EMAIL_SSL_CAFILE;

  private Transports() {}

  /** The configured transport, or (when unset) smtp if USE_REAL_EMAIL is on, else console. */
  static TransportType resolve(Environment environment) {
    TransportType configured = Binder.get(environment).bind(TRANSPORT, TransportType.class).orElse(null);
    if (configured != null) {
      return configured;
    }
    try {
      return new SeedVariables(environment).realMail() ? TransportType.SMTP : TransportType.CONSOLE;
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(SmtpEnvironment.USE_REAL_EMAIL,
          environment.getProperty(SmtpEnvironment.USE_REAL_EMAIL), e.getMessage());
    }
  }

  /**
   * Refuses the console and outbox transports in a production profile.
   *
   * @throws InvalidConfigurationPropertyValueException naming {@code mailverify.transport}
   */
  static void guardProduction(Environment environment, MailVerifyProperties properties, TransportType type) {
    List<String> active = Arrays.asList(environment.getActiveProfiles());
    List<String> production = properties.getProductionProfiles().stream()
        .filter(active::contains).collect(Collectors.toList());
    if (!production.isEmpty()) {
      throw new InvalidConfigurationPropertyValueException(TRANSPORT, type.name().toLowerCase(Locale.ROOT),
          "the " + type.name().toLowerCase(Locale.ROOT) + " transport does not deliver mail and is refused in the"
          + " production profile " + production + ": set " + TRANSPORT + "=smtp with " + SMTP + ".* (or USE_REAL_EMAIL=1"
          + " with the EMAIL_* variables), or change " + MailVerifyProperties.PREFIX + ".production-profiles");
    }
  }

  /**
   * SMTP settings of the primary server: each {@code mailverify.smtp.*} property, else the seed's
   * variable, else the preset's value.
   */
  static SmtpSettings primary(Smtp p, SeedVariables seed) {
    return settings(p, seed, SMTP);
  }

  /** SMTP settings of a failover server: properties only. */
  static SmtpSettings failover(Smtp p, int index) {
    return settings(p, null, MailVerifyProperties.PREFIX + ".failover.servers[" + index + "]");
  }

  private static SmtpSettings settings(Smtp p, @Nullable SeedVariables seed, String prefix) {
    SmtpSettings.Builder b;
    SmtpPreset preset = null;
    if (p.getPreset() != null) {
      preset = preset(p.getPreset(), prefix + ".preset");
      b = SmtpSettings.builder(preset);
    } else {
      b = SmtpSettings.builder();
    }
    String host = p.getHost() != null ? p.getHost() : seedValue(seed, SmtpEnvironment.EMAIL_HOST);
    if (host == null && preset == null) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".host", null,
          "the smtp transport needs a host: set " + prefix + ".host or " + prefix + ".preset"
          + (seed != null ? " (or EMAIL_HOST)" : ""));
    }
    String user = p.getUsername() != null ? p.getUsername() : seedValue(seed, SmtpEnvironment.EMAIL_HOST_USER);
    String password = p.getPassword() != null ? p.getPassword() : seedValue(seed, SmtpEnvironment.EMAIL_HOST_PASSWORD);
    if (password != null) {
      password = password.strip();
      if (password.isEmpty()) {
        password = null;
      }
    }
    if (user != null && password == null) {
      String advice = preset != null ? " (" + preset.passwordAdvice() + ")" : "";
      throw new InvalidConfigurationPropertyValueException(prefix + ".password", null,
          "the smtp transport logs in as " + prefix + ".username but no password is set: set " + prefix + ".password"
          + (seed != null ? " (or EMAIL_HOST_PASSWORD)" : "") + advice);
    }
    if (user == null && password != null) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".username", null,
          "a password is set but no user: set " + prefix + ".username" + (seed != null ? " (or EMAIL_HOST_USER)" : ""));
    }
    Integer port = p.getPort();
    String portName = prefix + ".port";
    if (port == null && seed != null && seed.get(SmtpEnvironment.EMAIL_PORT) != null) {
      portName = SmtpEnvironment.EMAIL_PORT;
      port = parsePort(seed.get(SmtpEnvironment.EMAIL_PORT));
    }
    SmtpSecurity security = security(p, seed, port, prefix);
    String from = p.getFrom() != null ? p.getFrom() : seedValue(seed, SmtpEnvironment.DEFAULT_FROM_EMAIL);
    Duration timeout = p.getTimeout() != null ? p.getTimeout() : seedTimeout(seed);
    try {
      if (host != null) {
        b.host(host);
      }
      if (security != null) {
        b.security(security);
      }
      if (port != null) {
        b.port(port);
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(portName, port, e.getMessage());
    }
    if (user != null) {
      b.username(user).password(password);
    }
    apply(prefix + ".from", from, b::from);
    apply(prefix + ".timeout", timeout, b::timeout);
    apply(prefix + ".connect-timeout", p.getConnectTimeout(), b::connectTimeout);
    apply(prefix + ".read-timeout", p.getReadTimeout(), b::readTimeout);
    apply(prefix + ".write-timeout", p.getWriteTimeout(), b::writeTimeout);
    apply(prefix + ".max-connections", p.getMaxConnections(), b::maxConnections);
    String caName = prefix + ".trusted-certificates";
    java.nio.file.Path ca = p.getTrustedCertificates();
    if (ca == null && seed != null && seed.get(EMAIL_SSL_CAFILE) != null) {
      caName = EMAIL_SSL_CAFILE;
      ca = java.nio.file.Path.of(seed.get(EMAIL_SSL_CAFILE));
    }
    if (ca != null) {
      java.nio.file.Path file = ca;
      if (!Files.isRegularFile(file)) {
        throw new InvalidConfigurationPropertyValueException(caName, file, "no such file (a PEM file of CA certificates)");
      }
      apply(caName, file, f -> TrustedCertificates.apply(b, f));
    }
    b.debug(p.isDebug());
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException | MailVerifyException e) {
      throw new InvalidConfigurationPropertyValueException(prefix, "(SMTP settings)", e.getMessage());
    }
  }

  private static SmtpPreset preset(String name, String property) {
    String key = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (SmtpPreset p : SmtpPreset.values()) {
      if (p.name().equals(key)) {
        return p;
      }
    }
    String known = Arrays.stream(SmtpPreset.values())
        .map(p -> p.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", "));
    throw new InvalidConfigurationPropertyValueException(property, name, "unknown preset; known presets: " + known);
  }

  private static @Nullable SmtpSecurity security(Smtp p, @Nullable SeedVariables seed, @Nullable Integer port,
      String prefix) {
    if (p.getSecurity() != null) {
      String key = p.getSecurity().strip().toUpperCase(Locale.ROOT).replace('-', '_');
      for (SmtpSecurity s : SmtpSecurity.values()) {
        if (s.name().equals(key)) {
          return s;
        }
      }
      throw new InvalidConfigurationPropertyValueException(prefix + ".security", p.getSecurity(),
          "must be starttls, implicit-tls or plain");
    }
    if (seed == null) {
      return port != null && port == 465 ? SmtpSecurity.IMPLICIT_TLS : null;
    }
    Boolean ssl;
    Boolean tls;
    try {
      ssl = seed.flag(SmtpEnvironment.EMAIL_USE_SSL);
      tls = seed.flag(SmtpEnvironment.EMAIL_USE_TLS);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".security", null, e.getMessage());
    }
    if (Boolean.TRUE.equals(ssl)) {
      if (Boolean.TRUE.equals(tls)) {
        throw new InvalidConfigurationPropertyValueException(SmtpEnvironment.EMAIL_USE_SSL, "1",
            "EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive");
      }
      return SmtpSecurity.IMPLICIT_TLS;
    }
    if (Boolean.FALSE.equals(tls)) {
      return SmtpSecurity.PLAIN;
    }
    if (tls == null && ssl == null && port != null && port == 465) {
      return SmtpSecurity.IMPLICIT_TLS;
    }
    return tls != null || ssl != null ? SmtpSecurity.STARTTLS : null;
  }

  private static @Nullable String seedValue(@Nullable SeedVariables seed, String name) {
    return seed == null ? null : seed.get(name);
  }

  private static int parsePort(@Nullable String value) {
    try {
      return Integer.parseInt(String.valueOf(value));
    } catch (NumberFormatException e) {
      throw new InvalidConfigurationPropertyValueException(SmtpEnvironment.EMAIL_PORT, value,
          "must be a port number 1-65535, usually 587 (STARTTLS) or 465 (SSL)");
    }
  }

  private static @Nullable Duration seedTimeout(@Nullable SeedVariables seed) {
    String v = seedValue(seed, SmtpEnvironment.EMAIL_TIMEOUT);
    if (v == null) {
      return null;
    }
    try {
      return Duration.ofMillis(new BigDecimal(v).movePointRight(3).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidConfigurationPropertyValueException(SmtpEnvironment.EMAIL_TIMEOUT, v,
          "must be a number of seconds, such as 10");
    }
  }

  /** Runs one builder setter; its IllegalArgumentException becomes a failure naming the property. */
  static <T> void apply(String property, @Nullable T value, Consumer<? super T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException | MailVerifyException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }
}
