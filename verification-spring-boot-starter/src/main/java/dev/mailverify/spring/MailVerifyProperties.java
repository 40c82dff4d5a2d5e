package dev.mailverify.spring;

import dev.mailverify.core.CodeAlphabet;
import dev.mailverify.smtp.SmtpPreset;
import dev.mailverify.smtp.SmtpSecurity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the mailverify starter, bound from {@code mailverify.*}.
 *
 * <p>Every setting has a safe default, so an application with no {@code mailverify.*} property
 * at all gets a working service that prints mail to the console (and says so at start-up). SMTP
 * settings have one model, the library's {@code SmtpEnvironment}: each {@code mailverify.smtp.*}
 * property stands for one of the seed's variables ({@code EMAIL_HOST}, {@code EMAIL_PORT},
 * {@code EMAIL_HOST_USER}, {@code EMAIL_HOST_PASSWORD}, {@code DEFAULT_FROM_EMAIL},
 * {@code EMAIL_USE_TLS}/{@code EMAIL_USE_SSL}, {@code EMAIL_TIMEOUT}, {@code EMAIL_SSL_CAFILE},
 * {@code EMAIL_DKIM_*}), which is read when the property is not set, and Spring Boot's
 * {@code spring.mail.*} after that. Unset numbers are the library builders' defaults. Values are
 * checked when the application starts; a bad value fails start-up with the property's name.
 */
@ConfigurationProperties(MailVerifyProperties.PREFIX)
public class MailVerifyProperties {
  /** The prefix of every property: {@value}. */
  public static final String PREFIX = "mailverify";

  /**
   * Where mail goes: console (development), smtp, outbox (in memory, for tests) or files (.eml
   * files in a folder). When not set: smtp if USE_REAL_EMAIL is on, otherwise console.
   */
  private @Nullable TransportType transport;

  /**
   * Spring profiles in which the console and outbox transports refuse to start: a production
   * application must send real mail.
   */
  private List<String> productionProfiles = new ArrayList<>(List.of("prod", "production"));

  /**
   * Server secret (at least 32 bytes) keying the HMAC of stored codes and tokens and sealing the
   * mails a durable outbox holds. Required with a shared store (redis, jdbc) and with a durable
   * outbox; a random one is used with the in-memory store.
   */
  private @Nullable String secret;

  /** Earlier secrets, still accepted for codes issued, and outbox mails sealed, before a rotation. */
  private List<String> previousSecrets = new ArrayList<>();

  /** Application name shown in the mail. */
  private @Nullable String appName;

  /** SMTP server. */
  private final Smtp smtp = new Smtp();

  /** Folder of the files transport. */
  private final Files files = new Files();

  /** Policy for every verification type without its own entry under policies. */
  private final Policy policy = new Policy();

  /**
   * Policies per verification type (register, login, reset_password, change_email or a custom
   * name); unset fields inherit from mailverify.policy.
   */
  private final Map<String, Policy> policies = new LinkedHashMap<>();

  /** Mail templates. */
  private final Templates templates = new Templates();

  /** Asynchronous delivery. */
  private final Async async = new Async();

  /** Retries of transient delivery failures (asynchronous delivery only). */
  private final Retry retry = new Retry();

  /** Fallback SMTP servers tried when the primary one fails. */
  private final Failover failover = new Failover();

  /** Sending budget of the SMTP account (provider limits). */
  private final Budget budget = new Budget();

  /** Where codes, tokens and rate-limit counters live. */
  private final Store store = new Store();

  /** Actuator health contributor. */
  private final Health health = new Health();

  /** Checks of the recipient's domain before a code is stored or sent (verification-dns). */
  private final Recipients recipientCheck = new Recipients();

  /**
   * Answers the address meant for a typo of a major provider's domain (li@gmial.com: did you mean
   * li@gmail.com?) in SendResult.Sent and InvalidAddress; a typo domain on the disposable list is
   * LIKELY_TYPO, not DISPOSABLE_DOMAIN.
   */
  private boolean typoSuggestions = true;

  /** The change of address (C33): the notice to the old address and its "this wasn't me" link. */
  private final AddressChange addressChange = new AddressChange();

  /**
   * Returns the transport, or null when it is derived from USE_REAL_EMAIL.
   *
   * @return the transport, or null
   */
  public @Nullable TransportType getTransport() {
    return transport;
  }

  /**
   * Sets the transport.
   *
   * @param transport the transport
   */
  public void setTransport(@Nullable TransportType transport) {
    this.transport = transport;
  }

  /**
   * Returns the production profiles.
   *
   * @return the profile names
   */
  public List<String> getProductionProfiles() {
    return productionProfiles;
  }

  /**
   * Sets the production profiles.
   *
   * @param productionProfiles the profile names
   */
  public void setProductionProfiles(List<String> productionProfiles) {
    this.productionProfiles = productionProfiles;
  }

  /**
   * Returns the secret.
   *
   * @return the secret, or null
   */
  public @Nullable String getSecret() {
    return secret;
  }

  /**
   * Sets the secret.
   *
   * @param secret the secret
   */
  public void setSecret(@Nullable String secret) {
    this.secret = secret;
  }

  /**
   * Returns the previous secrets.
   *
   * @return the previous secrets
   */
  public List<String> getPreviousSecrets() {
    return previousSecrets;
  }

  /**
   * Sets the previous secrets.
   *
   * @param previousSecrets the previous secrets
   */
  public void setPreviousSecrets(List<String> previousSecrets) {
    this.previousSecrets = previousSecrets;
  }

  /**
   * Returns the application name.
   *
   * @return the name, or null
   */
  public @Nullable String getAppName() {
    return appName;
  }

  /**
   * Sets the application name.
   *
   * @param appName the name
   */
  public void setAppName(@Nullable String appName) {
    this.appName = appName;
  }

