package dev.mailverify.spring;

import dev.mailverify.smtp.SmtpEnvironment;
import dev.mailverify.spring.MailVerifyProperties.TransportType;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Which transport the starter builds, and why: {@code mailverify.transport} when set; else the
 * seed's {@code USE_REAL_EMAIL}; else SMTP when Spring Boot's {@code spring.mail.host} is set; else
 * the console, which prints mail instead of sending it.
 *
 * @param type the transport
 * @param reason why, for the start-up log
 * @param nothingConfigured true when no mail server is configured anywhere (the console by default)
 */
record TransportChoice(TransportType type, String reason, boolean nothingConfigured) {
  static final String TRANSPORT = MailVerifyProperties.PREFIX + ".transport";

  /**
   * Decides the transport from the environment.
   *
   * @throws InvalidConfigurationPropertyValueException naming USE_REAL_EMAIL when it is not a switch
   */
  static TransportChoice resolve(Environment environment) {
    TransportType configured = Binder.get(environment).bind(TRANSPORT, TransportType.class).orElse(null);
    if (configured != null) {
      return new TransportChoice(configured, TRANSPORT + "=" + lower(configured), false);
    }
    SmtpEnvironment seed = SmtpEnvironment.read(new SpringEnvironmentSource(environment));
    if (seed.problemVariables().contains(SmtpEnvironment.USE_REAL_EMAIL)) {
      throw new InvalidConfigurationPropertyValueException(SmtpEnvironment.USE_REAL_EMAIL,
          environment.getProperty(SmtpEnvironment.USE_REAL_EMAIL), "must be 1 or 0 (true/false, yes/no, on/off)");
    }
    if (seed.realMailRequested()) {
      return new TransportChoice(TransportType.SMTP, SmtpEnvironment.USE_REAL_EMAIL + "=1", false);
    }
    if (seed.realMailExplicitlyOff()) {
      return new TransportChoice(TransportType.CONSOLE, SmtpEnvironment.USE_REAL_EMAIL + "=0", false);
    }
    String springHost = environment.getProperty(SmtpSettingsResolver.SPRING_MAIL + ".host");
    if (springHost != null && !springHost.isBlank()) {
      return new TransportChoice(TransportType.SMTP, "spring.mail.host is set (no " + TRANSPORT + ")", false);
    }
    return new TransportChoice(TransportType.CONSOLE, "no mail server is configured: none of " + TRANSPORT + ", "
        + SmtpEnvironment.USE_REAL_EMAIL + "=1 or spring.mail.host is set", true);
  }

  /**
   * Refuses the console and outbox transports in a production profile.
   *
   * @throws InvalidConfigurationPropertyValueException naming {@code mailverify.transport}
   */
  static void guardProduction(Environment environment, MailVerifyProperties properties, TransportType type) {
    List<String> production = InMemoryStoreGuard.productionProfiles(properties, environment);
    if (!production.isEmpty()) {
      throw new InvalidConfigurationPropertyValueException(TRANSPORT, lower(type),
          "the " + lower(type) + " transport does not deliver mail and is refused in the production profile "
          + production + ": set " + TRANSPORT + "=smtp with " + SmtpSettingsResolver.SMTP + ".* (or spring.mail.*, or"
          + " USE_REAL_EMAIL=1 with the EMAIL_* variables), or change " + MailVerifyProperties.PREFIX
          + ".production-profiles");
    }
  }

  static String lower(TransportType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }
}
