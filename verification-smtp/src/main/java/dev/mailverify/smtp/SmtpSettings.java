package dev.mailverify.smtp;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.Mailbox;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link SmtpTransport} and {@link SmtpDiagnostics} need to reach an SMTP server.
 * Immutable and validated when built: a bad value fails here, with a message naming the field and
 * the allowed range. {@link #toString()} never shows the password.
 *
 * <p>Build one with {@link #builder()}, from a provider with {@link #builder(SmtpPreset)}, or from
 * the seed's environment variables with {@link #fromEnvironment(Map)} or {@link SmtpEnvironment}.
 * The defaults are the safe ones: STARTTLS required (C22), 10-second connect, read and write
 * timeouts (C23), server identity always checked, protocol trace off.
 *
 * <pre>{@code
 * SmtpSettings settings = SmtpSettings.builder(SmtpPreset.QQ_MAIL)
 *     .username("12345@qq.com")
 *     .password(authorizationCode)
 *     .from("Roamio <12345@qq.com>")
 *     .build();
 * }</pre>
 *
 * @param host the SMTP server's host name (or address literal)
 * @param port the TCP port, 1-65535
 * @param security how the connection is protected
 * @param username the login, or {@code null} to send without AUTH (local relays)
 * @param password the password or authorization code; {@code null} exactly when {@code username} is
 * @param from the default sender; used when an {@link dev.mailverify.core.spi.EmailMessage} has none
 * @param connectTimeout the bound on opening the TCP connection (and resolving the host)
 * @param readTimeout the bound on each wait for a server reply, TLS handshake included
 * @param writeTimeout the bound on each write to the server
 * @param maxConnections how many connections the pool keeps open at most, 1-64; set it to the
 *     number of threads that send at once
 * @param idleTimeout how long an unused pooled connection stays open
 * @param trustStore the certificates to trust instead of the JDK's, for a private CA; {@code null}
 *     for the JDK's default trust store. Identity checks stay on either way.
 * @param ehloName the name sent with EHLO, or {@code null} for this machine's host name
 * @param debug whether Jakarta Mail's protocol trace ({@code mail.debug}) is printed to standard
 *     output. It prints every message, <strong>verification codes included</strong>; off by default
 *     (C16)
 */
public record SmtpSettings(
    String host,
    int port,
    SmtpSecurity security,
    @Nullable String username,
    @Nullable String password,
    Mailbox from,
    Duration connectTimeout,
    Duration readTimeout,
    Duration writeTimeout,
    int maxConnections,
    Duration idleTimeout,
    @Nullable KeyStore trustStore,
    @Nullable String ehloName,
    boolean debug) {

  /** The default for each timeout: 10 seconds (C23). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** The longest timeout accepted: 5 minutes. */
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
  /** The default pool size. */
  public static final int DEFAULT_MAX_CONNECTIONS = 4;
  /** The largest pool accepted. */
  public static final int MAX_CONNECTIONS = 64;
  /** The default time an idle pooled connection stays open. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the field and the allowed range when a value is out of
   *     range, or when only one of username and password is given
   * @throws NullPointerException when a required component is null
   */
  public SmtpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(from, "from");
    host = checkHost(host);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, was " + port);
    }
    if (username != null && (username.isBlank() || hasControl(username))) {
      throw new IllegalArgumentException("username must not be blank or contain control characters");
    }
    if (password != null && (password.isEmpty() || hasControl(password))) {
      // never echo the value
      throw new IllegalArgumentException("password must not be empty or contain control characters");
    }
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException(
          "username and password must be given together (or neither, for a server without AUTH)");
    }
    checkTimeout(connectTimeout, "connectTimeout");
    checkTimeout(readTimeout, "readTimeout");
    checkTimeout(writeTimeout, "writeTimeout");
    if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS) {
      throw new IllegalArgumentException("maxConnections must be 1-" + MAX_CONNECTIONS + ", was " + maxConnections);
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.compareTo(Duration.ofMillis(100)) < 0 || idleTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("idleTimeout must be between 100 ms and 1 hour, was " + idleTimeout);
    }
    if (ehloName != null) {
      ehloName = ehloName.strip();
      if (ehloName.isEmpty() || !ehloName.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException("ehloName must be a host name or address literal in printable ASCII");
      }
    }
  }

  /**
   * Starts a builder with the safe defaults and no host.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a builder with a provider's host, port and security mode filled in.
   *
   * @param preset the provider; not null
   * @return a new builder
   */
  public static Builder builder(SmtpPreset preset) {
    Objects.requireNonNull(preset, "preset");
    return new Builder().host(preset.host()).port(preset.port()).security(preset.security());
  }

  /**
   * Reads the seed's variables strictly: host, user and password must be set. Use
   * {@link SmtpEnvironment} for the lenient development rules and {@link EnvironmentSource} to add
   * a {@code .env} file.
   *
   * @param environment variable names to values, for example {@link System#getenv()}; not null
   * @return the settings
   * @throws SmtpConfigurationException naming every missing or invalid variable (never its value)
   */
  public static SmtpSettings fromEnvironment(Map<String, String> environment) {
    return SmtpEnvironment.read(EnvironmentSource.of(environment)).requireSettings();
  }

  /**
   * Returns a builder holding these settings, to change a few.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder().host(host).port(port).security(security).from(from)
        .connectTimeout(connectTimeout).readTimeout(readTimeout).writeTimeout(writeTimeout)
        .maxConnections(maxConnections).idleTimeout(idleTimeout).ehloName(ehloName).debug(debug);
    b.username = username;
    b.password = password;
    b.trustStore = trustStore;
    return b;
  }

  /**
   * Returns {@code host:port (MODE)} for logs and reports.
   *
   * @return for example {@code smtp.qq.com:587 (STARTTLS)}
   */
  public String target() {
    return host + ":" + port + " (" + security + ")";
  }

  /** Shows every setting except the password, which prints as {@code [PROTECTED]}. */
  @Override
  public String toString() {
    return "SmtpSettings[host=" + host + ", port=" + port + ", security=" + security
        + ", username=" + (username == null ? "(none)" : EmailAddress.mask(username))
        + ", password=" + (password == null ? "(none)" : "[PROTECTED]")
        + ", from=" + EmailAddress.mask(from.address())
        + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", writeTimeout=" + writeTimeout
        + ", maxConnections=" + maxConnections + ", idleTimeout=" + idleTimeout
        + ", trustStore=" + (trustStore == null ? "JDK default" : "custom")
        + ", ehloName=" + (ehloName == null ? "(local host name)" : ehloName)
        + ", debug=" + debug + "]";
  }

  private static String checkHost(String host) {
    String h = host.strip();
    if (h.isEmpty() || h.length() > 253) {
      throw new IllegalArgumentException("host must be 1-253 characters");
    }
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '/' || c == '@') {
        throw new IllegalArgumentException("host must be a host name or IP address without spaces, '/' or '@'");
      }
    }
    return h.toLowerCase(Locale.ROOT);
  }

  private static void checkTimeout(@Nullable Duration value, String field) {
    Objects.requireNonNull(value, field);
    if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(field + " must be between 1 ms and 5 minutes, was " + value);
    }
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  /**
   * Builds {@link SmtpSettings}. Every setter checks its argument at once; {@link #build()} checks
   * the combination. Reusable: {@code build()} may be called more than once.
   */
  public static final class Builder {
    private @Nullable String host;
    private int port = -1;
    private SmtpSecurity security = SmtpSecurity.STARTTLS;
    private @Nullable String username;
    private @Nullable String password;
    private @Nullable Mailbox from;
    private Duration connectTimeout = DEFAULT_TIMEOUT;
    private Duration readTimeout = DEFAULT_TIMEOUT;
    private Duration writeTimeout = DEFAULT_TIMEOUT;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private @Nullable KeyStore trustStore;
    private @Nullable String ehloName;
    private boolean debug;

    private Builder() {}

    /**
     * Sets the SMTP host. Required.
     *
     * @param value the host name, for example {@code smtp.qq.com}; not null
     * @return this builder
     */
    public Builder host(String value) {
      this.host = checkHost(Objects.requireNonNull(value, "host"));
      return this;
    }

    /**
     * Sets the port. Defaults to the security mode's port (587, 465 or 25).
     *
     * @param value 1-65535
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder port(int value) {
      if (value < 1 || value > 65535) {
        throw new IllegalArgumentException("port must be 1-65535, was " + value);
      }
      this.port = value;
      return this;
    }

    /**
     * Sets how the connection is protected; {@link SmtpSecurity#STARTTLS} by default.
     * {@link SmtpSecurity#PLAIN} is the explicit opt-in to plain text (C22).
     *
     * @param value the mode; not null
     * @return this builder
     */
    public Builder security(SmtpSecurity value) {
      this.security = Objects.requireNonNull(value, "security");
      return this;
    }

    /**
     * Sets the login and its password (for QQ Mail and most Chinese providers, the authorization
     * code generated in the mailbox's settings, not the login password).
     *
     * @param user the login, usually the full address; not null
     * @param secret the password or authorization code; not null, never logged
     * @return this builder
     */
    public Builder credentials(String user, String secret) {
      return username(user).password(secret);
    }

    /**
     * Sets the login.
     *
     * @param value the login, or {@code null} for none
     * @return this builder
     */
    public Builder username(@Nullable String value) {
      this.username = value == null ? null : value.strip();
      return this;
    }

    /**
     * Sets the password or authorization code.
     *
     * @param value the secret, or {@code null} for none; never logged
     * @return this builder
     */
    public Builder password(@Nullable String value) {
      this.password = value;
      return this;
    }

    /**
     * Sets the default sender. Defaults to the username when it is an e-mail address (QQ Mail
     * requires From to be the login account).
     *
     * @param value the sender; not null
     * @return this builder
     */
    public Builder from(Mailbox value) {
      this.from = Objects.requireNonNull(value, "from");
      return this;
    }

    /**
     * Sets the default sender from text such as {@code Roamio <noreply@example.com>}; the display
     * name may be in any language.
     *
     * @param value the sender; not null
     * @return this builder
     * @throws dev.mailverify.core.InvalidAddressException when the address is invalid
     * @throws dev.mailverify.core.HeaderInjectionException when the text has control characters
     */
    public Builder from(String value) {
      return from(Mailbox.parse(Objects.requireNonNull(value, "from")));
    }

    /**
     * Sets the connect, read and write timeouts to one value.
     *
     * @param value between 1 ms and 5 minutes; not null
     * @return this builder
     */
    public Builder timeout(Duration value) {
      return connectTimeout(value).readTimeout(value).writeTimeout(value);
    }

    /**
     * Sets the connect timeout (10 s by default); it also bounds resolving the host.
     *
     * @param value between 1 ms and 5 minutes; not null
     * @return this builder
     */
    public Builder connectTimeout(Duration value) {
      checkTimeout(value, "connectTimeout");
      this.connectTimeout = value;
      return this;
    }

    /**
     * Sets the read timeout (10 s by default): how long to wait for each server reply.
     *
     * @param value between 1 ms and 5 minutes; not null
     * @return this builder
     */
    public Builder readTimeout(Duration value) {
      checkTimeout(value, "readTimeout");
      this.readTimeout = value;
      return this;
    }

    /**
     * Sets the write timeout (10 s by default).
     *
     * @param value between 1 ms and 5 minutes; not null
     * @return this builder
     */
    public Builder writeTimeout(Duration value) {
      checkTimeout(value, "writeTimeout");
      this.writeTimeout = value;
      return this;
    }

    /**
     * Sets the pool size (4 by default): the number of connections kept open and the number of
     * sends that can run at once.
     *
     * @param value 1-64
     * @return this builder
     */
    public Builder maxConnections(int value) {
      if (value < 1 || value > MAX_CONNECTIONS) {
        throw new IllegalArgumentException("maxConnections must be 1-" + MAX_CONNECTIONS + ", was " + value);
      }
      this.maxConnections = value;
      return this;
    }

    /**
     * Sets how long an unused connection stays open (30 s by default).
     *
     * @param value between 100 ms and 1 hour; not null
     * @return this builder
     */
    public Builder idleTimeout(Duration value) {
      Objects.requireNonNull(value, "idleTimeout");
      if (value.compareTo(Duration.ofMillis(100)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("idleTimeout must be between 100 ms and 1 hour, was " + value);
      }
      this.idleTimeout = value;
      return this;
    }

    /**
     * Trusts the certificates in this key store instead of the JDK's default ones, for a server
     * with a private CA. Host name checks stay on.
     *
     * @param value a key store with trusted certificate entries, or {@code null} for the JDK's
     * @return this builder
     */
    public Builder trustStore(@Nullable KeyStore value) {
      this.trustStore = value;
      return this;
    }

    /**
     * Trusts the X.509 certificates (PEM or DER, one or more) in a file, such as a private CA's
     * {@code ca.pem}. Host name checks stay on.
     *
     * @param certificates the file; not null
     * @return this builder
     * @throws IllegalArgumentException when the file cannot be read or holds no certificate
     */
    public Builder trustedCertificates(Path certificates) {
      Objects.requireNonNull(certificates, "certificates");
      try (InputStream in = Files.newInputStream(certificates)) {
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        if (certs.isEmpty()) {
          throw new IllegalArgumentException("no certificate in " + certificates);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (Certificate cert : certs) {
          ks.setCertificateEntry("trusted-" + i++, cert);
        }
        this.trustStore = ks;
        return this;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot read certificates from " + certificates + ": " + e.getMessage(), e);
      }
    }

    /**
     * Sets the name sent with EHLO. Defaults to this machine's host name.
     *
     * @param value a host name or address literal, or {@code null} for the default
     * @return this builder
     */
    public Builder ehloName(@Nullable String value) {
      this.ehloName = value;
      return this;
    }

    /**
     * Turns Jakarta Mail's protocol trace ({@code mail.debug}) on or off; off by default. The trace
     * goes to standard output and contains every message sent, <strong>the verification code
     * included</strong>: use it only against a test server.
     *
     * @param value {@code true} to print the SMTP conversation
     * @return this builder
     */
    public Builder debug(boolean value) {
      this.debug = value;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     * @throws IllegalStateException when the host is missing, or no sender was given and the
     *     username is not an e-mail address
     * @throws IllegalArgumentException when the combination is invalid (see {@link SmtpSettings})
     */
    public SmtpSettings build() {
      if (host == null) {
        throw new IllegalStateException("host is required (EMAIL_HOST), for example smtp.qq.com");
      }
      Mailbox sender = from;
      if (sender == null) {
        if (username == null || !EmailAddress.isValid(username)) {
          throw new IllegalStateException(
              "from is required (DEFAULT_FROM_EMAIL) when the username is not an e-mail address");
        }
        sender = new Mailbox(username, null);
      }
      return new SmtpSettings(host, port > 0 ? port : security.defaultPort(), security, username, password, sender,
          connectTimeout, readTimeout, writeTimeout, maxConnections, idleTimeout, trustStore, ehloName, debug);
    }
  }
}