  /**
   * Returns the SMTP settings.
   *
   * @return the SMTP settings
   */
  public Smtp getSmtp() {
    return smtp;
  }

  /**
   * Returns the files transport settings.
   *
   * @return the files settings
   */
  public Files getFiles() {
    return files;
  }

  /**
   * Returns the default policy.
   *
   * @return the default policy
   */
  public Policy getPolicy() {
    return policy;
  }

  /**
   * Returns the policies per verification type.
   *
   * @return the policies by type name
   */
  public Map<String, Policy> getPolicies() {
    return policies;
  }

  /**
   * Returns the template settings.
   *
   * @return the template settings
   */
  public Templates getTemplates() {
    return templates;
  }

  /**
   * Returns the asynchronous delivery settings.
   *
   * @return the async settings
   */
  public Async getAsync() {
    return async;
  }

  /**
   * Returns the retry settings.
   *
   * @return the retry settings
   */
  public Retry getRetry() {
    return retry;
  }

  /**
   * Returns the failover settings.
   *
   * @return the failover settings
   */
  public Failover getFailover() {
    return failover;
  }

  /**
   * Returns the sender budget settings.
   *
   * @return the budget settings
   */
  public Budget getBudget() {
    return budget;
  }

  /**
   * Returns the store settings.
   *
   * @return the store settings
   */
  public Store getStore() {
    return store;
  }

  /**
   * Returns the health settings.
   *
   * @return the health settings
   */
  public Health getHealth() {
    return health;
  }

  /**
   * Returns the recipient check settings.
   *
   * @return the recipient check settings
   */
  public Recipients getRecipientCheck() {
    return recipientCheck;
  }

  /**
   * Tells whether typo suggestions are on.
   *
   * @return true (the default) when they are
   */
  public boolean isTypoSuggestions() {
    return typoSuggestions;
  }

  /**
   * Turns typo suggestions on or off.
   *
   * @param typoSuggestions false to turn them off
   */
  public void setTypoSuggestions(boolean typoSuggestions) {
    this.typoSuggestions = typoSuggestions;
  }

  /**
   * Returns the change-of-address settings.
   *
   * @return the settings
   */
  public AddressChange getAddressChange() {
    return addressChange;
  }

  /** The change of address (C33). */
  public static class AddressChange {
    /**
     * The application's page of the "this wasn't me" link, such as https://app.example.com/revert;
     * required by notifyAddressChanged. Must be https (http only for localhost).
     */
    private @Nullable URI revertLinkBaseUrl;

    /** How long the "this wasn't me" link works, 1h-30d (7d). */
    private @Nullable Duration revertLinkValidity;

    /**
     * Returns the revert page's URL.
     *
     * @return the URL, or null
     */
    public @Nullable URI getRevertLinkBaseUrl() {
      return revertLinkBaseUrl;
    }

    /**
     * Sets the revert page's URL.
     *
     * @param revertLinkBaseUrl the URL of the application's revert page
     */
    public void setRevertLinkBaseUrl(@Nullable URI revertLinkBaseUrl) {
      this.revertLinkBaseUrl = revertLinkBaseUrl;
    }

    /**
     * Returns how long the revert link works.
     *
     * @return the validity, or null for the library's default
     */
    public @Nullable Duration getRevertLinkValidity() {
      return revertLinkValidity;
    }

    /**
     * Sets how long the revert link works.
     *
     * @param revertLinkValidity the validity
     */
    public void setRevertLinkValidity(@Nullable Duration revertLinkValidity) {
      this.revertLinkValidity = revertLinkValidity;
    }
  }

  /** Where mail goes. */
  public enum TransportType {
    /** Prints mail to standard output (development only). */
    CONSOLE,
    /** Sends mail through an SMTP server. */
    SMTP,
    /** Keeps mail in an in-memory outbox (tests). */
    OUTBOX,
    /** Writes each mail as an .eml file into a folder. */
    FILES
  }

  /** Where the asynchronous queue keeps accepted mail. */
  public enum OutboxType {
    /** In this instance's memory: a crash loses the queued mail. */
    MEMORY,
    /** A Redis stream (verification-redis and a Lettuce RedisConnectionFactory): no mail lost on a crash. */
    REDIS,
    /** A table in the application's database (verification-jdbc and a DataSource): no mail lost on a crash. */
    JDBC
  }

  /** Which store holds codes, tokens and counters. */
  public enum StoreType {
    /** Redis when a Lettuce connection factory is present, else JDBC with a DataSource, else memory. */
    AUTO,
    /** In memory: one instance only. */
    MEMORY,
    /** Redis (verification-redis and a Lettuce RedisConnectionFactory). */
    REDIS,
    /** The application's SQL database (verification-jdbc and a DataSource). */
    JDBC
  }

  /** SMTP server settings; each falls back to the seed's EMAIL_* variable. */
  public static class Smtp {
    /** Provider preset (an SmtpPreset, such as qq-mail or gmail) setting host, port and security; an unknown name lists them all. */
    private @Nullable SmtpPreset preset;

    /** Host name (EMAIL_HOST). */
    private @Nullable String host;

    /** Port (EMAIL_PORT); defaults to the security mode's port. */
    private @Nullable Integer port;

    /** Security: starttls (587), implicit-tls (465) or plain (local test servers only) (EMAIL_USE_TLS, EMAIL_USE_SSL). */
    private @Nullable SmtpSecurity security;

    /** Login user (EMAIL_HOST_USER). */
    private @Nullable String username;

    /** Password or provider authorization code (EMAIL_HOST_PASSWORD). */
    private @Nullable String password;

    /**
     * The From of every mail, with an optional name, such as Roamio &lt;noreply@example.com&gt;
     * (DEFAULT_FROM_EMAIL): the one setting for the sender, of every transport; defaults to the username.
     */
    private @Nullable String from;

    /** Connect, read and write timeout at once (EMAIL_TIMEOUT); 10s by default. */
    private @Nullable Duration timeout;

