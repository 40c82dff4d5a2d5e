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
 *       open and shared. An idle one is kept warm with a NOOP after 30 s of silence, and closed
 *       after {@link SmtpSettings#idleTimeout()}. On a server without PIPELINING, one idle longer
 *       than a second, or that saw a failure, is checked with NOOP before reuse. When a reused
 *       connection turns out to be dead before the message was transmitted (the server timed it
 *       out), the send is retried once on a new connection.</li>
 *   <li><b>Pipelining (RFC 2920).</b> When the server lists PIPELINING after EHLO, a mail's
 *       MAIL FROM, RCPT TO and DATA go out in one write; when other mails are waiting for the
 *       connection (more sending threads than connections), the next mail's envelope goes out
 *       with this mail's body and final dot, so mails in a row cost one round trip each. Every
 *       reply is matched to its command and classified as in the lock-step path: a rejected
 *       recipient fails that mail only, a 421 fails that mail and the one pipelined behind it
 *       (transient). Servers without PIPELINING get the lock-step conversation of Angus.</li>
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
  /** Silence after which an idle pooled connection gets a NOOP (see {@link ConnectionPool#keepAlive()}). */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
  private static final int MAX_ATTEMPTS = 4;
  /** The transport being connected on this thread, told of the sockets the factories hand out. */
  private static final ThreadLocal<SmtpConnection> CONNECTING = new ThreadLocal<>();
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
    this.pool = new ConnectionPool(settings.maxConnections(), settings.idleTimeout(), VALIDATE_AFTER, KEEP_ALIVE,
        maxWait, ticker, this::connect);
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
    Pipeline.@Nullable Mail mail = null;
    for (int attempt = 0; ; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw DeliveryException.builder(DeliveryException.Category.CONNECTION_LOST,
                "the SMTP connections kept closing before the message could be sent")
            .transientFailure(true).hint(DeliveryException.Category.CONNECTION_LOST.defaultHint()).build();
      }
      ConnectionPool.@Nullable Connection c = pool.tryBorrow(retried);
      boolean envelopeSent = false;
      if (c == null) {
        // Every connection is busy: queue behind a pipelining one rather than wait for a connection
        @Nullable Pipeline joinable = pool.joinable();
        mail = mail == null ? new Pipeline.Mail(mime) : mail.again();
        if (joinable != null && joinable.join(mail)) {
          Pipeline.Turn turn = awaitTurn(joinable, mail);
          @Nullable DeliveryException refused = turn.failure();
          if (refused != null) {
            throw refused;
          }
          ConnectionPool.@Nullable Connection handed = turn.connection();
          if (handed == null) {
            continue; // the connection died before this mail reached the wire: try again
          }
          c = handed;
          envelopeSent = turn.envelopeSent();
        } else {
          c = pool.borrow(retried);
        }
      }
      if (c.pipeline != null) {
        if (mail == null) {
          mail = new Pipeline.Mail(mime);
        } else if (!envelopeSent) {
          mail = mail.again();
        }
        boolean mayRetry = !retried && (c.reused || envelopeSent);
        if (carry(c, mail, envelopeSent, mayRetry, message)) {
          return;
        }
        retried = true;
        continue;
      }
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
   * Carries a mail over a pipelining connection this thread holds, then hands the connection on
   * (to the mail whose envelope went out behind this one, or the next waiting) or back to the pool.
   *
   * @return true when the server accepted the mail; false when the connection proved dead before
   *     the message went out and {@code mayRetry} allows one more try
   * @throws DeliveryException the classified failure (C24)
   */
  private boolean carry(ConnectionPool.Connection c, Pipeline.Mail mail, boolean envelopeSent, boolean mayRetry,
      EmailMessage message) {
    Pipeline p = Objects.requireNonNull(c.pipeline);
    Pipeline.Carried r;
    try {
      r = p.carry(mail, envelopeSent);
    } catch (RuntimeException | Error e) {
      // a bug, not the server: leave no one waiting on this connection
      abandon(c, p, null, null);
      throw e;
    }
    if (r.dead()) {
      @Nullable DeliveryException closing = null;
      if (r.code() == 421 && mail.transmitted) {
        // the server closes the session after this mail: the mail pipelined behind it fails with
        // the same transient 421 (the "rest" of the group), mails still waiting try a new connection
        closing = FailureClassifier.forReply(FailureClassifier.Stage.UNKNOWN, 421,
            c.transport.getLastServerResponse(), settings.username(), c.secret, r.failure());
      }
      abandon(c, p, r.next(), closing);
    } else {
      Pipeline.@Nullable Mail next = r.next();
      if (next == null) {
        next = p.nextOrRelease();
        if (next == null) {
          pool.release(c, true, false);
        } else {
          next.decide(Pipeline.Turn.drive(c.reuse(), false));
        }
      } else {
        next.decide(Pipeline.Turn.drive(c.reuse(), true));
      }
    }
    @Nullable Exception failure = r.failure();
    if (failure == null) {
      sent.incrementAndGet();
      if (LOG.isDebugEnabled()) {
        LOG.debug("SMTP server accepted the mail to {} on connection #{} (pipelined)", message.to().masked(), c.id);
      }
      return true;
    }
    if (r.dead() && !mail.transmitted && mayRetry) {
      LOG.debug("pooled SMTP connection #{} was dead ({}); retrying once on a new connection", c.id,
          failure.toString());
      return false;
    }
    DeliveryException classified = FailureClassifier.classify(failure, r.code(), settings.username(), c.secret);
    LOG.debug("SMTP send to {} failed: {} ({})", message.to().masked(), classified.category(), classified.getMessage());
    throw classified;
  }

  /** Closes a dead pipelining connection; the mail written behind it gets {@code closing} or a retry. */
  private void abandon(ConnectionPool.Connection c, Pipeline p, Pipeline.@Nullable Mail next,
      @Nullable DeliveryException closing) {
    List<Pipeline.Mail> waiting = p.kill();
    pool.release(c, false, true);
    if (next != null) {
      next.decide(closing != null ? Pipeline.Turn.fail(closing) : Pipeline.Turn.retry());
    }
    for (Pipeline.Mail m : waiting) {
      m.decide(Pipeline.Turn.retry());
    }
  }

  /**
   * Waits for a queued mail's turn. Each mail ahead of it is bounded by the read and write
   * timeouts, so the wait is bounded by them times the queue; past that the mail leaves the queue
   * and fails as a transient timeout.
   */
  private Pipeline.Turn awaitTurn(Pipeline p, Pipeline.Mail mail) {
    Duration perMail = settings.readTimeout().multipliedBy(2).plus(settings.writeTimeout());
    Duration bound = perMail.multipliedBy(Pipeline.MAX_WAITING + 1L);
    boolean interrupted = false;
    try {
      Pipeline.@Nullable Turn turn;
      try {
        turn = mail.await(bound);
      } catch (InterruptedException e) {
        interrupted = true;
        turn = null;
      }
      if (turn != null) {
        return turn;
      }
      if (p.leave(mail)) {
        throw DeliveryException.builder(interrupted ? DeliveryException.Category.UNKNOWN
                    : DeliveryException.Category.TIMEOUT,
                interrupted ? "interrupted while waiting to send"
                    : "the mail waited " + bound.toSeconds() + " s for a busy SMTP connection")
            .transientFailure(true).hint(DeliveryException.Category.TIMEOUT.defaultHint()).build();
      }
      // a driver claimed it just now and decides at once
      while (true) {
        try {
          turn = mail.awaitClaimed(perMail);
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (turn == null) {
        throw DeliveryException.builder(DeliveryException.Category.CONNECTION_LOST,
                "the SMTP connection this mail waited for failed before the mail was sent")
            .transientFailure(true).hint(DeliveryException.Category.CONNECTION_LOST.defaultHint()).build();
      }
      return turn;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
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

  /** For tests: mails queued behind busy pipelining connections now. */
  int waitingMails() {
    return pool.waiting();
  }

  /** For tests: the Jakarta Mail properties in force. */
  Properties sessionProperties() {
    return session.getProperties();
  }

  /** Closes idle connections past their idle timeout; run by the timer. */
  int sweep() {
    try {
      int evicted = pool.evictIdle();
      pool.keepAlive();
      return evicted;
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
      return opened(signIn(password), password);
    }
    AccessToken token = tokens.current();
    try {
      return opened(signIn(token.value()), token.value());
    } catch (DeliveryException first) {
      if (!tokenRefused(first)) {
        throw first;
      }
      tokens.refused(token);
      AccessToken fresh = tokens.current();
      LOG.info("the SMTP server refused the OAuth2 access token for {}; signing in once more with a new one",
          dev.mailverify.core.EmailAddress.mask(String.valueOf(settings.username())));
      try {
        return opened(signIn(fresh.value()), fresh.value());
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

  /**
   * A signed-in connection, pipelining when the server's EHLO (after STARTTLS) lists PIPELINING
   * and its socket was seen; otherwise in lock-step through Angus.
   */
  private ConnectionPool.Opened opened(SmtpConnection transport, @Nullable String secret) {
    Socket socket = transport.socket();
    if (socket == null || !Pipeline.offeredBy(transport)) {
      return new ConnectionPool.Opened(transport, secret);
    }
    try {
      return new ConnectionPool.Opened(transport, secret, new Pipeline(transport, socket, timer,
          settings.writeTimeout()));
    } catch (IOException e) {
      ConnectionPool.quietClose(transport, 0);
      throw FailureClassifier.classify(e, -1, settings.username(), secret);
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
  private SmtpConnection signIn(@Nullable String secret) {
    SmtpConnection transport = new SmtpConnection(session, new URLName("smtp", settings.host(), settings.port(),
        null, null, null));
    try {
      CONNECTING.set(transport);
      try {
        transport.connect(settings.host(), settings.port(), settings.username(), secret);
      } finally {
        CONNECTING.remove();
      }
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
    Consumer<Socket> seen = socket -> {
      SmtpConnection connecting = CONNECTING.get();
      if (connecting != null) {
        connecting.socket(socket); // the last one handed out carries the session (TLS over plain)
      }
      opened.accept(socket);
    };
    p.put("mail.smtp.socketFactory", NoDelaySockets.plain(seen));
    SSLSocketFactory tls = Net.customSocketFactory(s); // JDK or settings' trust, refusals described (issue 23)
    p.put("mail.smtp.ssl.socketFactory", NoDelaySockets.tls(() -> tls, seen));
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
