package dev.mailverify.smtp;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's rule as one factory: the console in development unless {@code USE_REAL_EMAIL=1},
 * SMTP otherwise, and every configuration problem reported at start-up, not at the first send
 * (C26).
 *
 * <ul>
 *   <li>{@link Mode#DEVELOPMENT}: without {@code USE_REAL_EMAIL=1}, mail goes to the
 *       {@linkplain MailTransport#console() console} (codes printed, with a banner saying how to
 *       switch). With it, SMTP; when host, user or password is missing a loud warning is logged now,
 *       and the host defaults to {@code smtp.qq.com}. If no usable settings result, the returned
 *       transport fails every send with category {@code CONFIGURATION}: it never silently falls
 *       back to the console.</li>
 *   <li>{@link Mode#PRODUCTION}: SMTP is mandatory whatever {@code USE_REAL_EMAIL} says; a
 *       missing {@code EMAIL_HOST}, {@code EMAIL_HOST_USER} or {@code EMAIL_HOST_PASSWORD} throws
 *       {@link SmtpConfigurationException} naming the variable.</li>
 * </ul>
 * An invalid value ({@code EMAIL_PORT=abc}) throws in both modes once SMTP is in use.
 *
 * <pre>{@code
 * MailTransport transport = MailTransports.fromEnvironment(MailTransports.Mode.PRODUCTION);
 * VerificationCodeService service = VerificationCodeService.builder().transport(transport).build();
 * }</pre>
 */
public final class MailTransports {
  private static final Logger LOG = LoggerFactory.getLogger(MailTransports.class);

  /** Whether SMTP is optional (development) or mandatory (production). */
  public enum Mode {
    /** Console unless {@code USE_REAL_EMAIL=1}; missing settings are warnings. */
    DEVELOPMENT,
    /** SMTP always; missing settings are a start-up error. */
    PRODUCTION
  }

  private MailTransports() {}

  /**
   * Reads the process environment and, if present, {@code .env} in the working directory (the
   * environment wins), with the development rules.
   *
   * @return the console transport or an {@link SmtpTransport}
   * @throws SmtpConfigurationException when real mail is on and a value is invalid, or the
   *     {@code .env} file is malformed
   */
  public static MailTransport fromEnvironment() {
    return fromEnvironment(Mode.DEVELOPMENT);
  }

  /**
   * Reads the process environment and, if present, {@code .env} in the working directory (the
   * environment wins).
   *
   * @param mode development or production; not null
   * @return the console transport or an {@link SmtpTransport}
   * @throws SmtpConfigurationException in production when a required variable is missing, and in
   *     both modes when a value is invalid
   */
  public static MailTransport fromEnvironment(Mode mode) {
    return fromEnvironment(EnvironmentSource.system().orElse(EnvironmentSource.dotenvIfPresent(Path.of(".env"))),
        mode);
  }

  /**
   * Reads the process environment and the given {@code .env} file, which must exist (the
   * environment wins).
   *
   * @param dotenvFile the {@code .env} file; not null
   * @param mode development or production; not null
   * @return the console transport or an {@link SmtpTransport}
   * @throws SmtpConfigurationException when the file is missing or malformed, in production when a
   *     required variable is missing, and when a value is invalid
   */
  public static MailTransport fromEnvironment(Path dotenvFile, Mode mode) {
    return fromEnvironment(EnvironmentSource.system().orElse(EnvironmentSource.dotenv(dotenvFile)), mode);
  }

  /**
   * Reads the variables from a map, such as a test's or {@link System#getenv()}.
   *
   * @param variables names to values; not null
   * @param mode development or production; not null
   * @return the console transport or an {@link SmtpTransport}
   * @throws SmtpConfigurationException in production when a required variable is missing, and in
   *     both modes when a value is invalid
   */
  public static MailTransport fromEnvironment(Map<String, String> variables, Mode mode) {
    return fromEnvironment(EnvironmentSource.of(variables), mode);
  }

  /**
   * Reads the variables from any source.
   *
   * @param source where the variables come from; not null
   * @param mode development or production; not null
   * @return the console transport, an {@link SmtpTransport}, or (development, settings unusable) a
   *     transport failing every send with {@code CONFIGURATION}
   * @throws SmtpConfigurationException in production when a required variable is missing, and in
   *     both modes when a value is invalid
   */
  public static MailTransport fromEnvironment(EnvironmentSource source, Mode mode) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(mode, "mode");
    SmtpEnvironment env = SmtpEnvironment.read(source);
    if (mode == Mode.PRODUCTION) {
      SmtpSettings settings = env.requireSettings(); // C26: names the missing variable, now
      if (env.realMailExplicitlyOff()) {
        LOG.warn("{}=0 is ignored in production mode: mail is sent through SMTP", SmtpEnvironment.USE_REAL_EMAIL);
      }
      env.warnings().forEach(w -> LOG.warn("SMTP configuration: {}", w));
      return SmtpTransport.create(settings);
    }
    if (!env.realMailRequested()) {
      LOG.info("{} is not 1: verification mail is printed to the console, not sent (development mode)",
          SmtpEnvironment.USE_REAL_EMAIL);
      return MailTransport.console();
    }
    if (!env.problems().isEmpty()) {
      throw new SmtpConfigurationException("USE_REAL_EMAIL=1 but the SMTP configuration is invalid: "
          + String.join("; ", env.problems()), env.problemVariables());
    }
    if (!env.warnings().isEmpty()) {
      warnLoudly(env);
    }
    return env.settings().<MailTransport>map(SmtpTransport::create)
        .orElseGet(() -> new UnconfiguredTransport(env.missing()));
  }

  private static void warnLoudly(SmtpEnvironment env) {
    String bar = "=".repeat(78);
    StringBuilder sb = new StringBuilder();
    sb.append('\n').append(bar).append('\n')
        .append(" USE_REAL_EMAIL=1: real mail is ON, but the SMTP configuration needs attention:\n");
    for (String w : env.warnings()) {
      sb.append("  - ").append(w).append('\n');
    }
    if (!env.missing().isEmpty()) {
      sb.append(" Set ").append(String.join(", ", env.missing()))
          .append(" in the environment or .env, or sending will fail.\n");
    }
    sb.append(bar);
    LOG.warn("{}", sb);
  }

  /** Fails every send because real mail was asked for without usable settings. */
  static final class UnconfiguredTransport implements MailTransport {
    private final List<String> missing;

    UnconfiguredTransport(List<String> missing) {
      this.missing = List.copyOf(missing);
    }

    @Override
    public void send(EmailMessage message) {
      Objects.requireNonNull(message, "message");
      throw DeliveryException.builder(DeliveryException.Category.CONFIGURATION,
              "USE_REAL_EMAIL=1 but SMTP is not configured"
                  + (missing.isEmpty() ? "" : ": " + String.join(", ", missing) + " not set"))
          .hint("Set EMAIL_HOST, EMAIL_HOST_USER and EMAIL_HOST_PASSWORD (for QQ Mail the authorization code) in"
              + " the environment or .env, or unset USE_REAL_EMAIL to print mail to the console.")
          .build();
    }

    @Override
    public String toString() {
      return "UnconfiguredTransport" + missing;
    }
  }
}