    /** Connect timeout; overrides timeout. */
    private @Nullable Duration connectTimeout;

    /** Read timeout; overrides timeout. */
    private @Nullable Duration readTimeout;

    /** Write timeout; overrides timeout. */
    private @Nullable Duration writeTimeout;

    /** PEM file of the CA certificates to trust instead of the JDK's, for a private CA (EMAIL_SSL_CAFILE). */
    private @Nullable Path trustedCertificates;

    /** Most pooled connections. */
    private @Nullable Integer maxConnections;

    /** SMTP protocol trace on standard output; it prints message bodies, codes included. */
    private boolean debug;

    /** DKIM signing. */
    private final Dkim dkim = new Dkim();

    /** Trust through an SSL bundle. */
    private final Ssl ssl = new Ssl();

    /**
     * Returns the preset.
     *
     * @return the preset, or null
     */
    public @Nullable SmtpPreset getPreset() {
      return preset;
    }

    /**
     * Sets the preset.
     *
     * @param preset the preset
     */
    public void setPreset(@Nullable SmtpPreset preset) {
      this.preset = preset;
    }

    /**
     * Returns the host.
     *
     * @return the host, or null
     */
    public @Nullable String getHost() {
      return host;
    }

    /**
     * Sets the host.
     *
     * @param host the host
     */
    public void setHost(@Nullable String host) {
      this.host = host;
    }

    /**
     * Returns the port.
     *
     * @return the port, or null
     */
    public @Nullable Integer getPort() {
      return port;
    }

    /**
     * Sets the port.
     *
     * @param port the port
     */
    public void setPort(@Nullable Integer port) {
      this.port = port;
    }

    /**
     * Returns the security mode.
     *
     * @return the security mode, or null
     */
    public @Nullable SmtpSecurity getSecurity() {
      return security;
    }

    /**
     * Sets the security mode.
     *
     * @param security the security mode
     */
    public void setSecurity(@Nullable SmtpSecurity security) {
      this.security = security;
    }

    /**
     * Returns the user.
     *
     * @return the user, or null
     */
    public @Nullable String getUsername() {
      return username;
    }

    /**
     * Sets the user.
     *
     * @param username the user
     */
    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    /**
     * Returns the password.
     *
     * @return the password, or null
     */
    public @Nullable String getPassword() {
      return password;
    }

    /**
     * Sets the password.
     *
     * @param password the password
     */
    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    /**
     * Returns the From address.
     *
     * @return the From, or null
     */
    public @Nullable String getFrom() {
      return from;
    }

    /**
     * Sets the From address.
     *
     * @param from the From
     */
    public void setFrom(@Nullable String from) {
      this.from = from;
    }

    /**
     * Returns the timeout.
     *
     * @return the timeout, or null
     */
    public @Nullable Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets the timeout.
     *
     * @param timeout the timeout
     */
    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * Returns the connect timeout.
     *
     * @return the connect timeout, or null
     */
    public @Nullable Duration getConnectTimeout() {
      return connectTimeout;
    }

    /**
     * Sets the connect timeout.
     *
     * @param connectTimeout the connect timeout
     */
    public void setConnectTimeout(@Nullable Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    /**
     * Returns the read timeout.
     *
     * @return the read timeout, or null
     */
    public @Nullable Duration getReadTimeout() {
      return readTimeout;
    }

    /**
     * Sets the read timeout.
     *
     * @param readTimeout the read timeout
     */
    public void setReadTimeout(@Nullable Duration readTimeout) {
      this.readTimeout = readTimeout;
    }

    /**
     * Returns the write timeout.
     *
     * @return the write timeout, or null
     */
    public @Nullable Duration getWriteTimeout() {
      return writeTimeout;
    }

    /**
     * Sets the write timeout.
     *
     * @param writeTimeout the write timeout
     */
    public void setWriteTimeout(@Nullable Duration writeTimeout) {
      this.writeTimeout = writeTimeout;
    }

    /**
     * Returns the trusted certificates file.
     *
     * @return the PEM file, or null
     */
    public @Nullable Path getTrustedCertificates() {
      return trustedCertificates;
    }

    /**
     * Sets the trusted certificates file.
     *
     * @param trustedCertificates the PEM file
     */
    public void setTrustedCertificates(@Nullable Path trustedCertificates) {
      this.trustedCertificates = trustedCertificates;
    }

    /**
     * Returns the most pooled connections.
     *
     * @return the count, or null
     */
    public @Nullable Integer getMaxConnections() {
      return maxConnections;
    }

    /**
     * Sets the most pooled connections.
     *
     * @param maxConnections the count
     */
    public void setMaxConnections(@Nullable Integer maxConnections) {
      this.maxConnections = maxConnections;
    }

    /**
     * Returns whether the protocol trace is on.
     *
     * @return true when on
     */
    public boolean isDebug() {
      return debug;
    }

    /**
     * Turns the protocol trace on or off.
     *
     * @param debug true for on
     */
    public void setDebug(boolean debug) {
      this.debug = debug;
    }

    /**
     * Returns the DKIM signing settings.
     *
     * @return the DKIM settings, never null
     */
    public Dkim getDkim() {
      return dkim;
    }

    /**
     * Returns the SSL settings.
     *
     * @return the SSL settings, never null
     */
    public Ssl getSsl() {
      return ssl;
    }
  }

  /** DKIM signing of every message; the three settings go together (EMAIL_DKIM_*). */
  public static class Dkim {
    /** Signing domain (d=), normally the From domain (EMAIL_DKIM_DOMAIN). */
    private @Nullable String domain;

    /** Selector (s=): the public key is published at selector._domainkey.domain (EMAIL_DKIM_SELECTOR). */
    private @Nullable String selector;

    /** Private key file, PKCS#8 PEM, RSA 2048 bits or more, or Ed25519 (EMAIL_DKIM_KEY_FILE). */
    private @Nullable Path keyFile;

