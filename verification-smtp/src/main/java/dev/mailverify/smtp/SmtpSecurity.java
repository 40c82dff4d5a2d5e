package dev.mailverify.smtp;

/**
 * How the connection to the SMTP server is protected (contract C22).
 *
 * <p>Both TLS modes check the server's identity: the certificate must be trusted (by the JDK's trust
 * store, or by the certificates given with {@link SmtpSettings.Builder#trustedCertificatesPem} or
 * {@code EMAIL_SSL_CAFILE}) and must name the host that was configured.
 */
public enum SmtpSecurity {
  /**
   * Connect in plain text, then upgrade with {@code STARTTLS} before anything else is sent; usually
   * port 587. If the server does not offer STARTTLS the send fails: it never falls back to plain
   * text. The default.
   */
  STARTTLS(587),
  /** TLS from the first byte ("SSL", SMTPS); usually port 465. */
  IMPLICIT_TLS(465),
  /**
   * No encryption at all: the password and the code cross the network in clear. Only for local test
   * servers and relays on the same machine; choosing it is the explicit opt-in, and the transport
   * logs a warning when it is created.
   */
  PLAIN(25);

  private final int defaultPort;

  SmtpSecurity(int defaultPort) {
    this.defaultPort = defaultPort;
  }

  /**
   * Returns the port this mode usually runs on: 587, 465 or 25.
   *
   * @return the conventional port
   */
  public int defaultPort() {
    return defaultPort;
  }
}
