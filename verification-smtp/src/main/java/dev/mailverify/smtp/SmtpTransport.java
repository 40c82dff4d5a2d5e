package dev.mailverify.smtp;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends mail through an SMTP server with Jakarta Mail (Eclipse Angus): TLS by default, connections
 * pooled and reused across sends and threads, every wait bounded, every failure classified.
 *
 * <p>What it promises:
 * <ul>
 *   <li><b>Security (C22).</b> {@link SmtpSecurity#STARTTLS} sets
 *       {@code mail.smtp.starttls.required}: a server that does not offer STARTTLS fails the send,
 *       never falling back to plain text. {@link SmtpSecurity#IMPLICIT_TLS} speaks TLS from the first
 *       byte. The certificate is always checked, its host name included
 *       ({@code mail.smtp.ssl.checkserveridentity}); TLS 1.2 and 1.3 only. {@link SmtpSecurity#PLAIN}
 *       is logged as a warning.</li>
 *   <li><b>Bounded waits (C23).</b> Resolving the host, connecting, each read and each write are
 *       bounded by the settings' timeouts (10 s each by default).</li>
 *   <li><b>Connection reuse.</b> Up to {@link SmtpSettings#maxConnections()} connections are kept
 *       open and shared; one idle longer than a second, or that saw a failure, is checked with NOOP
 *       before reuse; one idle longer than {@link SmtpSettings#idleTimeout()} is closed. When a
 *       reused connection turns out to be dead before the message was transmitted (the server
 *       timed it out), the send is retried once on a new connection.</li>
 *   <li><b>Classified failures (C24).</b> {@link #send} throws only {@link DeliveryException}, with
 *       a category, whether it is transient, the SMTP reply code, the server's reply (password
 *       scrubbed) and a hint. A failing close of a broken connection never hides the real error.</li>
 *   <li><b>Message format (C20).</b> UTF-8; multipart/alternative when there is HTML; RFC 2047
 *       subject and display names; {@code Date}; a {@code Message-ID} on the sender's domain.</li>
 *   <li><b>Speed, without global state.</b> Each message is written to bytes once, by core's
 *       {@link dev.mailverify.core.spi.MimeWriter} (the file transport's writer too, so both give the
 *       same bytes), with none of Jakarta Mail's per-part {@code StreamProvider} lookups, and handed to Angus's
 *       {@code SMTPTransport} as is; every connection has {@code TCP_NODELAY} on. No system
 *       property is read for this or set: other users of Jakarta Mail in the JVM are unaffected.
 *       See {@code docs/smtp.md}, "Speed".</li>
 * </ul>
 *
 * <p>Thread-safe. Close it when the application stops: {@link #close()} closes every connection
 * and the timer thread. The protocol trace ({@link SmtpSettings#debug()}) stays off unless asked
 * for, because it prints whole messages, codes included.
 *
 * <pre>{@code
 * try (SmtpTransport transport = SmtpTransport.create(settings)) {
 *   VerificationCodeService service = VerificationCodeService.builder().transport(transport).build();
 *   ...
 * }
 * }</pre>
 */
public final class SmtpTransport implements MailTransport, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SmtpTransport.class);
  private static final Duration VALIDATE_AFTER = Duration.ofSeconds(1);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final SmtpSettings settings;
  private final Clock clock;
  private final Session session;
  private final ConnectionPool pool;
  private final ScheduledThreadPoolExecutor timer;
  private final AtomicLong sent = new AtomicLong();
  private final @Nullable OAuthTokens tokens;

  private SmtpTransport(SmtpSettings settings, Clock clock, LongSupplier ticker, Consumer<Socket> opened) {
    this.settings = settings;
    this.clock = clock;
    this.tokens = settings.accessTokenSource().map(source -> new OAuthTokens(source, clock)).orElse(null);
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.timer = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "mailverify-smtp-" + instance + "-timer-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    this.session = Session.getInstance(properties(settings, timer, opened));
    if (settings.debug()) {
      LOG.warn("SMTP protocol trace (mail.debug) is ON: every message, verification codes included, is printed"
          + " to standard output. Turn it off outside a test setup.");
      session.setDebug(true);
    }
    Duration maxWait = settings.connectTimeout().plus(settings.readTimeout()).plus(settings.writeTimeout());
    this.pool = new ConnectionPool(settings.maxConnections(), settings.idleTimeout(), VALIDATE_AFTER, maxWait,
        ticker, this::connect);
    long sweep = Math.max(50, Math.min(5_000, settings.idleTimeout().toMillis() / 2));
    timer.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    if (settings.security() == SmtpSecurity.PLAIN) {
      LOG.warn("SMTP to {} is in PLAIN TEXT (explicit opt-in): the password and every verification code cross the"
          + " network unencrypted. Use STARTTLS (587) or implicit TLS (465) for any server not on this machine.",
          settings.target());
    }
    settings.dkim().ifPresent(signer -> {
      if (!DkimSigner.aligned(signer.domain(), settings.from().address())) {
        LOG.warn("DKIM signs as d={} but mail is sent from {}: receivers checking DMARC ignore a signature not"
            + " aligned with the From domain", signer.domain(), dev.mailverify.core.EmailAddress.mask(settings.from().address()));
      }
    });
    LOG.info("SMTP transport to {}{}{}, up to {} pooled connections", settings.target(),
        settings.username() == null ? " without login" : " as " + dev.mailverify.core.EmailAddress.mask(settings.username())
            + (tokens == null ? "" : " (OAuth2 XOAUTH2)"),
        settings.dkim().map(d -> ", DKIM d=" + d.domain() + " s=" + d.selector() + " " + d.algorithm()).orElse(""),
        settings.maxConnections());
  }

  /**
   * Creates a transport. Nothing is connected until the first send; use
   * {@link SmtpDiagnostics#check(SmtpSettings)} to test the settings up front.
   *
   * @param settings the settings; not null
   * @return a new transport
   */
  public static SmtpTransport create(SmtpSettings settings) {
    return create(settings, Clock.systemDefaultZone());
  }

  /**
   * Creates a transport that stamps the {@code Date} header from a clock.
   *
   * @param settings the settings; not null
   * @param clock the clock for the Date header; not null
   * @return a new transport
   */
  public static SmtpTransport create(SmtpSettings settings, Clock clock) {
    return new SmtpTransport(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"),
        System::nanoTime, socket -> { });
  }

  /** For tests: a transport whose pool reads idle times from a fake ticker. */
  static SmtpTransport create(SmtpSettings settings, Clock clock, LongSupplier ticker) {
    return new SmtpTransport(settings, clock, ticker, socket -> { });
  }

  /** For tests: a transport that tells {@code opened} of every socket it hands to Jakarta Mail. */
  static SmtpTransport create(SmtpSettings settings, Consumer<Socket> opened) {
    return new SmtpTransport(settings, Clock.systemDefaultZone(), System::nanoTime, opened);
  }

  /**
   * Sends one message over a pooled connection.
   *
   * @param message the message; not null
   * @throws DeliveryException when the server did not accept it, classified (C24); category
   *     {@code CLOSED} after {@link #close()}
   */
  @Override
  public void send(EmailMessage message) {
    Objects.requireNonNull(message, "message");
    if (pool.isClosed()) {
      throw ConnectionPool.closedFailure();
    }
    MimeMessages.Prepared mime = MimeMessages.build(session, message, settings.from(), clock.instant(),
        clock.getZone(), settings.dkim().orElse(null));
    Address[] recipients = mime.getAllRecipients();
    boolean retried = false;
    while (true) {
      ConnectionPool.Connection c = pool.borrow(retried);
      try {
        c.transport.sendMessage(mime, recipients);
      } catch (MessagingException | RuntimeException e) {
        int lastCode = c.transport.getLastReturnCode();
        boolean broken = isBroken(e);
        pool.release(c, !broken, true);
        if (!retried && c.reused && diedBeforeTransmission(e)) {
          LOG.debug("pooled SMTP connection #{} was dead ({}); retrying once on a new connection", c.id, e.toString());
          retried = true;
          continue;
        }
        DeliveryException failure = FailureClassifier.classify(e, lastCode, settings.username(), c.secret);
        LOG.debug("SMTP send to {} failed: {} ({})", message.to().masked(), failure.category(), failure.getMessage());
        throw failure;
      }
      pool.release(c, true, false);
      sent.incrementAndGet();
      if (LOG.isDebugEnabled()) {
        LOG.debug("SMTP server accepted the mail to {} on connection #{}", message.to().masked(), c.id);
      }
      return;
    }
  }

  /**
   * Returns the configured From: the service makes the Message-ID of a mail without a sender of its
   * own on its domain, so the identifier the application sees is the one on the wire.
   *
   * @return the settings' From, never empty
   */
  @Override
  public java.util.Optional<dev.mailverify.core.Mailbox> defaultSender() {
    return java.util.Optional.of(settings.from());
  }

  /**
   * Returns counters of the connection pool, for monitoring and benchmarks.
   *
   * @return a snapshot
   */
  public Stats stats() {
    return new Stats(pool.opened(), pool.closedConnections(), sent.get(), pool.idleCount(), pool.inUse());
  }

  /**
   * Returns the settings this transport uses.
   *
   * @return the settings
   */
  public SmtpSettings settings() {
    return settings;
  }

  /**
   * Closes every pooled connection and the timer thread. Waits (bounded by the timeouts) for sends
   * in progress to finish. Idempotent; never throws. Later sends fail with category
   * {@code CLOSED}.
   */
  @Override
  public void close() {
    if (pool.isClosed()) {
      return;
    }
    pool.close(settings.connectTimeout().plus(settings.readTimeout()).plus(settings.writeTimeout()));
    timer.shutdownNow();
    LOG.debug("SMTP transport to {} closed", settings.target());
  }

  @Override
  public String toString() {
    return "SmtpTransport[" + settings.target() + "]";
  }

  /** For tests: the Jakarta Mail properties in force. */
  Properties sessionProperties() {
    return session.getProperties();
  }

  /** Closes idle connections past their idle timeout; run by the timer. */
  int sweep() {
    try {
      return pool.evictIdle();
    } catch (RuntimeException e) {
      LOG.warn("closing idle SMTP connections failed", e);
      return 0;
    }
  }

  private ConnectionPool.Opened connect() {
    try {
      Net.resolve(settings.host(), settings.connectTimeout());
    } catch (IOException e) {
      throw FailureClassifier.classify(e, -1, settings.username(), settings.password());
    }
    if (tokens == null) {
      String password = settings.password();
      return new ConnectionPool.Opened(signIn(password), password);
    }
    AccessToken token = tokens.current();
    try {
      return new ConnectionPool.Opened(signIn(token.value()), token.value());
    } catch (DeliveryException first) {
      if (!tokenRefused(first)) {
        throw first;
      }
      tokens.refused(token);
      AccessToken fresh = tokens.current();
      LOG.info("the SMTP server refused the OAuth2 access token for {}; signing in once more with a new one",
          dev.mailverify.core.EmailAddress.mask(String.valueOf(settings.username())));
      try {
        return new ConnectionPool.Opened(signIn(fresh.value()), fresh.value());
      } catch (DeliveryException second) {
        if (!tokenRefused(second)) {
          throw second;
        }
        tokens.refused(fresh);
        DeliveryException.Builder b = DeliveryException.builder(DeliveryException.Category.AUTHENTICATION,
                "the SMTP server refused the OAuth2 access token, a freshly fetched one too")
            .transientFailure(false).serverReply(second.serverReply()).reason(second.reason()).cause(second)
            .hint(OAuthTokens.TOKEN_HINT);
        second.replyCode().ifPresent(b::replyCode);
        throw b.build();
      }
    }
  }

  /** Whether a sign-in failure is the server refusing the token (535, or XOAUTH2's 334 error challenge). */
  private static boolean tokenRefused(DeliveryException e) {
    return e.category() == DeliveryException.Category.AUTHENTICATION
        && FailureClassifier.find(FailureClassifier.chain(e), OAuthTokenRefused.class) != null;
  }

  /** Marks, in a failure's chain, that the login with a token was refused. */
  private static final class OAuthTokenRefused extends Exception {
    private static final long serialVersionUID = 1L;

    OAuthTokenRefused(Throwable cause) {
      super("the OAuth2 access token was refused", cause, false, false);
    }
  }

  /** Opens a connection and signs in with the password or token (null: no login). */
  private SMTPTransport signIn(@Nullable String secret) {
    SMTPTransport transport = new SMTPTransport(session, new URLName("smtp", settings.host(), settings.port(),
        null, null, null));
    try {
      transport.connect(settings.host(), settings.port(), settings.username(), secret);
      if (settings.username() != null && !transport.supportsExtension("AUTH")) {
        // Angus logs in only when the server lists AUTH: with credentials configured, sending
        // unauthenticated would hide a misconfiguration (wrong port, an open relay, a MITM).
        ConnectionPool.quietClose(transport, 0);
        throw DeliveryException.builder(DeliveryException.Category.AUTHENTICATION,
                "the SMTP server offers no AUTH, so the configured account cannot log in")
            .hint("Credentials are configured but the server does not offer AUTH"
                + (settings.security() == SmtpSecurity.PLAIN ? " on this plain connection" : " after TLS")
                + ". Check host and port (QQ Mail: smtp.qq.com 587 STARTTLS or 465 SSL); for a local relay that"
                + " needs no login, remove EMAIL_HOST_USER and EMAIL_HOST_PASSWORD.")
            .build();
      }
      return transport;
    } catch (DeliveryException e) {
      throw e;
    } catch (MessagingException | RuntimeException e) {
      int lastCode = transport.getLastReturnCode();
      ConnectionPool.quietClose(transport, 0);
      Throwable cause = e;
      if (tokens != null && e instanceof AuthenticationFailedException && (lastCode == 535 || lastCode == 334)) {
        cause = new OAuthTokenRefused(e);
      }
      DeliveryException failure = FailureClassifier.classify(cause, lastCode == 334 ? 535 : lastCode,
          settings.username(), secret);
      if (tokens != null && cause instanceof OAuthTokenRefused
          && failure.category() != DeliveryException.Category.AUTHENTICATION) {
        failure = DeliveryException.builder(DeliveryException.Category.AUTHENTICATION,
            "the SMTP server refused the OAuth2 access token").cause(cause).hint(OAuthTokens.TOKEN_HINT).build();
      }
      throw failure;
    }
  }

  /** Whether the connection must not be reused after this failure. */
  private static boolean isBroken(Throwable e) {
    List<Throwable> chain = FailureClassifier.chain(e);
    if (FailureClassifier.find(chain, IOException.class) != null || !(e instanceof MessagingException)) {
      return true;
    }
    for (Throwable t : chain) {
      if (t instanceof SMTPSendFailedException) {
        int code = ((SMTPSendFailedException) t).getReturnCode();
        if (code < 0 || code == 421) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a reused connection failed in a way that proves the message was not transmitted: a
   * write that failed ("Can't send command"), or end of stream / 421 before the final dot.
   */
  private static boolean diedBeforeTransmission(Throwable e) {
    for (Throwable t : FailureClassifier.chain(e)) {
      if (t instanceof SMTPSendFailedException) {
        SMTPSendFailedException s = (SMTPSendFailedException) t;
        String cmd = s.getCommand();
        return (s.getReturnCode() < 0 || s.getReturnCode() == 421) && cmd != null && !".".equals(cmd.strip());
      }
      if (t instanceof MessagingException && String.valueOf(t.getMessage()).startsWith("Can't send command")) {
        return true;
      }
    }
    return false;
  }

  private static Properties properties(SmtpSettings s, ScheduledThreadPoolExecutor timer, Consumer<Socket> opened) {
    Properties p = new Properties();
    p.setProperty("mail.transport.protocol", "smtp");
    p.setProperty("mail.smtp.host", s.host());
    p.setProperty("mail.smtp.port", Integer.toString(s.port()));
    p.setProperty("mail.smtp.connectiontimeout", millis(s.connectTimeout()));
    p.setProperty("mail.smtp.timeout", millis(s.readTimeout()));
    p.setProperty("mail.smtp.writetimeout", millis(s.writeTimeout()));
    p.put("mail.smtp.executor.writetimeout", timer);
    p.setProperty("mail.smtp.auth", Boolean.toString(s.username() != null));
    p.setProperty("mail.smtp.quitwait", "false");
    p.setProperty("mail.smtp.sendpartial", "false");
    p.setProperty("mail.smtp.localhost", Net.ehloName(s));
    p.setProperty("mail.mime.charset", "UTF-8");
    p.setProperty("mail.debug", Boolean.toString(s.debug()));
    p.setProperty("mail.debug.auth", "false");
    if (s.accessTokenSource().isPresent()) {
      // SASL XOAUTH2 with the access token in place of the password; Angus has it off by default
      p.setProperty("mail.smtp.auth.mechanisms", "XOAUTH2");
      p.setProperty("mail.smtp.auth.xoauth2.disable", "false");
    }
    switch (s.security()) {
      case STARTTLS:
        p.setProperty("mail.smtp.starttls.enable", "true");
        p.setProperty("mail.smtp.starttls.required", "true");
        p.setProperty("mail.smtp.ssl.enable", "false");
        break;
      case IMPLICIT_TLS:
        p.setProperty("mail.smtp.ssl.enable", "true");
        p.setProperty("mail.smtp.starttls.enable", "false");
        break;
      case PLAIN:
        p.setProperty("mail.smtp.ssl.enable", "false");
        p.setProperty("mail.smtp.starttls.enable", "false");
        break;
    }
    p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
    p.setProperty("mail.smtp.ssl.protocols", Net.protocols());
    // TCP_NODELAY on every connection (NoDelaySockets); TLS from the settings' trust store or the
    // JDK's default, as before. No fallback: a failing connect or handshake is reported, never
    // retried on a second connection with the JDK's default trust.
    p.put("mail.smtp.socketFactory", NoDelaySockets.plain(opened));
    SSLSocketFactory tls = Net.customSocketFactory(s); // JDK or settings' trust, refusals described (issue 23)
    p.put("mail.smtp.ssl.socketFactory", NoDelaySockets.tls(() -> tls, opened));
    p.setProperty("mail.smtp.socketFactory.fallback", "false");
    return p;
  }

  private static String millis(Duration d) {
    return Long.toString(Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis())));
  }

  /**
   * Counters of a transport's connection pool.
   *
   * @param connectionsOpened connections opened since creation
   * @param connectionsClosed connections closed since creation
   * @param messagesSent messages the server accepted
   * @param idleConnections connections open and waiting now
   * @param activeConnections connections lent to a send now
   */
  public record Stats(long connectionsOpened, long connectionsClosed, long messagesSent, int idleConnections,
      int activeConnections) {}
}