    /**
     * Returns the signing domain.
     *
     * @return the domain, or null
     */
    public @Nullable String getDomain() {
      return domain;
    }

    /**
     * Sets the signing domain.
     *
     * @param domain the domain
     */
    public void setDomain(@Nullable String domain) {
      this.domain = domain;
    }

    /**
     * Returns the selector.
     *
     * @return the selector, or null
     */
    public @Nullable String getSelector() {
      return selector;
    }

    /**
     * Sets the selector.
     *
     * @param selector the selector
     */
    public void setSelector(@Nullable String selector) {
      this.selector = selector;
    }

    /**
     * Returns the private key file.
     *
     * @return the file, or null
     */
    public @Nullable Path getKeyFile() {
      return keyFile;
    }

    /**
     * Sets the private key file.
     *
     * @param keyFile the file
     */
    public void setKeyFile(@Nullable Path keyFile) {
      this.keyFile = keyFile;
    }
  }

  /** Trust for the SMTP server's certificate through a Spring Boot SSL bundle. */
  public static class Ssl {
    /** Name of a spring.ssl.bundle.* whose trust store holds the CA certificates to trust instead of the JDK's. */
    private @Nullable String bundle;

    /**
     * Returns the bundle name.
     *
     * @return the name, or null
     */
    public @Nullable String getBundle() {
      return bundle;
    }

    /**
     * Sets the bundle name.
     *
     * @param bundle the name
     */
    public void setBundle(@Nullable String bundle) {
      this.bundle = bundle;
    }
  }

  /** Settings of the files transport. */
  public static class Files {
    /** Folder that receives one .eml file per message. */
    private Path directory = Path.of("mail-outbox");

    /**
     * Returns the folder.
     *
     * @return the folder
     */
    public Path getDirectory() {
      return directory;
    }

    /**
     * Sets the folder.
     *
     * @param directory the folder
     */
    public void setDirectory(Path directory) {
      this.directory = directory;
    }
  }

  /** A verification policy; an unset field keeps the library's default (or the default policy's). */
  public static class Policy {
    /** Code length, 4-10 (6). */
    private @Nullable Integer codeLength;

    /** Code alphabet: digits or alphanumeric. */
    private @Nullable CodeAlphabet alphabet;

    /** Code validity, 1m-24h (10m). */
    private @Nullable Duration ttl;

    /** Wrong tries per code before it is locked, 1-20 (5). */
    private @Nullable Integer maxAttempts;

    /** Failed tries per address and type per hour across codes (20). */
    private @Nullable Integer failedAttemptsPerHour;

    /** Wait between two sends to one address, 0 (off) or 1s-1h (60s). */
    private @Nullable Duration cooldown;

    /** Sends per address and type per hour (5). */
    private @Nullable Integer sendsPerAddressPerHour;

    /** Sends per client key (IP) per hour (20). */
    private @Nullable Integer sendsPerClientPerHour;

    /** Validity of the token issued on success, 1m-24h (15m). */
    private @Nullable Duration tokenTtl;

    /**
     * Sends a one-click link beside the code to this page (C32), such as
     * https://app.example.com/verify; off when unset. Must be https (http only for localhost).
     */
    private @Nullable URI linkBaseUrl;

    /**
     * How long the previous code keeps working after a resend, sharing its try budget with the new
     * one: 0 (off: a resend kills the old code, C4) or 1s-10m (0).
     */
    private @Nullable Duration resendGrace;

    /**
     * Returns the code length.
     *
     * @return the length, or null
     */
    public @Nullable Integer getCodeLength() {
      return codeLength;
    }

    /**
     * Sets the code length.
     *
     * @param codeLength the length
     */
    public void setCodeLength(@Nullable Integer codeLength) {
      this.codeLength = codeLength;
    }

    /**
     * Returns the alphabet.
     *
     * @return the alphabet, or null
     */
    public @Nullable CodeAlphabet getAlphabet() {
      return alphabet;
    }

    /**
     * Sets the alphabet.
     *
     * @param alphabet the alphabet
     */
    public void setAlphabet(@Nullable CodeAlphabet alphabet) {
      this.alphabet = alphabet;
    }

    /**
     * Returns the code validity.
     *
     * @return the validity, or null
     */
    public @Nullable Duration getTtl() {
      return ttl;
    }

    /**
     * Sets the code validity.
     *
     * @param ttl the validity
     */
    public void setTtl(@Nullable Duration ttl) {
      this.ttl = ttl;
    }

    /**
     * Returns the tries per code.
     *
     * @return the tries, or null
     */
    public @Nullable Integer getMaxAttempts() {
      return maxAttempts;
    }

