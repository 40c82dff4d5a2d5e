package dev.mailverify.smtp;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.smtp.spi.SenderCheck;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * Walks the seed's manual SMTP checks one step at a time and says which step fails and why:
 * resolve the host, open the TCP connection, read the 220 banner, EHLO (listing the extensions),
 * STARTTLS or the implicit TLS handshake (showing the certificate's subject and expiry), AUTH with
 * the configured account (a password, or OAuth2 with XOAUTH2), and optionally send a test message.
 * Then, when a {@link SenderCheck} is configured ({@code verification-dns}'s
 * {@code SenderDomainCheck}), the DNS records of the From domain that decide whether mail lands in
 * the inbox (SPF, DMARC, DKIM when a signer is configured, MX): each is a passed step when in order
 * and a warning with the record to add when not, never a failed step. When DNS does not answer they
 * are warnings saying "skipped: DNS did not answer" (C30). This module asks DNS only for the SMTP
 * host's address; without a sender check, no other DNS lookup is made.
 *
 * <p>Every step is bounded by the settings' timeouts, uses the same TLS rules as
 * {@link SmtpTransport} (identity checked, no fallback to plain text), and reports failures with the
 * same categories and hints as {@link dev.mailverify.core.DeliveryException}. The password is sent
 * only inside AUTH and never appears in the report. The first five steps speak SMTP directly, so
 * that each can be timed and reported; the test send goes through a real {@link SmtpTransport}.
 *
 * <pre>{@code
 * DiagnosticReport report = SmtpDiagnostics.check(settings);
 * report.lines().forEach(System.out::println);   // one line per step, with a check mark or a cross
 *
 * // with the sender's DNS records (verification-dns), with and without a test send
 * SmtpDiagnostics doctor = SmtpDiagnostics.builder(settings)
 *     .senderCheck(SenderDomainCheck.builder().resolver("127.0.0.1", 53).build())
 *     .build();
 * DiagnosticReport quick = doctor.run();
 * DiagnosticReport full = doctor.run(EmailAddress.parse("me@example.com"));
 * }</pre>
 *
 * <p>An instance is immutable and thread-safe; every {@code run} opens its own connection.
 */
public final class SmtpDiagnostics {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
  private static final int MAX_LINE = 4096;
  private static final int MAX_LINES = 200;

  private final SmtpSettings settings;
  private final @Nullable SenderCheck senderCheck;

  private SmtpDiagnostics(Builder b) {
    settings = b.settings;
    senderCheck = b.senderCheck;
  }

  /**
   * Returns a builder for diagnostics of these settings, to add the sender's DNS checks.
   *
   * @param settings the settings to check; not null
   * @return a new builder: no sender check
   */
  public static Builder builder(SmtpSettings settings) {
    return new Builder(Objects.requireNonNull(settings, "settings"));
  }

  /**
   * Runs every SMTP step except the test send, without sender checks (use {@link #builder} to add
   * them).
   *
   * @param settings the settings to check; not null
   * @return the report; never throws for a network or server problem
   */
  public static DiagnosticReport check(SmtpSettings settings) {
    return builder(settings).build().run();
  }

  /**
   * Runs every SMTP step and then sends a short test message to an address (the seed's
   * {@code sendtestmail}), without sender checks (use {@link #builder} to add them).
   *
   * @param settings the settings to check; not null
   * @param testRecipient where the test message goes; not null
   * @return the report; never throws for a network or server problem
   */
  public static DiagnosticReport check(SmtpSettings settings, EmailAddress testRecipient) {
    return builder(settings).build().run(testRecipient);
  }

  /**
   * For tests: every step, the test send when {@code testRecipient} is given, the sender checks
   * when {@code senderCheck} is given (none: no DNS lookups beyond the SMTP host).
   */
  static DiagnosticReport check(SmtpSettings settings, @Nullable EmailAddress testRecipient,
      @Nullable SenderCheck senderCheck) {
    return new Probe(settings, testRecipient, senderCheck, socket -> { }).run();
  }

  /**
   * Runs every step except the test send, telling {@code opened} of the socket it connects (tests
   * check its options).
   */
  static DiagnosticReport check(SmtpSettings settings, Consumer<Socket> opened) {
    return new Probe(settings, null, null, opened).run();
  }

  /**
   * Runs every step except the test send, then the sender checks when configured.
   *
   * @return the report; never throws for a network, DNS or server problem
   */
  public DiagnosticReport run() {
    return new Probe(settings, null, senderCheck, socket -> { }).run();
  }

  /**
   * Runs every step, sends a short test message to an address (the seed's {@code sendtestmail}),
   * then runs the sender checks when configured, with the same sender check as {@link #run()}.
   *
   * @param testRecipient where the test message goes; not null
   * @return the report; never throws for a network, DNS or server problem
   */
  public DiagnosticReport run(EmailAddress testRecipient) {
    return new Probe(settings, Objects.requireNonNull(testRecipient, "testRecipient"), senderCheck, socket -> { })
        .run();
  }

  /**
   * Returns the configured sender check.
   *
   * @return the sender check, or empty when the report has only the SMTP steps
   */
  public Optional<SenderCheck> senderCheck() {
    return Optional.ofNullable(senderCheck);
  }

  @Override
  public String toString() {
    return "SmtpDiagnostics[" + settings.target() + ", senderCheck=" + (senderCheck == null ? "none" : senderCheck)
        + "]";
  }

  /**
   * Configures {@link SmtpDiagnostics}. Each setter validates its argument at once; calling a
   * setter twice keeps the last value.
   */
  public static final class Builder {
    private final SmtpSettings settings;
    private @Nullable SenderCheck senderCheck;

    private Builder(SmtpSettings settings) {
      this.settings = settings;
    }

    /**
     * Adds the sender's DNS checks (SPF, DMARC, DKIM key, MX) after the SMTP steps, such as
     * {@code verification-dns}'s {@code SenderDomainCheck.builder().build()}.
     *
     * @param value the check; not null
     * @return this builder
     */
    public Builder senderCheck(SenderCheck value) {
      senderCheck = Objects.requireNonNull(value, "senderCheck");
      return this;
    }

    /**
     * Builds the diagnostics.
     *
     * @return the diagnostics, ready to {@link SmtpDiagnostics#run() run} any number of times
     */
    public SmtpDiagnostics build() {
      return new SmtpDiagnostics(this);
    }
  }

  /** A failure reply seen at a stage. */
  private static final class ReplyFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final transient FailureClassifier.Stage stage;
    final int code;
    final String text;

    ReplyFailure(FailureClassifier.Stage stage, Reply reply) {
      super(reply.text, null, false, false);
      this.stage = stage;
      this.code = reply.code;
      this.text = reply.text;
    }
  }

  /** A step's check failed for a reason that is not a reply. */
  private static final class StepFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final transient DeliveryException failure;

    StepFailure(DeliveryException failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }

  @FunctionalInterface
  private interface Body {
    String run() throws Exception;
  }

  private record Reply(int code, String text, List<String> lines) {}

  private static final class Probe {
    private final SmtpSettings settings;
    private final @Nullable EmailAddress recipient;
    private final Consumer<Socket> opened;
    private final @Nullable SenderCheck senderCheck;
    private final List<DiagnosticStep> steps = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** The password, or the OAuth2 token once fetched: scrubbed from every reply shown. */
    private @Nullable String secret;
    private boolean failed;
    private InetAddress[] addresses = new InetAddress[0];
    private @Nullable Socket socket;
    private @Nullable InputStream in;
    private @Nullable OutputStream out;
    private List<String> extensions = List.of();

    Probe(SmtpSettings settings, @Nullable EmailAddress recipient, @Nullable SenderCheck senderCheck,
        Consumer<Socket> opened) {
      this.settings = settings;
      this.recipient = recipient;
      this.senderCheck = senderCheck;
      this.opened = opened;
      this.secret = settings.password();
    }

    DiagnosticReport run() {
      try {
        step(DiagnosticStep.Kind.RESOLVE, this::resolve);
        step(DiagnosticStep.Kind.CONNECT, this::connect);
        switch (settings.security()) {
          case IMPLICIT_TLS:
            step(DiagnosticStep.Kind.TLS, this::implicitTls);
            step(DiagnosticStep.Kind.BANNER, this::banner);
            step(DiagnosticStep.Kind.EHLO, this::ehlo);
            break;
          case STARTTLS:
            step(DiagnosticStep.Kind.BANNER, this::banner);
            step(DiagnosticStep.Kind.EHLO, this::ehlo);
            step(DiagnosticStep.Kind.TLS, this::startTls);
            break;
          case PLAIN:
            step(DiagnosticStep.Kind.BANNER, this::banner);
            step(DiagnosticStep.Kind.EHLO, this::ehlo);
            skip(DiagnosticStep.Kind.TLS, "plain text (explicit opt-in): nothing is encrypted, the password included");
            break;
        }
        if (settings.username() == null) {
          skip(DiagnosticStep.Kind.AUTH, "no user configured: sending without login");
        } else {
          step(DiagnosticStep.Kind.AUTH, this::auth);
        }
      } finally {
        quit();
      }
      if (recipient == null) {
        skip(DiagnosticStep.Kind.SEND, "no test address given");
      } else {
        step(DiagnosticStep.Kind.SEND, this::send);
      }
      if (senderCheck != null) {
        senderChecks(senderCheck);
      }
      return new DiagnosticReport(settings.target(), steps, warnings);
    }

    /**
     * The From domain's SPF, DMARC, DKIM and MX: a passed step when in order, a warning with the
     * record to add when not, never a failed step (mail may still arrive, perhaps in spam).
     */
    private void senderChecks(SenderCheck check) {
      String address = settings.from().address();
      String domain = address.substring(address.lastIndexOf('@') + 1);
      long start = System.nanoTime();
      List<SenderCheck.Finding> findings;
      try {
        findings = check.check(new SenderCheck.Sender(domain, settings.host(), settings.dkim().orElse(null)));
      } catch (RuntimeException e) {
        warnings.add("sender checks of " + domain + " skipped: " + e.getClass().getSimpleName());
        return;
      }
      Duration elapsed = since(start); // one DNS conversation: counted once, on the first step
      for (SenderCheck.Finding f : findings) {
        switch (f.status()) {
          case PASSED -> steps.add(new DiagnosticStep(f.kind(), DiagnosticStep.Status.PASSED, elapsed, f.detail(),
              null, -1, null));
          case SKIPPED -> steps.add(new DiagnosticStep(f.kind(), DiagnosticStep.Status.SKIPPED, Duration.ZERO,
              f.detail(), null, -1, null));
          case WARNING -> warnings.add(f.kind().label() + ": " + f.detail() + (f.hint() == null ? "" : " -> " + f.hint()));
        }
        elapsed = Duration.ZERO;
      }
    }

    private void step(DiagnosticStep.Kind kind, Body body) {
      if (failed) {
        skip(kind, "not run: an earlier step failed");
        return;
      }
      long start = System.nanoTime();
      try {
        String detail = body.run();
        steps.add(new DiagnosticStep(kind, DiagnosticStep.Status.PASSED, since(start), scrub(detail), null, -1, null));
      } catch (ReplyFailure r) {
        DeliveryException d = FailureClassifier.forReply(r.stage, r.code, r.text, settings.username(),
            secret, null);
        if (r.stage == FailureClassifier.Stage.AUTH && settings.username() != null) {
          d = d.toBuilder().reason("the server refused the login of " + EmailAddress.mask(settings.username()))
              .build();
        }
        fail(kind, start, d);
      } catch (StepFailure f) {
        fail(kind, start, f.failure);
      } catch (DeliveryException d) {
        fail(kind, start, d);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        fail(kind, start, FailureClassifier.classify(e, -1, settings.username(), secret));
      }
    }

    /**
     * A failed step shows the failure as the exception's message does: what happened, then the one
     * description (category, transience, the deciding reply, the reason, the hint).
     */
    private void fail(DiagnosticStep.Kind kind, long start, DeliveryException d) {
      failed = true;
      steps.add(new DiagnosticStep(kind, DiagnosticStep.Status.FAILED, since(start), d.getMessage(),
          d.category(), d.replyCode().orElse(-1), d.hint()));
    }

    private void skip(DiagnosticStep.Kind kind, String why) {
      steps.add(new DiagnosticStep(kind, DiagnosticStep.Status.SKIPPED, Duration.ZERO, why, null, -1, null));
    }

    private String resolve() throws IOException {
      addresses = Net.resolve(settings.host(), settings.connectTimeout());
      return settings.host() + " -> " + Arrays.stream(addresses).map(InetAddress::getHostAddress)
          .collect(Collectors.joining(", "));
    }

    private String connect() throws IOException {
      // TCP_NODELAY as on the transport's sockets: no Nagle stall in the TLS handshake and AUTH
      Socket s = NoDelaySockets.plain(opened).createSocket();
      socket = s;
      s.connect(new InetSocketAddress(addresses[0], settings.port()), (int) settings.connectTimeout().toMillis());
      s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.readTimeout().toMillis()));
      streams(s);
      return "connected to " + addresses[0].getHostAddress() + ":" + settings.port();
    }

    private String banner() throws IOException, ReplyFailure {
      Reply greeting = read();
      if (greeting.code != 220) {
        throw new ReplyFailure(FailureClassifier.Stage.GREETING, greeting);
      }
      return greeting.text;
    }

    private String ehlo() throws IOException, ReplyFailure {
      Reply reply = command("EHLO " + Net.ehloName(settings));
      if (reply.code != 250) {
        throw new ReplyFailure(FailureClassifier.Stage.EHLO, reply);
      }
      extensions = reply.lines.subList(1, reply.lines.size());
      String server = reply.lines.get(0);
      return server + " offers: " + (extensions.isEmpty() ? "(no extensions)" : String.join(", ", extensions));
    }

    private String startTls() throws IOException, ReplyFailure, StepFailure {
      if (!hasExtension("STARTTLS")) {
        throw new StepFailure(DeliveryException.builder(DeliveryException.Category.TLS,
                "the server does not offer STARTTLS; mailverify never falls back to plain text")
            .reason("the server's EHLO reply does not list STARTTLS").hint(FailureClassifier.NO_STARTTLS_HINT).build());
      }
      Reply reply = command("STARTTLS");
      if (reply.code != 220) {
        throw new ReplyFailure(FailureClassifier.Stage.STARTTLS, reply);
      }
      String certificate = handshake();
      Reply again = command("EHLO " + Net.ehloName(settings));
      if (again.code != 250) {
        throw new ReplyFailure(FailureClassifier.Stage.EHLO, again);
      }
      extensions = again.lines.subList(1, again.lines.size());
      return certificate + "; after STARTTLS the server offers: " + String.join(", ", extensions);
    }

    private String implicitTls() throws IOException {
      return handshake();
    }

    /** Upgrades the socket, checking trust and host name, and describes the certificate. */
    private String handshake() throws IOException {
      Socket plain = Objects.requireNonNull(socket);
      SSLSocket tls = (SSLSocket) Net.socketFactory(settings).createSocket(plain, settings.host(), settings.port(), true);
      socket = tls;
      SSLParameters params = tls.getSSLParameters();
      params.setEndpointIdentificationAlgorithm(Net.IDENTITY_ALGORITHM);
      params.setProtocols(Net.protocols().split(" "));
      tls.setSSLParameters(params);
      tls.startHandshake();
      streams(tls); // anything the server sent before the handshake is dropped, never trusted
      Certificate[] chain = tls.getSession().getPeerCertificates();
      String protocol = tls.getSession().getProtocol();
      if (chain.length > 0 && chain[0] instanceof X509Certificate) {
        X509Certificate leaf = (X509Certificate) chain[0];
        return protocol + ", certificate " + leaf.getSubjectX500Principal().getName() + ", issued by "
            + leaf.getIssuerX500Principal().getName() + ", expires " + DAY.format(leaf.getNotAfter().toInstant());
      }
      return protocol + ", certificate of type " + (chain.length > 0 ? chain[0].getType() : "none");
    }

    private String auth() throws IOException, ReplyFailure, StepFailure {
      String user = Objects.requireNonNull(settings.username());
      if (settings.accessTokenSource().isPresent()) {
        return xoauth2(user);
      }
      String password = Objects.requireNonNull(secret);
      List<String> mechanisms = mechanisms();
      Base64.Encoder b64 = Base64.getEncoder();
      String who = EmailAddress.mask(user);
      if (mechanisms.contains("LOGIN")) {
        Reply r = command("AUTH LOGIN");
        if (r.code == 334) {
          r = command(b64.encodeToString(user.getBytes(StandardCharsets.UTF_8)));
        }
        if (r.code == 334) {
          r = command(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)));
        }
        if (r.code != 235) {
          throw new ReplyFailure(FailureClassifier.Stage.AUTH, r);
        }
        return "logged in as " + who + " with AUTH LOGIN: " + r.text;
      }
      if (mechanisms.contains("PLAIN")) {
        String token = b64.encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        Reply r = command("AUTH PLAIN " + token);
        if (r.code != 235) {
          throw new ReplyFailure(FailureClassifier.Stage.AUTH, r);
        }
        return "logged in as " + who + " with AUTH PLAIN: " + r.text;
      }
      String offered = mechanisms.isEmpty() ? "no AUTH at all" : "only " + String.join(" ", mechanisms);
      throw new StepFailure(DeliveryException.builder(DeliveryException.Category.AUTHENTICATION,
              "the server offers " + offered + " on this connection; mailverify logs in with LOGIN or PLAIN")
          .hint("Check the port and security mode: most servers offer AUTH only on the submission ports 587 and 465,"
              + " and only after TLS.")
          .build());
    }

    /** SASL XOAUTH2 (RFC 7628's predecessor, as Microsoft and Google speak it) with a token from the source. */
    private String xoauth2(String user) throws IOException, ReplyFailure, StepFailure {
      if (!mechanisms().contains("XOAUTH2")) {
        String offered = mechanisms().isEmpty() ? "no AUTH at all" : "only " + String.join(" ", mechanisms());
        throw new StepFailure(DeliveryException.builder(DeliveryException.Category.AUTHENTICATION,
                "the server offers " + offered + " on this connection, but OAuth2 sign-in needs XOAUTH2")
            .hint("Microsoft 365 / Outlook: smtp.office365.com 587 STARTTLS; Gmail: smtp.gmail.com 587 or 465.")
            .build());
      }
      AccessToken token = new OAuthTokens(settings.accessTokenSource().orElseThrow(), java.time.Clock.systemUTC())
          .current();
      secret = token.value();
      String ir = Base64.getEncoder().encodeToString(("user=" + user + "\u0001auth=Bearer " + token.value()
          + "\u0001\u0001").getBytes(StandardCharsets.UTF_8));
      Reply r = command("AUTH XOAUTH2 " + ir);
      if (r.code == 334) {
        r = command(""); // Gmail's error challenge: an empty response gets the final 535
      }
      if (r.code != 235) {
        throw new ReplyFailure(FailureClassifier.Stage.AUTH, r);
      }
      return "logged in as " + EmailAddress.mask(user) + " with AUTH XOAUTH2 (token expires "
          + (token.expiresAt().equals(java.time.Instant.MAX) ? "(not known)" : token.expiresAt().toString()) + "): "
          + r.text;
    }

    private String send() {
      EmailAddress to = Objects.requireNonNull(recipient);
      EmailMessage message = EmailMessage.builder(to)
          .subject("mailverify SMTP test message")
          .text("This is a test message sent by mailverify's SMTP diagnostics to check the settings."
              + " No action is needed.")
          .build();
      try (SmtpTransport transport = SmtpTransport.create(settings.toBuilder().maxConnections(1).build())) {
        transport.send(message);
      }
      return "the server accepted a test message to " + to.masked();
    }

    private List<String> mechanisms() {
      List<String> out = new ArrayList<>();
      for (String ext : extensions) {
        String upper = ext.toUpperCase(Locale.ROOT);
        if (upper.startsWith("AUTH ") || upper.startsWith("AUTH=")) {
          for (String m : upper.substring(5).trim().split("\\s+")) {
            if (!m.isEmpty() && !out.contains(m)) {
              out.add(m);
            }
          }
        }
      }
      return out;
    }

    private boolean hasExtension(String name) {
      return extensions.stream().anyMatch(e -> e.toUpperCase(Locale.ROOT).split("\\s+")[0].equals(name));
    }

    private void streams(Socket s) throws IOException {
      in = new BufferedInputStream(s.getInputStream());
      out = s.getOutputStream();
    }

    private Reply command(String line) throws IOException {
      OutputStream o = Objects.requireNonNull(out);
      o.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      o.flush();
      return read();
    }

    private Reply read() throws IOException {
      InputStream i = Objects.requireNonNull(in);
      List<String> lines = new ArrayList<>();
      int code = -1;
      while (lines.size() < MAX_LINES) {
        String line = readLine(i);
        if (line.length() < 3 || !Character.isDigit(line.charAt(0))) {
          throw new IOException("the server sent something that is not an SMTP reply");
        }
        code = Integer.parseInt(line.substring(0, 3));
        lines.add(line.length() > 4 ? line.substring(4) : "");
        if (line.length() == 3 || line.charAt(3) == ' ') {
          break;
        }
      }
      String text = code + " " + String.join(" / ", lines);
      return new Reply(code, text, lines);
    }

    private static String readLine(InputStream i) throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      while (true) {
        int b = i.read();
        if (b < 0) {
          throw new EOFException("the server closed the connection");
        }
        if (b == '\n') {
          break;
        }
        if (b != '\r' && buf.size() < MAX_LINE) {
          buf.write(b);
        }
      }
      return buf.toString(StandardCharsets.UTF_8);
    }

    private void quit() {
      Socket s = socket;
      if (s == null) {
        return;
      }
      try {
        if (!failed && out != null) {
          out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (IOException e) {
        // the report is complete; a failing QUIT changes nothing
      } finally {
        try {
          s.close();
        } catch (IOException e) {
          // nothing to do
        }
      }
    }

    private String scrub(String text) {
      return FailureClassifier.scrub(text, settings.username(), secret);
    }

    private static Duration since(long start) {
      return Duration.ofNanos(System.nanoTime() - start);
    }
  }
}
