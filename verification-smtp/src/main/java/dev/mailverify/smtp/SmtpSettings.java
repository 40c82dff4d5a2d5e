package dev.mailverify.smtp;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.HeaderInjectionException;
import dev.mailverify.core.InvalidAddressException;
import dev.mailverify.core.Mailbox;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link SmtpTransport} and {@link SmtpDiagnostics} need to reach an SMTP server.
 * Immutable and validated when built: a bad value fails where it is set, with a message naming the
 * field and the allowed range.
 *
 * <p>The password is not readable through this class's public API: only the transport and the
 * diagnostics in this module read it, and it takes no part in {@link #equals}, {@link #hashCode}
 * or {@link #toString()} (which prints {@code [PROTECTED]}). Trusted certificates are an immutable
 * list; the transport builds its trust store from them.
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
 */
public final class SmtpSettings {
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

  private final String host;
  private final int port;
  private final SmtpSecurity security;
  private final @Nullable String username;
  private final @Nullable String password;
  private final Mailbox from;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final int maxConnections;
  private final Duration idleTimeout;
  private final List<X509Certificate> trustedCertificates;
  private final @Nullable String ehloName;
  private final boolean debug;
  private final @Nullable DkimSigner dkim;
  private final @Nullable AccessTokenSource tokenSource;

  private SmtpSettings(Builder b, String host, Mailbox from) {
    this.host = host;
    this.port = b.port > 0 ? b.port : b.security.defaultPort();
    this.security = b.security;
    this.username = b.username;
    this.password = b.password;
    this.from = from;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.writeTimeout = b.writeTimeout;
    this.maxConnections = b.maxConnections;
    this.idleTimeout = b.idleTimeout;
    this.trustedCertificates = b.trustedCertificates;
    this.ehloName = b.ehloName;
    this.debug = b.debug;
    this.dkim = b.dkim;
    this.tokenSource = b.tokenSource;
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
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.security = security;
    b.username = username;
    b.password = password;
    b.from = from;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.writeTimeout = writeTimeout;
    b.maxConnections = maxConnections;
    b.idleTimeout = idleTimeout;
    b.trustedCertificates = trustedCertificates;
    b.ehloName = ehloName;
    b.debug = debug;
    b.dkim = dkim;
    b.tokenSource = tokenSource;
    return b;
  }

  /**
   * Returns the SMTP server's host name (or address literal), lower-cased.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * Returns the TCP port, 1-65535.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns how the connection is protected.
   *
   * @return the security mode
   */
  public SmtpSecurity security() {
    return security;
  }

  /**
   * Returns the login.
   *
   * @return the login, or {@code null} to send without AUTH (local relays)
   */
  public @Nullable String username() {
    return username;
  }

  /**
   * Tells whether a password is set (never what it is).
   *
   * @return {@code true} when the login uses a password or authorization code; {@code false}
   *     without login or with {@link #accessTokenSource() OAuth2}
   */
  public boolean hasPassword() {
    return password != null;
  }

  /** The password or authorization code, for the transport and the diagnostics only. */
  @Nullable String password() {
    return password;
  }

  /**
   * Returns the source of OAuth2 access tokens when the login uses XOAUTH2 (Microsoft 365 /
   * Outlook, Gmail) instead of a password.
   *
   * @return the source, or empty for a password login or none
   */
  public Optional<AccessTokenSource> accessTokenSource() {
    return Optional.ofNullable(tokenSource);
  }

  /**
   * Returns the DKIM signer every outgoing message is signed with.
   *
   * @return the signer, or empty when mail is not signed
   */
  public Optional<DkimSigner> dkim() {
    return Optional.ofNullable(dkim);
  }

  /**
   * Returns the default sender, used when an {@link dev.mailverify.core.spi.EmailMessage} has none.
   *
   * @return the sender
   */
  public Mailbox from() {
    return from;
  }

  /**
   * Returns the bound on opening the TCP connection (and resolving the host).
   *
   * @return the connect timeout
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * Returns the bound on each wait for a server reply, TLS handshake included.
   *
   * @return the read timeout
   */
  public Duration readTimeout() {
    return readTimeout;
  }

  /**
   * Returns the bound on each write to the server.
   *
   * @return the write timeout
   */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /**
   * Returns how many connections the pool keeps open at most, 1-64.
   *
   * @return the pool size
   */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * Returns how long an unused pooled connection stays open.
   *
   * @return the idle timeout
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * Returns the certificates trusted instead of the JDK's, for a private CA. Identity checks stay
   * on either way.
   *
   * @return an immutable list; empty for the JDK's default trust store
   */
  public List<X509Certificate> trustedCertificates() {
    return trustedCertificates;
  }

  /**
   * Returns the name sent with EHLO.
   *
   * @return the name, or {@code null} for this machine's host name
   */
  public @Nullable String ehloName() {
    return ehloName;
  }

  /**
   * Tells whether Jakarta Mail's protocol trace ({@code mail.debug}) is printed to standard output.
   * It prints every message, <strong>verification codes included</strong>; off by default (C16).
   *
   * @return whether the trace is on
   */
  public boolean debug() {
    return debug;
  }

  /**
   * Compares every setting except the password; the DKIM signer and the token source compare by
   * identity.
   *
   * @param o the other object
   * @return whether both name the same server, account, sender, limits and trust
   */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SmtpSettings)) {
      return false;
    }
    SmtpSettings other = (SmtpSettings) o;
    return port == other.port && maxConnections == other.maxConnections && debug == other.debug
        && host.equals(other.host) && security == other.security && Objects.equals(username, other.username)
        && from.equals(other.from) && connectTimeout.equals(other.connectTimeout)
        && readTimeout.equals(other.readTimeout) && writeTimeout.equals(other.writeTimeout)
        && idleTimeout.equals(other.idleTimeout) && trustedCertificates.equals(other.trustedCertificates)
        && Objects.equals(ehloName, other.ehloName) && Objects.equals(dkim, other.dkim)
        && Objects.equals(tokenSource, other.tokenSource);
  }

  /**
   * Hashes every setting except the password.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(host, port, security, username, from, connectTimeout, readTimeout, writeTimeout,
        maxConnections, idleTimeout, trustedCertificates, ehloName, debug, dkim, tokenSource);
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
        + (tokenSource == null ? "" : ", oauth2=XOAUTH2 [PROTECTED]")
        + ", dkim=" + (dkim == null ? "(none)" : dkim)
        + ", from=" + EmailAddress.mask(from.address())
        + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", writeTimeout=" + writeTimeout
        + ", maxConnections=" + maxConnections + ", idleTimeout=" + idleTimeout
        + ", trustedCertificates=" + (trustedCertificates.isEmpty() ? "JDK default" : trustedCertificates.size())
        + ", ehloName=" + (ehloName == null ? "(local host name)" : ehloName)
        + ", debug=" + debug + "]";
  }

  private static String checkHost(String host) {
    String h = host.strip();
    if (h.isEmpty() || h.length() > 253) {
      throw new IllegalArgumentException("host must be 1-253 characters, was " + h.length());
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

  /** Reads every X.509 certificate in a PEM (or DER) file. */
  static List<X509Certificate> readCertificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + file);
      }
      return List.copyOf(out);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read certificates from " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The login as a sender, when it is an address (a single-label domain such as
   * {@code app@localhost} included, as for {@link Builder#from(Mailbox)}); otherwise {@code null}.
   */
  static @Nullable Mailbox senderFromUsername(@Nullable String username) {
    if (username == null) {
      return null;
    }
    try {
      return new Mailbox(username, null);
    } catch (InvalidAddressException | HeaderInjectionException e) {
      return null;
    }
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  /**
   * Builds {@link SmtpSettings}. Each setter checks its argument at once and may be called again;
   * the last call wins. build() checks the settings together. Reusable: {@code build()} may be
   * called more than once.
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
    private List<X509Certificate> trustedCertificates = List.of();
    private @Nullable String ehloName;
    private boolean debug;
    private @Nullable DkimSigner dkim;
    private @Nullable AccessTokenSource tokenSource;

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
     * @throws IllegalArgumentException when blank or with control characters
     */
    public Builder username(@Nullable String value) {
      if (value != null && (value.isBlank() || hasControl(value))) {
        throw new IllegalArgumentException("username must not be blank or contain control characters");
      }
      this.username = value == null ? null : value.strip();
      return this;
    }

    /**
     * Sets the password or authorization code.
     *
     * @param value the secret, or {@code null} for none; never logged
     * @return this builder
     * @throws IllegalArgumentException when empty or with control characters (the message never
     *     shows the value)
     */
    public Builder password(@Nullable String value) {
      if (value != null && (value.isEmpty() || hasControl(value))) {
        throw new IllegalArgumentException("password must not be empty or contain control characters");
      }
      this.password = value;
      if (value != null) {
        this.tokenSource = null; // the sign-in method: the last of password and oauth2 wins
      }
      return this;
    }

    /**
     * Signs in with OAuth2 (SASL XOAUTH2) instead of a password, as Microsoft 365 / Outlook
     * (basic authentication for SMTP AUTH is being retired) and Gmail want. The transport asks
     * {@code source} for a token before it expires and again once when the server refuses it;
     * the token is never logged (C16). Replaces a password set before; a later
     * {@link #password(String)} or {@link #credentials(String, String)} replaces this (the last
     * sign-in method set wins).
     *
     * @param user the mailbox to sign in as, usually the full address; not null
     * @param source the application's token source; not null
     * @return this builder
     * @throws IllegalArgumentException when the user is blank or has control characters
     */
    public Builder oauth2(String user, AccessTokenSource source) {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(source, "source");
      username(user);
      this.password = null;
      this.tokenSource = source;
      return this;
    }

    /**
     * Signs every outgoing message with DKIM (RFC 6376, relaxed/relaxed): the signature is
     * computed over the exact bytes sent. This is what {@code EMAIL_DKIM_DOMAIN},
     * {@code EMAIL_DKIM_SELECTOR} and {@code EMAIL_DKIM_KEY_FILE} set.
     *
     * @param value the signer, or {@code null} to send unsigned
     * @return this builder
     */
    public Builder dkim(@Nullable DkimSigner value) {
      this.dkim = value;
      return this;
    }

    /**
     * Sets the default sender. Defaults to the username when it is an e-mail address (QQ Mail
     * requires From to be the login account).
     *
     * <p>The address may be at a single-label domain such as {@code app@localhost}, as local test
     * servers (GreenMail, MailHog, aiosmtpd) are usually addressed; see {@link Mailbox}. Recipients
     * still need a dot in the domain: this relaxes the sender the application configures, never
     * what a user types.
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
     * @param value the sender; not null; the domain may be a single label such as
     *     {@code localhost} (see {@link #from(Mailbox)})
     * @return this builder
     * @throws InvalidAddressException naming {@code from} and quoting the value when the address is
     *     invalid, for example {@code from: 'Roamio <app@>' is not a valid address: domain is empty}
     * @throws HeaderInjectionException naming {@code from} when the text has control characters
     */
    public Builder from(String value) {
      Objects.requireNonNull(value, "from");
      try {
        return from(Mailbox.parse(value));
      } catch (InvalidAddressException e) {
        throw new InvalidAddressException(e.reason(), "from: '" + value + "' is not a valid address: " + e.getMessage());
      } catch (HeaderInjectionException e) {
        throw new HeaderInjectionException("from");
      }
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
     * Trusts these certificates (a private CA's, or a test server's own) instead of the JDK's
     * default ones. Host name checks stay on. Replaces any certificates set before.
     *
     * @param certificates the certificates; not null, no null element; none means the JDK's
     *     default trust store
     * @return this builder
     */
    public Builder trustedCertificates(Collection<? extends X509Certificate> certificates) {
      Objects.requireNonNull(certificates, "trustedCertificates");
      for (X509Certificate c : certificates) {
        Objects.requireNonNull(c, "trustedCertificates element");
      }
      this.trustedCertificates = List.copyOf(certificates);
      return this;
    }

    /**
     * Trusts these certificates instead of the JDK's default ones; see
     * {@link #trustedCertificates(Collection)}.
     *
     * @param certificates the certificates; not null
     * @return this builder
     */
    public Builder trustedCertificates(X509Certificate... certificates) {
      return trustedCertificates(Arrays.asList(Objects.requireNonNull(certificates, "trustedCertificates")));
    }

    /**
     * Trusts the X.509 certificates in a PEM file (one or more, such as a private CA's
     * {@code ca.pem}; DER works too) instead of the JDK's default ones. The file is read now. Host
     * name checks stay on. This is what {@code EMAIL_SSL_CAFILE} sets.
     *
     * @param file the file; not null
     * @return this builder
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no certificate
     */
    public Builder trustedCertificatesPem(Path file) {
      Objects.requireNonNull(file, "trustedCertificatesPem");
      try {
        return trustedCertificates(readCertificates(file));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("trustedCertificatesPem: " + e.getMessage(), e);
      }
    }

    /**
     * Sets the name sent with EHLO. Defaults to this machine's host name.
     *
     * @param value a host name or address literal, or {@code null} for the default
     * @return this builder
     */
    public Builder ehloName(@Nullable String value) {
      String name = value == null ? null : value.strip();
      if (name != null && (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
        throw new IllegalArgumentException("ehloName must be a host name or address literal in printable ASCII");
      }
      this.ehloName = name;
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
     * @throws IllegalStateException when the host is missing, only one of username and password is
     *     set, or no sender was given and the username is not an e-mail address
     */
    public SmtpSettings build() {
      if (host == null) {
        throw new IllegalStateException("host is required (EMAIL_HOST), for example smtp.qq.com");
      }
      if (tokenSource != null && username == null) {
        throw new IllegalStateException("oauth2 needs a username: the mailbox the token belongs to");
      }
      if (tokenSource == null && (username == null) != (password == null)) {
        throw new IllegalStateException(
            "username and password must be given together (or neither, for a server without AUTH)");
      }
      Mailbox sender = from != null ? from : senderFromUsername(username);
      if (sender == null) {
        throw new IllegalStateException(
            "from is required (DEFAULT_FROM_EMAIL) when the username is not an e-mail address");
      }
      return new SmtpSettings(this, host, sender);
    }
  }
}