    /**
     * Sets the tries per code.
     *
     * @param maxAttempts the tries
     */
    public void setMaxAttempts(@Nullable Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /**
     * Returns the failed tries per hour.
     *
     * @return the count, or null
     */
    public @Nullable Integer getFailedAttemptsPerHour() {
      return failedAttemptsPerHour;
    }

    /**
     * Sets the failed tries per hour.
     *
     * @param failedAttemptsPerHour the count
     */
    public void setFailedAttemptsPerHour(@Nullable Integer failedAttemptsPerHour) {
      this.failedAttemptsPerHour = failedAttemptsPerHour;
    }

    /**
     * Returns the cooldown.
     *
     * @return the cooldown, or null
     */
    public @Nullable Duration getCooldown() {
      return cooldown;
    }

    /**
     * Sets the cooldown.
     *
     * @param cooldown the cooldown
     */
    public void setCooldown(@Nullable Duration cooldown) {
      this.cooldown = cooldown;
    }

    /**
     * Returns the sends per address per hour.
     *
     * @return the count, or null
     */
    public @Nullable Integer getSendsPerAddressPerHour() {
      return sendsPerAddressPerHour;
    }

    /**
     * Sets the sends per address per hour.
     *
     * @param sendsPerAddressPerHour the count
     */
    public void setSendsPerAddressPerHour(@Nullable Integer sendsPerAddressPerHour) {
      this.sendsPerAddressPerHour = sendsPerAddressPerHour;
    }

    /**
     * Returns the sends per client per hour.
     *
     * @return the count, or null
     */
    public @Nullable Integer getSendsPerClientPerHour() {
      return sendsPerClientPerHour;
    }

    /**
     * Sets the sends per client per hour.
     *
     * @param sendsPerClientPerHour the count
     */
    public void setSendsPerClientPerHour(@Nullable Integer sendsPerClientPerHour) {
      this.sendsPerClientPerHour = sendsPerClientPerHour;
    }

    /**
     * Returns the token validity.
     *
     * @return the validity, or null
     */
    public @Nullable Duration getTokenTtl() {
      return tokenTtl;
    }

    /**
     * Sets the token validity.
     *
     * @param tokenTtl the validity
     */
    public void setTokenTtl(@Nullable Duration tokenTtl) {
      this.tokenTtl = tokenTtl;
    }

    /**
     * Returns the base URL of the link sent beside the code.
     *
     * @return the URL, or null when no link is sent
     */
    public @Nullable URI getLinkBaseUrl() {
      return linkBaseUrl;
    }

    /**
     * Sets the base URL of the link sent beside the code.
     *
     * @param linkBaseUrl the URL of the application's link page
     */
    public void setLinkBaseUrl(@Nullable URI linkBaseUrl) {
      this.linkBaseUrl = linkBaseUrl;
    }

    /**
     * Returns the resend grace.
     *
     * @return the grace, or null
     */
    public @Nullable Duration getResendGrace() {
      return resendGrace;
    }

    /**
     * Sets the resend grace.
     *
     * @param resendGrace how long the previous code keeps working after a resend
     */
    public void setResendGrace(@Nullable Duration resendGrace) {
      this.resendGrace = resendGrace;
    }
  }

  /** Template settings. */
  public static class Templates {
    /** Use the Mustache templates of verification-template (HTML and text); false uses plain text. */
    private boolean enabled = true;

    /** Language of mail when a request names none, such as zh-CN or en. */
    private Locale locale = Locale.ENGLISH;

    /** Folder of application templates overriding the bundled ones. */
    private @Nullable Path folder;

    /** Support link shown in the mail. */
    private @Nullable String supportUrl;

    /** Base URL of links in the mail. */
    private @Nullable String baseUrl;

    /**
     * Returns whether Mustache templates are used.
     *
     * @return true when used
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns Mustache templates on or off.
     *
     * @param enabled true for on
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the default locale.
     *
     * @return the locale
     */
    public Locale getLocale() {
      return locale;
    }

    /**
     * Sets the default locale.
     *
     * @param locale the locale
     */
    public void setLocale(Locale locale) {
      this.locale = locale;
    }

    /**
     * Returns the template folder.
     *
     * @return the folder, or null
     */
    public @Nullable Path getFolder() {
      return folder;
    }

    /**
     * Sets the template folder.
     *
     * @param folder the folder
     */
    public void setFolder(@Nullable Path folder) {
      this.folder = folder;
    }

    /**
     * Returns the support URL.
     *
     * @return the URL, or null
     */
    public @Nullable String getSupportUrl() {
      return supportUrl;
    }

    /**
     * Sets the support URL.
     *
     * @param supportUrl the URL
     */
    public void setSupportUrl(@Nullable String supportUrl) {
      this.supportUrl = supportUrl;
    }

    /**
     * Returns the base URL.
     *
     * @return the URL, or null
     */
    public @Nullable String getBaseUrl() {
      return baseUrl;
    }

    /**
     * Sets the base URL.
     *
     * @param baseUrl the URL
     */
    public void setBaseUrl(@Nullable String baseUrl) {
      this.baseUrl = baseUrl;
    }
  }

  /** Asynchronous delivery settings. */
  public static class Async {
    /** Send mail from a bounded queue on worker threads; the request returns before delivery. */
    private boolean enabled;

    /** Worker threads; unset: the library's default (AsyncMailTransport). */
    private @Nullable Integer workers;

    /** Queue capacity; a full queue refuses a send with a typed result; unset: the library's default. */
    private @Nullable Integer queueSize;

    /** How long closing the application waits for the queue to drain; unset: the library's default. */
    private @Nullable Duration drainTimeout;

    /** Where the queue keeps accepted mail: in memory, or durably in the application's Redis or database (C31). */
    private final Outbox outbox = new Outbox();

    /**
     * Returns the outbox settings.
     *
     * @return the outbox settings
     */
    public Outbox getOutbox() {
      return outbox;
    }

    /**
     * Returns whether delivery is asynchronous.
     *
     * @return true when asynchronous
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns asynchronous delivery on or off.
     *
     * @param enabled true for on
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the worker count.
     *
     * @return the workers
     */
    public @Nullable Integer getWorkers() {
      return workers;
    }

    /**
     * Sets the worker count.
     *
     * @param workers the workers
     */
    public void setWorkers(@Nullable Integer workers) {
      this.workers = workers;
    }

    /**
     * Returns the queue capacity.
     *
     * @return the capacity
     */
    public @Nullable Integer getQueueSize() {
      return queueSize;
    }

    /**
     * Sets the queue capacity.
     *
     * @param queueSize the capacity
     */
    public void setQueueSize(@Nullable Integer queueSize) {
      this.queueSize = queueSize;
    }

    /**
     * Returns the drain timeout.
     *
     * @return the timeout
     */
    public @Nullable Duration getDrainTimeout() {
      return drainTimeout;
    }

    /**
     * Sets the drain timeout.
     *
     * @param drainTimeout the timeout
     */
    public void setDrainTimeout(@Nullable Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
    }
  }

