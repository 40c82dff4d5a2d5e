package dev.mailverify.smtp;

/**
 * Host, port and security mode of well-known providers. A preset fills these in; the caller adds
 * the account and its password, which for most of these providers is an <em>authorization
 * code</em> or <em>app password</em> generated in the provider's settings, not the login password.
 *
 * <pre>{@code
 * SmtpSettings settings = SmtpSettings.builder(SmtpPreset.QQ_MAIL)
 *     .username("12345@qq.com")
 *     .password(System.getenv("EMAIL_HOST_PASSWORD"))
 *     .from("Roamio <12345@qq.com>")
 *     .build();
 * }</pre>
 */
public enum SmtpPreset {
  /** QQ Mail, {@code smtp.qq.com:587} with STARTTLS. Password: the authorization code. */
  QQ_MAIL("QQ Mail", "smtp.qq.com", 587, SmtpSecurity.STARTTLS,
      "the authorization code from QQ Mail: Settings > Account > POP3/IMAP/SMTP service"),
  /** QQ Mail, {@code smtp.qq.com:465} with implicit TLS. Password: the authorization code. */
  QQ_MAIL_SSL("QQ Mail", "smtp.qq.com", 465, SmtpSecurity.IMPLICIT_TLS,
      "the authorization code from QQ Mail: Settings > Account > POP3/IMAP/SMTP service"),
  /** Tencent Exmail (enterprise QQ Mail), {@code smtp.exmail.qq.com:465} with implicit TLS. */
  TENCENT_EXMAIL("Tencent Exmail", "smtp.exmail.qq.com", 465, SmtpSecurity.IMPLICIT_TLS,
      "the client-specific password generated in Exmail's settings when secure login is on"),
  /** NetEase 163 Mail, {@code smtp.163.com:465} with implicit TLS. Password: the authorization code. */
  NETEASE_163("NetEase 163", "smtp.163.com", 465, SmtpSecurity.IMPLICIT_TLS,
      "the authorization code from 163 Mail: Settings > POP3/SMTP/IMAP"),
  /** NetEase 126 Mail, {@code smtp.126.com:465} with implicit TLS. Password: the authorization code. */
  NETEASE_126("NetEase 126", "smtp.126.com", 465, SmtpSecurity.IMPLICIT_TLS,
      "the authorization code from 126 Mail: Settings > POP3/SMTP/IMAP"),
  /** Gmail, {@code smtp.gmail.com:587} with STARTTLS. Password: an app password (needs 2-step verification). */
  GMAIL("Gmail", "smtp.gmail.com", 587, SmtpSecurity.STARTTLS,
      "an app password from your Google Account: Security > 2-Step Verification > App passwords"),
  /**
   * Outlook.com, {@code smtp-mail.outlook.com:587} with STARTTLS. Microsoft is retiring password
   * logins for SMTP in favour of OAuth 2.0, which this module does not do; check that basic SMTP
   * authentication still works for the account.
   */
  OUTLOOK("Outlook.com", "smtp-mail.outlook.com", 587, SmtpSecurity.STARTTLS,
      "the account password or an app password; SMTP AUTH must be allowed for the account"),
  /**
   * Microsoft 365 / Office 365, {@code smtp.office365.com:587} with STARTTLS. SMTP AUTH must be
   * enabled for the mailbox by its administrator; see the note on {@link #OUTLOOK}.
   */
  OFFICE_365("Office 365", "smtp.office365.com", 587, SmtpSecurity.STARTTLS,
      "the mailbox password or an app password; an administrator must enable SMTP AUTH for the mailbox");

  private final String provider;
  private final String host;
  private final int port;
  private final SmtpSecurity security;
  private final String passwordAdvice;

  SmtpPreset(String provider, String host, int port, SmtpSecurity security, String passwordAdvice) {
    this.provider = provider;
    this.host = host;
    this.port = port;
    this.security = security;
    this.passwordAdvice = passwordAdvice;
  }

  /**
   * Returns the provider's name for people, such as {@code "QQ Mail"}.
   *
   * @return the provider's name
   */
  public String provider() {
    return provider;
  }

  /**
   * Returns the SMTP host.
   *
   * @return the host name
   */
  public String host() {
    return host;
  }

  /**
   * Returns the SMTP port.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the security mode.
   *
   * @return STARTTLS or implicit TLS; never plain
   */
  public SmtpSecurity security() {
    return security;
  }

  /**
   * Says what the password must be for this provider, in words for a person.
   *
   * @return for example "the authorization code from QQ Mail: Settings &gt; Account &gt; ..."
   */
  public String passwordAdvice() {
    return passwordAdvice;
  }
}
