package dev.mailverify.smtp;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.MailVerifyException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's configuration variables: read and checked once, and turned into the transport the
 * seed's rule asks for.
 *
 * <p><b>The transport.</b> {@link #createTransport()} and its overloads apply the seed's rule: the
 * console in development unless {@code USE_REAL_EMAIL=1}, SMTP otherwise, and every configuration
 * problem reported at start-up, not at the first send (C26).
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
 * An invalid value ({@code EMAIL_PORT=abc}) throws in both modes once SMTP is in use. Start-up
 * warnings are logged by the logger {@code dev.mailverify.smtp.SmtpEnvironment}.
 *
 * <pre>{@code
 * MailTransport transport = SmtpEnvironment.createTransport(SmtpEnvironment.Mode.PRODUCTION);
 * VerificationCodeService service = VerificationCodeService.builder().transport(transport).build();
 * }</pre>
 *
 * <p><b>The variables.</b> {@link #read(EnvironmentSource)} reads them without deciding anything;
 * call it yourself to show what is wrong before starting.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code USE_REAL_EMAIL}</td><td>{@code 1} sends through SMTP in development</td><td>{@code 0}</td></tr>
 *   <tr><td>{@code EMAIL_HOST}</td><td>SMTP host</td><td>{@code smtp.qq.com} (with a warning)</td></tr>
 *   <tr><td>{@code EMAIL_PORT}</td><td>SMTP port</td><td>587, or 465 with SSL</td></tr>
 *   <tr><td>{@code EMAIL_HOST_USER}</td><td>the login</td><td>none</td></tr>
 *   <tr><td>{@code EMAIL_HOST_PASSWORD}</td><td>password; for QQ Mail the authorization code</td><td>none</td></tr>
 *   <tr><td>{@code DEFAULT_FROM_EMAIL}</td><td>From, such as {@code Roamio <a@qq.com>}</td><td>the login</td></tr>
 *   <tr><td>{@code EMAIL_USE_TLS}</td><td>STARTTLS, required</td><td>{@code 1}</td></tr>
 *   <tr><td>{@code EMAIL_USE_SSL}</td><td>implicit TLS (port 465)</td><td>{@code 0}</td></tr>
 *   <tr><td>{@code EMAIL_TIMEOUT}</td><td>seconds for connect, read and write</td><td>10</td></tr>
 *   <tr><td>{@code EMAIL_SSL_CAFILE}</td><td>a PEM file with one or more CA certificates to trust instead of
 *       the JDK's, for a private CA (a company relay, a test server); host names are still checked</td>
 *       <td>the JDK's trust store</td></tr>
 *   <tr><td>{@code EMAIL_DKIM_DOMAIN}</td><td>DKIM signing domain ({@code d=}), normally the From domain</td>
 *       <td>no signing</td></tr>
 *   <tr><td>{@code EMAIL_DKIM_SELECTOR}</td><td>DKIM selector ({@code s=}): the public key is published at
 *       {@code <selector>._domainkey.<domain>}</td><td>no signing</td></tr>
 *   <tr><td>{@code EMAIL_DKIM_KEY_FILE}</td><td>the private key, PKCS#8 PEM, RSA 2048+ or Ed25519</td>
 *       <td>no signing</td></tr>
 * </table>
 *
 * <p>The three DKIM variables go together: all three sign every message, none sends unsigned, and
 * one or two of them is a configuration problem naming the missing ones (C26: reported at start-up,
 * not at the first send).
 *
 * <p>Booleans accept {@code 1/0}, {@code true/false}, {@code yes/no}, {@code on/off}. An empty value
 * counts as unset. Port 465 with neither TLS variable set means implicit TLS.
 * {@code EMAIL_USE_TLS=0} without {@code EMAIL_USE_SSL=1} is the explicit opt-in to plain text and
 * gives a warning. No message of this class ever contains a value, only variable names.
 */
public final class SmtpEnvironment {
  private static final Logger LOG = LoggerFactory.getLogger(SmtpEnvironment.class);

  /** Whether SMTP is optional (development) or mandatory (production). */
  public enum Mode {
    /** Console unless {@code USE_REAL_EMAIL=1}; missing settings are warnings. */
    DEVELOPMENT,
    /** SMTP always; missing settings are a start-up error. */
    PRODUCTION
  }

  /** {@code 1} sends real mail in development. */
  public static final String USE_REAL_EMAIL = "USE_REAL_EMAIL";
  /** The SMTP host. */
  public static final String EMAIL_HOST = "EMAIL_HOST";
  /** The SMTP port. */
  public static final String EMAIL_PORT = "EMAIL_PORT";
  /** The login. */
  public static final String EMAIL_HOST_USER = "EMAIL_HOST_USER";
  /** The password; for QQ Mail, the authorization code. */
  public static final String EMAIL_HOST_PASSWORD = "EMAIL_HOST_PASSWORD";
  /** The default sender, with an optional display name. */
  public static final String DEFAULT_FROM_EMAIL = "DEFAULT_FROM_EMAIL";
  /** {@code 1}: STARTTLS, required. */
  public static final String EMAIL_USE_TLS = "EMAIL_USE_TLS";
  /** {@code 1}: implicit TLS. */
  public static final String EMAIL_USE_SSL = "EMAIL_USE_SSL";
  /** Timeout in seconds for connect, read and write. */
  public static final String EMAIL_TIMEOUT = "EMAIL_TIMEOUT";
  /** A PEM file with the CA certificates to trust instead of the JDK's (a private CA). */
  public static final String EMAIL_SSL_CAFILE = "EMAIL_SSL_CAFILE";
  /** The DKIM signing domain ({@code d=}); with the selector and the key file, mail is signed. */
  public static final String EMAIL_DKIM_DOMAIN = "EMAIL_DKIM_DOMAIN";
  /** The DKIM selector ({@code s=}). */
  public static final String EMAIL_DKIM_SELECTOR = "EMAIL_DKIM_SELECTOR";
  /** The DKIM private key file, PKCS#8 PEM (RSA 2048 bits or more, or Ed25519). */
  public static final String EMAIL_DKIM_KEY_FILE = "EMAIL_DKIM_KEY_FILE";
  /** The host used when {@code EMAIL_HOST} is not set (the seed's default). */
  public static final String DEFAULT_HOST = "smtp.qq.com";

  private final boolean realMailRequested;
  private final @Nullable Boolean realMailExplicit;
  private final List<String> missing;
  private final List<String> problems;
  private final List<String> warnings;
  private final @Nullable SmtpSettings settings;

  private final List<String> problemVariables;

  private SmtpEnvironment(@Nullable Boolean realMail, List<String> missing, Problems problems,
      List<String> warnings, @Nullable SmtpSettings settings) {
    this.realMailExplicit = realMail;
    this.realMailRequested = Boolean.TRUE.equals(realMail);
    this.missing = List.copyOf(missing);
    this.problems = List.copyOf(problems.sentences);
    this.problemVariables = List.copyOf(problems.variables);
    this.warnings = List.copyOf(warnings);
    this.settings = settings;
  }

  /**
   * Reads the process environment and, if present, {@code .env} in the working directory (the
   * environment wins), with the development rules.
   *
   * @return the console transport or an {@link SmtpTransport}
   * @throws SmtpConfigurationException when real mail is on and a value is invalid, or the
   *     {@code .env} file is malformed
   */
  public static MailTransport createTransport() {
    return createTransport(Mode.DEVELOPMENT);
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
  public static MailTransport createTransport(Mode mode) {
    return createTransport(EnvironmentSource.system().orElse(EnvironmentSource.dotenvIfPresent(Path.of(".env"))),
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
  public static MailTransport createTransport(Path dotenvFile, Mode mode) {
    return createTransport(EnvironmentSource.system().orElse(EnvironmentSource.dotenv(dotenvFile)), mode);
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
  public static MailTransport createTransport(Map<String, String> variables, Mode mode) {
    return createTransport(EnvironmentSource.of(variables), mode);
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
  public static MailTransport createTransport(EnvironmentSource source, Mode mode) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(mode, "mode");
    SmtpEnvironment env = read(source);
    if (mode == Mode.PRODUCTION) {
      SmtpSettings settings = env.requireSettings(); // C26: names the missing variable, now
      if (env.realMailExplicitlyOff()) {
        LOG.warn("{}=0 is ignored in production mode: mail is sent through SMTP", USE_REAL_EMAIL);
      }
      env.warnings().forEach(w -> LOG.warn("SMTP configuration: {}", w));
      return SmtpTransport.create(settings);
    }
    if (!env.realMailRequested()) {
      LOG.info("{} is not 1: verification mail is printed to the console, not sent (development mode)",
          USE_REAL_EMAIL);
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

  /**
   * Reads and checks the variables. Never throws for a bad value: problems are collected and
   * reported by {@link #problems()} and {@link #requireSettings()}.
   *
   * @param source where the variables come from; not null
   * @return what was found
   */
  public static SmtpEnvironment read(EnvironmentSource source) {
    Objects.requireNonNull(source, "source");
    List<String> missing = new ArrayList<>();
    Problems problems = new Problems();
    List<String> warnings = new ArrayList<>();

    Boolean realMail = bool(source, USE_REAL_EMAIL, problems);
    String host = value(source, EMAIL_HOST);
    String user = value(source, EMAIL_HOST_USER);
    String password = source.get(EMAIL_HOST_PASSWORD);
    if (password != null && password.strip().isEmpty()) {
      password = null;
    }
    if (password != null) {
      // a trailing newline or space from copy-paste breaks the login silently; never show the value
      password = password.strip();
    }
    Boolean useTls = bool(source, EMAIL_USE_TLS, problems);
    Boolean useSsl = bool(source, EMAIL_USE_SSL, problems);
    Integer port = port(source, problems);
    Duration timeout = timeout(source, problems);
    List<X509Certificate> trusted = caFile(source, problems);
    DkimSigner dkim = dkim(source, problems);
    Mailbox from = null;
    String fromText = value(source, DEFAULT_FROM_EMAIL);
    if (fromText != null) {
      try {
        from = Mailbox.parse(fromText);
      } catch (MailVerifyException e) {
        problems.add(DEFAULT_FROM_EMAIL, DEFAULT_FROM_EMAIL + " must be an address such as 'Roamio <noreply@example.com>': "
            + e.getMessage());
      }
    }

    SmtpSecurity security;
    if (Boolean.TRUE.equals(useSsl)) {
      security = SmtpSecurity.IMPLICIT_TLS;
      if (Boolean.TRUE.equals(useTls)) {
        problems.add(EMAIL_USE_SSL, EMAIL_USE_TLS + " and " + EMAIL_USE_SSL + " are mutually exclusive: set EMAIL_USE_TLS=1 for"
            + " STARTTLS (port 587) or EMAIL_USE_SSL=1 for implicit TLS (port 465), not both");
      }
    } else if (useTls == null && useSsl == null && port != null && port == 465) {
      security = SmtpSecurity.IMPLICIT_TLS;
    } else if (Boolean.FALSE.equals(useTls)) {
      security = SmtpSecurity.PLAIN;
      warnings.add(EMAIL_USE_TLS + "=0 and " + EMAIL_USE_SSL + " is not 1: mail, password and codes cross the"
          + " network in PLAIN TEXT. Use this only for a test server on this machine.");
    } else {
      security = SmtpSecurity.STARTTLS;
      if (port != null && port == 465) {
        warnings.add(EMAIL_PORT + "=465 usually expects implicit TLS: set " + EMAIL_USE_SSL + "=1 (and "
            + EMAIL_USE_TLS + "=0), or use port 587 for STARTTLS");
      }
    }

    if (host == null) {
      missing.add(EMAIL_HOST);
      warnings.add(EMAIL_HOST + " is not set: using " + DEFAULT_HOST + " (the seed's default)");
      host = DEFAULT_HOST;
    }
    if (user == null) {
      missing.add(EMAIL_HOST_USER);
      warnings.add(EMAIL_HOST_USER + " is not set: the SMTP login (for QQ Mail, the full @qq.com address)");
    }
    if (password == null) {
      missing.add(EMAIL_HOST_PASSWORD);
      warnings.add(EMAIL_HOST_PASSWORD + " is not set: for QQ Mail it is the authorization code generated in"
          + " Settings > Account > POP3/IMAP/SMTP, not the login password");
    }
    Mailbox userAsSender = SmtpSettings.senderFromUsername(user);
    if (from == null && fromText == null) {
      if (userAsSender != null) {
        warnings.add(DEFAULT_FROM_EMAIL + " is not set: mail is sent from " + EMAIL_HOST_USER);
      } else if (user != null) {
        problems.add(DEFAULT_FROM_EMAIL, DEFAULT_FROM_EMAIL + " must be set because " + EMAIL_HOST_USER + " is not an e-mail address");
      }
    }
    if (from != null && userAsSender != null && !from.address().equalsIgnoreCase(userAsSender.address())) {
      warnings.add(DEFAULT_FROM_EMAIL + " differs from " + EMAIL_HOST_USER + ": QQ Mail and many providers"
          + " reject a From that is not the login account (SMTP 501/553)");
    }

    String sender = from != null ? from.address() : userAsSender != null ? userAsSender.address() : null;
    if (dkim != null && sender != null && !DkimSigner.aligned(dkim.domain(), sender)) {
      warnings.add(EMAIL_DKIM_DOMAIN + " is not the domain of the From address (nor a parent of it): receivers"
          + " checking DMARC ignore a signature that is not aligned with From");
    }
    SmtpSettings settings = null;
    if (problems.sentences.isEmpty() && (user != null || from != null) && (user == null) == (password == null)) {
      try {
        SmtpSettings.Builder b = SmtpSettings.builder().host(host).security(security).username(user)
            .password(password);
        if (port != null) {
          b.port(port);
        }
        if (timeout != null) {
          b.timeout(timeout);
        }
        if (from != null) {
          b.from(from);
        }
        if (trusted != null) {
          b.trustedCertificates(trusted);
        }
        b.dkim(dkim);
        settings = b.build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        // messages of the builder name fields, never values
        problems.add(null, "the SMTP settings are invalid: " + e.getMessage());
      }
    }
    return new SmtpEnvironment(realMail, missing, problems, warnings, settings);
  }

  /**
   * Tells whether {@code USE_REAL_EMAIL} is on.
   *
   * @return {@code true} when {@code USE_REAL_EMAIL} is {@code 1} (or true, yes, on)
   */
  public boolean realMailRequested() {
    return realMailRequested;
  }

  /**
   * Tells whether {@code USE_REAL_EMAIL} was set to an off value ({@code 0}, false, ...), as opposed
   * to not set.
   *
   * @return {@code true} when real mail was explicitly switched off
   */
  public boolean realMailExplicitlyOff() {
    return Boolean.FALSE.equals(realMailExplicit);
  }

  /**
   * Returns the required variables that are not set, among {@code EMAIL_HOST},
   * {@code EMAIL_HOST_USER} and {@code EMAIL_HOST_PASSWORD}.
   *
   * @return the names, possibly empty
   */
  public List<String> missing() {
    return missing;
  }

  /**
   * Returns what is invalid, one sentence per problem, each naming its variable.
   *
   * @return the problems, possibly empty
   */
  public List<String> problems() {
    return problems;
  }

  /**
   * Returns what deserves a loud warning at start-up when real mail is on: missing variables,
   * defaults applied, plain text, a From that differs from the login.
   *
   * @return the warnings, possibly empty
   */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Returns the settings when the variables are enough to build them, defaults applied; they may
   * lack credentials (for a local relay) when user and password are both missing.
   *
   * @return the settings, or empty when a value is invalid or no sender can be determined
   */
  public Optional<SmtpSettings> settings() {
    return Optional.ofNullable(settings);
  }

  /**
   * Returns complete settings or fails naming every missing or invalid variable: the production
   * rule (C26).
   *
   * @return the settings, with host, user and password set
   * @throws SmtpConfigurationException naming the variables at fault (never their values)
   */
  public SmtpSettings requireSettings() {
    if (!missing.isEmpty() || !problems.isEmpty() || settings == null) {
      List<String> sentences = new ArrayList<>();
      for (String name : missing) {
        sentences.add(name + " is not set" + (name.equals(EMAIL_HOST_PASSWORD)
            ? " (for QQ Mail: the authorization code from Settings > Account > POP3/IMAP/SMTP, not the login password)"
            : ""));
      }
      sentences.addAll(problems);
      List<String> variables = requireSettingsVariables();
      throw new SmtpConfigurationException("SMTP is required but its configuration is incomplete: "
          + String.join("; ", sentences) + ". Set them in the environment or the .env file.", variables);
    }
    return settings;
  }

  /** The variables whose values are invalid. */
  List<String> problemVariables() {
    return problemVariables;
  }

  /** The variables named by {@link #requireSettings()}: missing ones, then invalid ones. */
  List<String> requireSettingsVariables() {
    List<String> variables = new ArrayList<>(missing);
    problemVariables.stream().filter(v -> !variables.contains(v)).forEach(variables::add);
    return variables;
  }

  /** Names the variables found missing or invalid, never values. */
  @Override
  public String toString() {
    return "SmtpEnvironment[realMail=" + realMailRequested + ", missing=" + missing + ", problems="
        + problems.size() + ", settings=" + settings + "]";
  }

  private static @Nullable String value(EnvironmentSource source, String name) {
    String v = source.get(name);
    if (v == null) {
      return null;
    }
    v = v.strip();
    return v.isEmpty() ? null : v;
  }

  private static @Nullable Boolean bool(EnvironmentSource source, String name, Problems problems) {
    String v = value(source, name);
    if (v == null) {
      return null;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on":
        return Boolean.TRUE;
      case "0", "false", "no", "off":
        return Boolean.FALSE;
      default:
        problems.add(name, name + " must be 1 or 0 (true/false, yes/no, on/off)");
        return null;
    }
  }

  private static @Nullable Integer port(EnvironmentSource source, Problems problems) {
    String v = value(source, EMAIL_PORT);
    if (v == null) {
      return null;
    }
    try {
      int p = Integer.parseInt(v);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(EMAIL_PORT, EMAIL_PORT + " must be a port number 1-65535, usually 587 (STARTTLS) or 465 (SSL)");
    return null;
  }

  private static @Nullable Duration timeout(EnvironmentSource source, Problems problems) {
    String v = value(source, EMAIL_TIMEOUT);
    if (v == null) {
      return null;
    }
    try {
      BigDecimal seconds = new BigDecimal(v);
      if (seconds.compareTo(new BigDecimal("0.001")) >= 0 && seconds.compareTo(BigDecimal.valueOf(300)) <= 0) {
        return Duration.ofMillis(seconds.movePointRight(3).longValue());
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(EMAIL_TIMEOUT, EMAIL_TIMEOUT + " must be a number of seconds between 0.001 and 300, such as 10");
    return null;
  }

  private static @Nullable List<X509Certificate> caFile(EnvironmentSource source, Problems problems) {
    String v = value(source, EMAIL_SSL_CAFILE);
    if (v == null) {
      return null;
    }
    String why;
    try {
      Path file = Path.of(v);
      if (!Files.isRegularFile(file)) {
        why = "the file does not exist (a relative path is read from the working directory)";
      } else {
        return SmtpSettings.readCertificates(file);
      }
    } catch (InvalidPathException e) {
      why = "it is not a valid path";
    } catch (IllegalArgumentException e) {
      why = "the file holds no readable PEM certificate";
    }
    problems.add(EMAIL_SSL_CAFILE, EMAIL_SSL_CAFILE + " must name a PEM file with one or more CA certificates: " + why);
    return null;
  }

  private static @Nullable DkimSigner dkim(EnvironmentSource source, Problems problems) {
    String domain = value(source, EMAIL_DKIM_DOMAIN);
    String selector = value(source, EMAIL_DKIM_SELECTOR);
    String keyFile = value(source, EMAIL_DKIM_KEY_FILE);
    if (domain == null && selector == null && keyFile == null) {
      return null;
    }
    List<String> unset = new ArrayList<>();
    if (domain == null) {
      unset.add(EMAIL_DKIM_DOMAIN);
    }
    if (selector == null) {
      unset.add(EMAIL_DKIM_SELECTOR);
    }
    if (keyFile == null) {
      unset.add(EMAIL_DKIM_KEY_FILE);
    }
    if (domain == null || selector == null || keyFile == null) {
      String sentence = "DKIM signing needs " + EMAIL_DKIM_DOMAIN + ", " + EMAIL_DKIM_SELECTOR + " and "
          + EMAIL_DKIM_KEY_FILE + " together (or none of them): " + String.join(" and ", unset)
          + (unset.size() == 1 ? " is" : " are") + " not set";
      for (String name : unset) {
        problems.add(name, sentence);
        sentence = null;
      }
      return null;
    }
    Path file;
    try {
      file = Path.of(keyFile);
    } catch (InvalidPathException e) {
      problems.add(EMAIL_DKIM_KEY_FILE, EMAIL_DKIM_KEY_FILE + " is not a valid path");
      return null;
    }
    if (!Files.isRegularFile(file)) {
      problems.add(EMAIL_DKIM_KEY_FILE, EMAIL_DKIM_KEY_FILE + " must name the DKIM private key file (PKCS#8 PEM): the"
          + " file does not exist (a relative path is read from the working directory)");
      return null;
    }
    try {
      return DkimSigner.fromPemFile(domain, selector, file);
    } catch (SmtpConfigurationException e) {
      problems.add(EMAIL_DKIM_KEY_FILE, EMAIL_DKIM_KEY_FILE + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      // the messages name the field; the values are the user's domain and selector, not secrets
      String message = String.valueOf(e.getMessage());
      String setting = message.startsWith("selector") ? EMAIL_DKIM_SELECTOR : EMAIL_DKIM_DOMAIN;
      problems.add(setting, setting + ": " + message);
    }
    return null;
  }

  /** Problems found while reading, each with the variable at fault when there is one. */
  private static final class Problems {
    final List<String> sentences = new ArrayList<>();
    final List<String> variables = new ArrayList<>();

    void add(@Nullable String variable, @Nullable String sentence) {
      if (sentence != null) {
        sentences.add(sentence);
      }
      if (variable != null && !variables.contains(variable)) {
        variables.add(variable);
      }
    }
  }
}