  /** Retry settings for transient delivery failures. */
  public static class Retry {
    /** Retries after the first try; 0 turns retries off; unset: the library's default (RetryPolicy). */
    private @Nullable Integer maxRetries;

    /** Wait before the first retry; unset: the library's default (RetryPolicy). */
    private @Nullable Duration initialBackoff;

    /** Longest wait between retries; unset: the library's default (RetryPolicy). */
    private @Nullable Duration maxBackoff;

    /**
     * Returns the retry count.
     *
     * @return the retries
     */
    public @Nullable Integer getMaxRetries() {
      return maxRetries;
    }

    /**
     * Sets the retry count.
     *
     * @param maxRetries the retries
     */
    public void setMaxRetries(@Nullable Integer maxRetries) {
      this.maxRetries = maxRetries;
    }

    /**
     * Returns the first back-off.
     *
     * @return the back-off
     */
    public @Nullable Duration getInitialBackoff() {
      return initialBackoff;
    }

    /**
     * Sets the first back-off.
     *
     * @param initialBackoff the back-off
     */
    public void setInitialBackoff(@Nullable Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    /**
     * Returns the longest back-off.
     *
     * @return the back-off
     */
    public @Nullable Duration getMaxBackoff() {
      return maxBackoff;
    }

    /**
     * Sets the longest back-off.
     *
     * @param maxBackoff the back-off
     */
    public void setMaxBackoff(@Nullable Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }
  }

  /** Failover settings: further SMTP servers behind the primary one. */
  public static class Failover {
    /** Fallback SMTP servers, in order; each has the fields of mailverify.smtp (no seed fallbacks). */
    private List<Smtp> servers = new ArrayList<>();

    /** Consecutive failures after which a server is skipped for a while; unset: the library's default (FailoverMailTransport). */
    private @Nullable Integer suspendAfter;

    /** How long a failing server is skipped; unset: the library's default (FailoverMailTransport). */
    private @Nullable Duration suspension;

    /**
     * Returns the fallback servers.
     *
     * @return the servers
     */
    public List<Smtp> getServers() {
      return servers;
    }

    /**
     * Sets the fallback servers.
     *
     * @param servers the servers
     */
    public void setServers(List<Smtp> servers) {
      this.servers = servers;
    }

    /**
     * Returns the failures before a suspension.
     *
     * @return the count
     */
    public @Nullable Integer getSuspendAfter() {
      return suspendAfter;
    }

    /**
     * Sets the failures before a suspension.
     *
     * @param suspendAfter the count
     */
    public void setSuspendAfter(@Nullable Integer suspendAfter) {
      this.suspendAfter = suspendAfter;
    }

    /**
     * Returns the suspension.
     *
     * @return the suspension
     */
    public @Nullable Duration getSuspension() {
      return suspension;
    }

    /**
     * Sets the suspension.
     *
     * @param suspension the suspension
     */
    public void setSuspension(@Nullable Duration suspension) {
      this.suspension = suspension;
    }
  }

  /** Sender budget: the SMTP account's own sending limits. */
  public static class Budget {
    /** Most messages per day through the account; unset means no daily budget. */
    private @Nullable Integer perDay;

    /** Most messages per minute through the account; unset means no per-minute budget. */
    private @Nullable Integer perMinute;

    /** Share of a budget (0-1) at which a warning is logged. */
    private @Nullable Double warnAt;

    /**
     * Returns the daily budget.
     *
     * @return the budget, or null
     */
    public @Nullable Integer getPerDay() {
      return perDay;
    }

    /**
     * Sets the daily budget.
     *
     * @param perDay the budget
     */
    public void setPerDay(@Nullable Integer perDay) {
      this.perDay = perDay;
    }

    /**
     * Returns the per-minute budget.
     *
     * @return the budget, or null
     */
    public @Nullable Integer getPerMinute() {
      return perMinute;
    }

    /**
     * Sets the per-minute budget.
     *
     * @param perMinute the budget
     */
    public void setPerMinute(@Nullable Integer perMinute) {
      this.perMinute = perMinute;
    }

    /**
     * Returns the warning threshold.
     *
     * @return the share, or null
     */
    public @Nullable Double getWarnAt() {
      return warnAt;
    }

    /**
     * Sets the warning threshold.
     *
     * @param warnAt the share
     */
    public void setWarnAt(@Nullable Double warnAt) {
      this.warnAt = warnAt;
    }
  }

  /** Store settings. */
  public static class Store {
    /** auto, memory, redis or jdbc; auto picks redis, then jdbc, then memory by what the application has. */
    private StoreType type = StoreType.AUTO;

    /** Timeout of each store call; unset: the store's default (C29). */
    private @Nullable Duration timeout;

    /** Key prefix in Redis; unset: the store's default. */
    private @Nullable String redisKeyPrefix;

    /** Table name prefix in SQL; unset: the store's default. */
    private @Nullable String jdbcTablePrefix;

    /** Create the SQL tables when they are missing; unset: the store's default (off: apply the schema). */
    private @Nullable Boolean jdbcCreateTables;

    /**
     * Returns the store type.
     *
     * @return the type
     */
    public StoreType getType() {
      return type;
    }

    /**
     * Sets the store type.
     *
     * @param type the type
     */
    public void setType(StoreType type) {
      this.type = type;
    }

    /**
     * Returns the call timeout.
     *
     * @return the timeout
     */
    public @Nullable Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets the call timeout.
     *
     * @param timeout the timeout
     */
    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * Returns the Redis key prefix.
     *
     * @return the prefix
     */
    public @Nullable String getRedisKeyPrefix() {
      return redisKeyPrefix;
    }

    /**
     * Sets the Redis key prefix.
     *
     * @param redisKeyPrefix the prefix
     */
    public void setRedisKeyPrefix(@Nullable String redisKeyPrefix) {
      this.redisKeyPrefix = redisKeyPrefix;
    }

    /**
     * Returns the SQL table prefix.
     *
     * @return the prefix
     */
    public @Nullable String getJdbcTablePrefix() {
      return jdbcTablePrefix;
    }

    /**
     * Sets the SQL table prefix.
     *
     * @param jdbcTablePrefix the prefix
     */
    public void setJdbcTablePrefix(@Nullable String jdbcTablePrefix) {
      this.jdbcTablePrefix = jdbcTablePrefix;
    }

    /**
     * Returns whether missing tables are created.
     *
     * @return true when created
     */
    public @Nullable Boolean getJdbcCreateTables() {
      return jdbcCreateTables;
    }

    /**
     * Sets whether missing tables are created.
     *
     * @param jdbcCreateTables true to create them
     */
    public void setJdbcCreateTables(@Nullable Boolean jdbcCreateTables) {
      this.jdbcCreateTables = jdbcCreateTables;
    }
  }

  /** Health contributor settings. */
  public static class Health {
    /** How long a health result is reused before the server is asked again. */
    private Duration cacheFor = HealthProbe.DEFAULT_CACHE_FOR;

    /**
     * Returns the cache duration.
     *
     * @return the duration
     */
    public Duration getCacheFor() {
      return cacheFor;
    }

    /**
     * Sets the cache duration.
     *
     * @param cacheFor the duration
     */
    public void setCacheFor(Duration cacheFor) {
      this.cacheFor = cacheFor;
    }
  }

  /**
   * The recipient check of {@code verification-dns} ({@code MxRecipientCheck}): the recipient's
   * domain must exist and take mail, and optionally must not be a disposable one. Unset values are
   * the check's defaults.
   */
  public static class Recipients {
    /**
     * Look up the recipient domain's MX (then A/AAAA) records before a code is stored or sent, and
     * refuse a domain that does not exist or takes no mail; DNS trouble never refuses (C30). Needs
     * dev.mailverify:verification-dns.
     */
    private boolean enabled;

    /** DNS resolver to ask, as host or host:port (such as 223.5.5.5 or 127.0.0.1:5353); unset: the system's. */
    private @Nullable String dnsServer;

    /** Bound of each DNS lookup; unset: the check's default. */
    private @Nullable Duration timeout;

    /** Shortest time an answer stays cached; unset: the check's default. */
    private @Nullable Duration minCacheTtl;

    /** Longest time an answer stays cached; unset: the check's default. */
    private @Nullable Duration maxCacheTtl;

    /** Refuse disposable (throw-away) domains, from the bundled list, without a DNS lookup. */
    private boolean refuseDisposableDomains;

    /** File of disposable domains (one a line, # comments) replacing the bundled list. */
    private @Nullable Path disposableDomainsFile;

    /** Domains refused as disposable in addition to the list. */
    private List<String> additionalDisposableDomains = new ArrayList<>();

    /**
     * Returns whether the check is on.
     *
     * @return true when on
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the check on or off.
     *
     * @param enabled true to check
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the DNS server.
     *
     * @return host or host:port, or null for the system's resolver
     */
    public @Nullable String getDnsServer() {
      return dnsServer;
    }

    /**
     * Sets the DNS server.
     *
     * @param dnsServer host or host:port
     */
    public void setDnsServer(@Nullable String dnsServer) {
      this.dnsServer = dnsServer;
    }

    /**
     * Returns the lookup timeout.
     *
     * @return the timeout, or null
     */
    public @Nullable Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets the lookup timeout.
     *
     * @param timeout the timeout
     */
    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * Returns the shortest cache time.
     *
     * @return the time, or null
     */
    public @Nullable Duration getMinCacheTtl() {
      return minCacheTtl;
    }

    /**
     * Sets the shortest cache time.
     *
     * @param minCacheTtl the time
     */
    public void setMinCacheTtl(@Nullable Duration minCacheTtl) {
      this.minCacheTtl = minCacheTtl;
    }

    /**
     * Returns the longest cache time.
     *
     * @return the time, or null
     */
    public @Nullable Duration getMaxCacheTtl() {
      return maxCacheTtl;
    }

    /**
     * Sets the longest cache time.
     *
     * @param maxCacheTtl the time
     */
    public void setMaxCacheTtl(@Nullable Duration maxCacheTtl) {
      this.maxCacheTtl = maxCacheTtl;
    }

    /**
     * Returns whether disposable domains are refused.
     *
     * @return true when refused
     */
    public boolean isRefuseDisposableDomains() {
      return refuseDisposableDomains;
    }

    /**
     * Sets whether disposable domains are refused.
     *
     * @param refuseDisposableDomains true to refuse them
     */
    public void setRefuseDisposableDomains(boolean refuseDisposableDomains) {
      this.refuseDisposableDomains = refuseDisposableDomains;
    }

    /**
     * Returns the file of disposable domains.
     *
     * @return the file, or null for the bundled list
     */
    public @Nullable Path getDisposableDomainsFile() {
      return disposableDomainsFile;
    }

    /**
     * Sets the file of disposable domains.
     *
     * @param disposableDomainsFile the file
     */
    public void setDisposableDomainsFile(@Nullable Path disposableDomainsFile) {
      this.disposableDomainsFile = disposableDomainsFile;
    }

    /**
     * Returns the domains added to the disposable list.
     *
     * @return the domains
     */
    public List<String> getAdditionalDisposableDomains() {
      return additionalDisposableDomains;
    }

    /**
     * Sets the domains added to the disposable list.
     *
     * @param additionalDisposableDomains the domains
     */
    public void setAdditionalDisposableDomains(List<String> additionalDisposableDomains) {
      this.additionalDisposableDomains = additionalDisposableDomains;
    }
  }

  /**
   * The durable outbox of the asynchronous queue (C31): every instance sharing it sends queued mail,
   * and the mail of an instance that died is sent by another once its lease runs out. Unset values
   * are the library builders' defaults; the Redis key prefix, SQL table settings and timeout fall
   * back to the store's ({@code mailverify.store.*}).
   */
  public static class Outbox {
    /** memory, redis or jdbc; redis and jdbc need mailverify.async.enabled=true. */
    private OutboxType type = OutboxType.MEMORY;

    /** How long a claimed mail stays with this instance without news before another takes it over; unset: the library's default. */
    private @Nullable Duration lease;

    /** How often an idle instance asks the outbox for due mail; unset: the library's default. */
    private @Nullable Duration pollInterval;

    /** This instance's name in the leases (unique per live instance); unset: host, process and a random suffix. */
    private @Nullable String instanceId;

    /** Timeout of each outbox call; unset: mailverify.store.timeout, else the outbox's default. */
    private @Nullable Duration timeout;

    /** Key prefix in Redis; unset: mailverify.store.redis-key-prefix, else the outbox's default. */
    private @Nullable String redisKeyPrefix;

    /** Redis consumer group, one per application; unset: the outbox's default. */
    private @Nullable String redisGroup;

    /** Most mails a Redis stream holds; one more is refused as a full queue; unset: the outbox's default. */
    private @Nullable Integer redisMaxEntries;

    /** Table name prefix in SQL; unset: mailverify.store.jdbc-table-prefix, else the outbox's default. */
    private @Nullable String jdbcTablePrefix;

    /** Create the SQL table when missing; unset: mailverify.store.jdbc-create-tables, else the outbox's default. */
    private @Nullable Boolean jdbcCreateTables;

    /** Write the outbox row in the caller's transaction (a transaction-aware DataSource); unset: the outbox's default. */
    private @Nullable Boolean jdbcJoinTransactions;

    /**
     * Returns the outbox type.
     *
     * @return the type
     */
    public OutboxType getType() {
      return type;
    }

    /**
     * Sets the outbox type.
     *
     * @param type the type
     */
    public void setType(OutboxType type) {
      this.type = type;
    }

    /**
     * Returns the lease.
     *
     * @return the lease, or null
     */
    public @Nullable Duration getLease() {
      return lease;
    }

    /**
     * Sets the lease.
     *
     * @param lease the lease
     */
    public void setLease(@Nullable Duration lease) {
      this.lease = lease;
    }

    /**
     * Returns the poll interval.
     *
     * @return the interval, or null
     */
    public @Nullable Duration getPollInterval() {
      return pollInterval;
    }

    /**
     * Sets the poll interval.
     *
     * @param pollInterval the interval
     */
    public void setPollInterval(@Nullable Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    /**
     * Returns the instance ID.
     *
     * @return the ID, or null
     */
    public @Nullable String getInstanceId() {
      return instanceId;
    }

    /**
     * Sets the instance ID.
     *
     * @param instanceId the ID
     */
    public void setInstanceId(@Nullable String instanceId) {
      this.instanceId = instanceId;
    }

    /**
     * Returns the call timeout.
     *
     * @return the timeout, or null
     */
    public @Nullable Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets the call timeout.
     *
     * @param timeout the timeout
     */
    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * Returns the Redis key prefix.
     *
     * @return the prefix, or null
     */
    public @Nullable String getRedisKeyPrefix() {
      return redisKeyPrefix;
    }

    /**
     * Sets the Redis key prefix.
     *
     * @param redisKeyPrefix the prefix
     */
    public void setRedisKeyPrefix(@Nullable String redisKeyPrefix) {
      this.redisKeyPrefix = redisKeyPrefix;
    }

    /**
     * Returns the Redis consumer group.
     *
     * @return the group, or null
     */
    public @Nullable String getRedisGroup() {
      return redisGroup;
    }

    /**
     * Sets the Redis consumer group.
     *
     * @param redisGroup the group
     */
    public void setRedisGroup(@Nullable String redisGroup) {
      this.redisGroup = redisGroup;
    }

    /**
     * Returns the most entries of a Redis stream.
     *
     * @return the bound, or null
     */
    public @Nullable Integer getRedisMaxEntries() {
      return redisMaxEntries;
    }

    /**
     * Sets the most entries of a Redis stream.
     *
     * @param redisMaxEntries the bound
     */
    public void setRedisMaxEntries(@Nullable Integer redisMaxEntries) {
      this.redisMaxEntries = redisMaxEntries;
    }

    /**
     * Returns the SQL table prefix.
     *
     * @return the prefix, or null
     */
    public @Nullable String getJdbcTablePrefix() {
      return jdbcTablePrefix;
    }

    /**
     * Sets the SQL table prefix.
     *
     * @param jdbcTablePrefix the prefix
     */
    public void setJdbcTablePrefix(@Nullable String jdbcTablePrefix) {
      this.jdbcTablePrefix = jdbcTablePrefix;
    }

    /**
     * Returns whether a missing table is created.
     *
     * @return true when created, or null
     */
    public @Nullable Boolean getJdbcCreateTables() {
      return jdbcCreateTables;
    }

    /**
     * Sets whether a missing table is created.
     *
     * @param jdbcCreateTables true to create it
     */
    public void setJdbcCreateTables(@Nullable Boolean jdbcCreateTables) {
      this.jdbcCreateTables = jdbcCreateTables;
    }

    /**
     * Returns whether the outbox row joins the caller's transaction.
     *
     * @return true when it joins, or null
     */
    public @Nullable Boolean getJdbcJoinTransactions() {
      return jdbcJoinTransactions;
    }

    /**
     * Sets whether the outbox row joins the caller's transaction.
     *
     * @param jdbcJoinTransactions true to join
     */
    public void setJdbcJoinTransactions(@Nullable Boolean jdbcJoinTransactions) {
      this.jdbcJoinTransactions = jdbcJoinTransactions;
    }
  }
}
