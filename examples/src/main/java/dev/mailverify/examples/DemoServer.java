package dev.mailverify.examples;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mailverify.core.AddressChange;
import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.InvalidAddressException;
import dev.mailverify.core.LinkRequest;
import dev.mailverify.core.SendRequest;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifiedEmail;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.dns.DomainSuggestions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's sign-up API on the JDK's built-in HTTP server:
 *
 * <ul>
 *   <li>{@code POST /api/v1/auth/send_verification_code/} {@code {email, type}}:
 *       <ul>
 *         <li>202 {@code {expires_in, delivery: "queued"}}: an asynchronous transport queued the
 *             mail; the audit log's {@code DELIVER} line tells its final outcome;
 *         <li>200 {@code {expires_in, delivery: "accepted"}}: a synchronous transport handed it over;
 *         <li>400 {@code {error: "invalid_email", reason, detail}}, {@code reason} being the
 *             {@link dev.mailverify.core.InvalidAddressReason} name (such as {@code SYNTAX},
 *             {@code DOMAIN_NOT_FOUND}, {@code NO_MAIL_SERVER} from the MX check);
 *         <li>429 {@code {error: "rate_limited", retry_after}} with {@code Retry-After};
 *         <li>503 {@code {error: "delivery_failed", category: "QUEUE_FULL", retry_after}} with
 *             {@code Retry-After} when the send queue is full;
 *         <li>503 (transient) or 502 (permanent) {@code {error: "delivery_failed", category}};
 *       </ul>
 *       and every one of them carries {@code did_you_mean} (such as {@code user@gmail.com}) when the
 *       domain looks like a typo of a common provider's;
 *   <li>{@code POST /api/v1/auth/verify_code/} {@code {email, type, code}}: 200
 *       {@code {verification_token}}, 400 for a wrong, expired or unknown code (one neutral
 *       message; the detail goes to the log), 429 when locked;
 *   <li>{@code POST /api/v1/auth/register/} {@code {email, password, verification_token}}: 201,
 *       or 400 when the token is unknown, used, or was issued for another address (such a token is
 *       not consumed, so the user can correct a mistyped address);
 *   <li>{@code GET /}: a page to try the flow in a browser, pre-filled with an address that passes
 *       the MX check ({@link Options#suggestedEmail()}) and saying whether the MX check is on;
 *   <li>{@code GET /verify?token=...&type=...}: the link beside the code (C32): a page with a
 *       button, nothing consumed; {@code POST /verify} (the button) verifies the link; a link
 *       opened in another browser than the one that asked for it (same-device option) answers a
 *       form for the code instead, posted to {@code POST /verify/code}.
 * </ul>
 *
 * <p>Same device: a send sets the {@code mv_device} cookie ({@code HttpOnly},
 * {@code SameSite=Lax}, 128 random bits) when the browser has none, and binds the mail's link to
 * it ({@link SendRequest.Builder#sameDevice}); the button's {@code POST} hands the cookie back to
 * {@link LinkRequest.Builder#sameDevice}.
 *
 * <p>{@code type} is one of {@code register} (the default), {@code login}, {@code reset_password}
 * and {@code change_email}; anything else is 400 {@code invalid_type}.
 *
 * <p>Any endpoint answers 503 {@code {error: "store_unavailable", retry_after}} with
 * {@code Retry-After} when a shared store does not answer in time (C29).
 *
 * <p>The client's IP address (the socket's, never a request header) is the rate-limit client key.
 */
public final class DemoServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);
  private static final int MAX_BODY = 16 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Seconds a client waits after a full send queue: the workers usually catch up within them. */
  static final long QUEUE_FULL_RETRY_AFTER = 5;
  /** Seconds a client waits after a store outage (C29). */
  static final long STORE_RETRY_AFTER = 5;

  private final VerificationCodeService service;
  private final UserDirectory users;
  private final Clock clock;
  private final HttpServer server;
  private final ExecutorService executor;
  private final DomainSuggestions suggestions = DomainSuggestions.standard();
  private final Options options;

  /** The cookie that names the browser a code was asked from (the same-device option of C32). */
  static final String DEVICE_COOKIE = "mv_device";

  /**
   * The address the page and the console demo start with. Not {@code you@example.com}: that domain
   * publishes a null MX (RFC 7505), so the MX check refuses it as soon as DNS answers. This one
   * passes the check, and the demo sends to the console unless real mail is switched on (then the
   * page offers the configured sender instead: {@link DemoApp}).
   */
  public static final String DEFAULT_EMAIL = "you@gmail.com";

  /**
   * What the demo's front page shows.
   *
   * @param suggestedEmail the address the form starts with
   * @param mxCheck whether the MX check refuses domains that take no mail ({@code CHECK_MX})
   */
  public record Options(String suggestedEmail, boolean mxCheck) {
    /**
     * Checks for nulls.
     *
     * @param suggestedEmail the address the form starts with
     * @param mxCheck whether the MX check is on
     */
    public Options {
      Objects.requireNonNull(suggestedEmail, "suggestedEmail");
    }

    /**
     * Returns the options of a demo without an MX check, starting with {@link #DEFAULT_EMAIL}.
     *
     * @return the options
     */
    public static Options defaults() {
      return new Options(DEFAULT_EMAIL, false);
    }
  }

  private DemoServer(VerificationCodeService service, UserDirectory users, Clock clock, InetSocketAddress address,
      Options options) throws IOException {
    this.options = Objects.requireNonNull(options, "options");
    this.service = Objects.requireNonNull(service, "service");
    this.users = Objects.requireNonNull(users, "users");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.server = HttpServer.create(address, 64);
    this.executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    server.createContext("/api/v1/auth/send_verification_code/", ex -> handle(ex, this::send));
    server.createContext("/api/v1/auth/verify_code/", ex -> handle(ex, this::verify));
    server.createContext("/api/v1/auth/register/", ex -> handle(ex, this::register));
    server.createContext("/verify", ex -> handlePage(ex, this::linkPage));
    server.createContext("/verify/register", ex -> handlePage(ex, this::linkRegister));
    server.createContext("/verify/code", ex -> handlePage(ex, this::codePage));
    server.createContext("/", this::page);
    addressChangeContexts();
  }

  /**
   * Starts a server.
   *
   * @param service the verification service
   * @param users the user directory
   * @param clock the clock used for {@code expires_in}
   * @param address where to listen; port 0 picks a free port
   * @return the running server
   * @throws IOException if the port cannot be bound
   */
  public static DemoServer start(VerificationCodeService service, UserDirectory users, Clock clock,
      InetSocketAddress address) throws IOException {
    return start(service, users, clock, address, Options.defaults());
  }

  /**
   * Starts a server whose front page shows these options.
   *
   * @param service the verification service
   * @param users the user directory
   * @param clock the clock used for {@code expires_in}
   * @param address where to listen; port 0 picks a free port
   * @param options what the front page shows
   * @return the running server
   * @throws IOException if the port cannot be bound
   */
  public static DemoServer start(VerificationCodeService service, UserDirectory users, Clock clock,
      InetSocketAddress address, Options options) throws IOException {
    DemoServer s = new DemoServer(service, users, clock, address, options);
    s.server.start();
    return s;
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An HTTP answer: status, JSON body, extra headers. */
  private record Reply(int status, Map<String, Object> body, Map<String, String> headers) {
    static Reply of(int status, Object... keyValues) {
      Map<String, Object> body = new LinkedHashMap<>();
      for (int i = 0; i < keyValues.length; i += 2) {
        body.put((String) keyValues[i], keyValues[i + 1]);
      }
      return new Reply(status, body, Map.of());
    }

    Reply with(String key, Object value) {
      Map<String, Object> b = new LinkedHashMap<>(body);
      b.put(key, value);
      return new Reply(status, b, headers);
    }

    Reply header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, body, h);
    }
  }

  @FunctionalInterface
  private interface Endpoint {
    Reply handle(Map<String, Object> body, String clientIp, HttpExchange ex);
  }

  private void handle(HttpExchange ex, Endpoint endpoint) throws IOException {
    Reply reply;
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        reply = Reply.of(405, "error", "method_not_allowed").header("Allow", "POST");
      } else {
        Map<String, Object> body = readJson(ex);
        reply = body == null ? Reply.of(400, "error", "invalid_json")
            : endpoint.handle(body, ex.getRemoteAddress().getAddress().getHostAddress(), ex);
      }
    } catch (BodyTooLarge e) {
      reply = Reply.of(413, "error", "body_too_large");
    } catch (BadRequest e) {
      reply = "invalid_type".equals(e.error)
          ? Reply.of(400, "error", "invalid_type", "detail", "type must be one of register, login, reset_password,"
              + " change_email")
          : Reply.of(400, "error", e.error);
    } catch (StoreUnavailableException e) {
      // C29: the shared store did not answer within its timeout; nothing was sent or verified
      LOG.warn("{} failed: {}", ex.getRequestURI().getPath(), e.getMessage());
      reply = Reply.of(503, "error", "store_unavailable", "retry_after", STORE_RETRY_AFTER)
          .header("Retry-After", Long.toString(STORE_RETRY_AFTER));
    } catch (RuntimeException e) {
      LOG.error("unexpected failure on {}", ex.getRequestURI(), e);
      reply = Reply.of(500, "error", "internal_error");
    }
    byte[] out = JSON.std.asString(reply.body()).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(reply.status(), out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The answer's error code, such as {@code invalid_type}. */
    final String error;

    BadRequest(String error) {
      super(error, null, false, false);
      this.error = error;
    }
  }

  private static final class BodyTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super("body too large", null, false, false);
    }
  }

  private static @Nullable Map<String, Object> readJson(HttpExchange ex) throws IOException {
    byte[] raw;
    try (InputStream in = ex.getRequestBody()) {
      raw = in.readNBytes(MAX_BODY + 1);
    }
    if (raw.length > MAX_BODY) {
      throw new BodyTooLarge();
    }
    try {
      Object parsed = JSON.std.anyFrom(raw);
      if (parsed instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) map;
        return m;
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String text(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw new BadRequest("missing_" + field);
    }
    return s;
  }

  /** The only types this app uses: a made-up type from a request must not get its own budget. */
  static final Map<String, VerificationType> TYPES = Map.of(
      VerificationType.REGISTER.name(), VerificationType.REGISTER,
      VerificationType.LOGIN.name(), VerificationType.LOGIN,
      VerificationType.RESET_PASSWORD.name(), VerificationType.RESET_PASSWORD,
      VerificationType.CHANGE_EMAIL.name(), VerificationType.CHANGE_EMAIL);

  private static VerificationType type(Map<String, Object> body) {
    Object v = body.getOrDefault("type", VerificationType.REGISTER.name());
    VerificationType type = v instanceof String s ? TYPES.get(s) : null;
    if (type == null) {
      throw new BadRequest("invalid_type");
    }
    return type;
  }

  private long secondsUntil(Instant instant) {
    long millis = Duration.between(clock.instant(), instant).toMillis();
    return Math.max(0, (millis + 999) / 1000); // rounded up: a fresh 10-minute code says 600
  }

  private Reply send(Map<String, Object> body, String clientIp, HttpExchange ex) {
    String email = text(body, "email");
    String device = deviceCookie(ex);
    if (device == null) { // this browser's first send: name it, so its link works here only (C32)
      device = newDeviceValue();
      ex.getResponseHeaders().add("Set-Cookie", DEVICE_COOKIE + "=" + device + "; Path=/; HttpOnly; SameSite=Lax");
    }
    SendResult result = service.sendVerificationCode(
        SendRequest.builder(email, type(body)).clientKey(clientIp).sameDevice(device).build());
    Reply reply = answer(result);
    // a likely typo (gamil.com) is offered whatever happened; it never blocks a send
    Optional<String> suggestion = suggestions.suggest(email);
    return suggestion.isPresent() ? reply.with("did_you_mean", suggestion.get()) : reply;
  }

  private Reply answer(SendResult result) {
    if (result instanceof SendResult.Sent sent) {
      // queued: an asynchronous transport took the mail; its outcome is the audit log's DELIVER line
      return sent.isQueued()
          ? Reply.of(202, "expires_in", secondsUntil(sent.expiresAt()), "delivery", "queued")
          : Reply.of(200, "expires_in", secondsUntil(sent.expiresAt()), "delivery", "accepted");
    } else if (result instanceof SendResult.RateLimited limited) {
      return Reply.of(429, "error", "rate_limited", "retry_after", limited.retryAfterSeconds())
          .header("Retry-After", Long.toString(limited.retryAfterSeconds()));
    } else if (result instanceof SendResult.InvalidAddress invalid) {
      return Reply.of(400, "error", "invalid_email", "reason", invalid.reason().name(), "detail", invalid.message());
    }
    SendResult.DeliveryFailed failed = (SendResult.DeliveryFailed) result;
    if (failed.category() == DeliveryException.Category.QUEUE_FULL) {
      LOG.warn("send refused: the send queue is full; the client is told to retry in {} s", QUEUE_FULL_RETRY_AFTER);
      return Reply.of(503, "error", "delivery_failed", "category", failed.category().name(),
          "retry_after", QUEUE_FULL_RETRY_AFTER).header("Retry-After", Long.toString(QUEUE_FULL_RETRY_AFTER));
    }
    LOG.warn("delivery failed: {} - {}", failed.category(), failed.cause().hint());
    return Reply.of(failed.isTransient() ? 503 : 502, "error", "delivery_failed",
        "category", failed.category().name());
  }

  private Reply verify(Map<String, Object> body, String clientIp, HttpExchange ex) {
    String email = text(body, "email");
    VerificationType type = type(body);
    Object code = body.get("code");
    VerifyResult result = service.verifyCode(email, type, code instanceof String s ? s : null);
    if (result instanceof VerifyResult.Verified verified) {
      return Reply.of(200, "verification_token", verified.token(), "expires_in", secondsUntil(verified.expiresAt()));
    } else if (result instanceof VerifyResult.Locked) {
      return Reply.of(429, "error", "too_many_attempts", "detail", "ask for a new code");
    }
    LOG.info("verification refused for client {}: {}", clientIp, result);
    return Reply.of(400, "error", "invalid_or_expired_code");
  }

  private Reply register(Map<String, Object> body, String clientIp, HttpExchange ex) {
    String email = text(body, "email");
    String password = text(body, "password");
    String token = text(body, "verification_token");
    EmailAddress address;
    try {
      address = EmailAddress.parse(email);
    } catch (InvalidAddressException e) {
      throw new BadRequest("invalid_email");
    }
    if (password.length() < 8 || password.length() > 256) {
      throw new BadRequest("password_must_be_8_to_256_characters");
    }
    // consumed only if it was issued to this address: a mistyped address in the form keeps the token
    Optional<VerifiedEmail> verified = service.redeem(token, VerificationType.REGISTER, address.address());
    if (verified.isEmpty()) {
      LOG.info("registration for {} by {} refused: token unknown, used, expired or issued to another address",
          address.masked(), clientIp);
      return Reply.of(400, "error", "invalid_or_used_token", "detail",
          "the token is unknown, used or expired, or was issued for another address");
    }
    return users.create(verified.get().email(), password.toCharArray())
        .map(u -> Reply.of(201, "email", u.email(), "email_verified", u.emailVerified()))
        .orElseGet(() -> Reply.of(409, "error", "already_registered"));
  }

  // --- C32: the link beside the code. GET shows a button; only the button's POST verifies. -----

  /** An HTML answer: status and page. */
  private record Page(int status, String html) {}

  @FunctionalInterface
  private interface PageEndpoint {
    Page handle(HttpExchange ex) throws IOException;
  }

  private void handlePage(HttpExchange ex, PageEndpoint endpoint) throws IOException {
    Page page;
    try {
      page = endpoint.handle(ex);
    } catch (BodyTooLarge e) {
      page = new Page(413, html("Too large", "<p>The form was too large.</p>"));
    } catch (StoreUnavailableException e) {
      LOG.warn("{} failed: {}", ex.getRequestURI().getPath(), e.getMessage());
      page = new Page(503, html("Try again", "<p>The service is busy. Try again in a few seconds.</p>"));
    } catch (RuntimeException e) {
      LOG.error("unexpected failure on {}", ex.getRequestURI().getPath(), e);
      page = new Page(500, html("Error", "<p>Something went wrong.</p>"));
    }
    byte[] out = page.html().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("Referrer-Policy", "no-referrer"); // the token is in the URL
    ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline';"
        + " form-action 'self'; frame-ancestors 'none'");
    if (page.status() == 405) {
      ex.getResponseHeaders().set("Allow", "GET, POST");
    }
    ex.sendResponseHeaders(page.status(), out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  /**
   * {@code GET /verify?token=...&type=...}: a page with a button, and nothing consumed, because mail
   * scanners and link previews open every link in a mail. {@code POST /verify} (the button):
   * {@code verifyLink}, then a form to finish signing up.
   */
  private Page linkPage(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    if ("GET".equals(method)) {
      Map<String, String> query = form(ex.getRequestURI().getRawQuery());
      String token = query.getOrDefault("token", "");
      String type = query.getOrDefault("type", VerificationType.REGISTER.name());
      return new Page(200, html("Confirm your e-mail address",
          "<p>Press the button to confirm your e-mail address.</p>"
          + "<form method=\"post\" action=\"/verify\">"
          + "<input type=\"hidden\" name=\"token\" value=\"" + escape(token) + "\">"
          + "<input type=\"hidden\" name=\"type\" value=\"" + escape(type) + "\">"
          + "<button type=\"submit\" id=\"confirm\">Confirm my address</button></form>"
          + "<p>Or type the code from the same e-mail on the <a href=\"/\">sign-up page</a>.</p>"));
    }
    if (!"POST".equals(method)) {
      return new Page(405, html("Not allowed", "<p>Use the button on the page the link opens.</p>"));
    }
    Map<String, String> body = form(readForm(ex));
    VerificationType type = TYPES.get(body.getOrDefault("type", ""));
    String token = body.getOrDefault("token", "");
    if (type == null) {
      return new Page(400, html("Unknown link", "<p>This link is not one of ours.</p>"));
    }
    String clientIp = ex.getRemoteAddress().getAddress().getHostAddress();
    LinkRequest.Builder request = LinkRequest.builder(token, type).clientKey(clientIp);
    String device = deviceCookie(ex);
    if (device != null) {
      request.sameDevice(device);
    }
    VerifyResult result = service.verifyLink(request.build());
    if (result instanceof VerifyResult.CodeRequired) { // same-device option: another browser, nothing consumed
      return new Page(200, html("Type your code", "<p id=\"code-required\">This link was opened in another browser"
          + " than the one that asked for the code, so it does not sign you in by itself. Type the code from the"
          + " same e-mail here, or open the link in the browser where you asked for it.</p>" + codeForm(type, "")));
    }
    if (!(result instanceof VerifyResult.Verified verified)) {
      LOG.info("link refused for client {}: {}", clientIp, result);
      return new Page(400, html("Link not valid", "<p id=\"refused\">This link was already used, has expired or was"
          + " replaced by a newer mail. Ask for a new code on the <a href=\"/\">sign-up page</a>.</p>"));
    }
    return confirmed(type, verified);
  }

  /** The page after a link or a typed code verified: for a sign-up, a form to choose a password. */
  private static Page confirmed(VerificationType type, VerifyResult.Verified verified) {
    if (type != VerificationType.REGISTER) {
      return new Page(200, html("Address confirmed", "<p id=\"verified\">Your address is confirmed.</p>"));
    }
    return new Page(200, html("Address confirmed",
        "<p id=\"verified\">Your address is confirmed. Choose a password to finish signing up.</p>"
        + "<form method=\"post\" action=\"/verify/register\">"
        + "<input type=\"hidden\" name=\"verification_token\" value=\"" + escape(verified.token()) + "\">"
        + "<label>Password (8 or more characters) <input type=\"password\" name=\"password\" id=\"password\""
        + " minlength=\"8\" required></label> <button type=\"submit\" id=\"finish\">Sign up</button></form>"));
  }

  /** A form for the address and the code of the mail, posted to {@code /verify/code}. */
  private static String codeForm(VerificationType type, String email) {
    return "<form method=\"post\" action=\"/verify/code\">"
        + "<input type=\"hidden\" name=\"type\" value=\"" + escape(type.name()) + "\">"
        + "<label>E-mail <input type=\"email\" name=\"email\" id=\"email\" value=\"" + escape(email) + "\""
        + " required></label> <label>Code <input name=\"code\" id=\"code\" inputmode=\"numeric\""
        + " autocomplete=\"one-time-code\" required></label>"
        + " <button type=\"submit\" id=\"verify-code\">Verify</button></form>";
  }

  /** {@code POST /verify/code}: the code typed where a same-device link asked for it. */
  private Page codePage(HttpExchange ex) throws IOException {
    if (!"POST".equals(ex.getRequestMethod())) {
      return new Page(405, html("Not allowed", "<p>Use the form.</p>"));
    }
    Map<String, String> body = form(readForm(ex));
    VerificationType type = TYPES.get(body.getOrDefault("type", ""));
    if (type == null) {
      return new Page(400, html("Unknown link", "<p>This form is not one of ours.</p>"));
    }
    String email = body.getOrDefault("email", "");
    VerifyResult result = service.verifyCode(email, type, body.get("code"));
    if (result instanceof VerifyResult.Verified verified) {
      return confirmed(type, verified);
    }
    if (result instanceof VerifyResult.Locked) {
      return new Page(429, html("Too many tries", "<p id=\"refused\">Too many wrong codes. Ask for a new code on the"
          + " <a href=\"/\">sign-up page</a>.</p>"));
    }
    LOG.info("code refused for client {}: {}", ex.getRemoteAddress().getAddress().getHostAddress(), result);
    return new Page(400, html("Code not valid", "<p id=\"refused\">That code is wrong or has expired.</p>"
        + codeForm(type, email)));
  }

  /** The browser's device value from the {@code mv_device} cookie, or null if it has none that we set. */
  static @Nullable String deviceCookie(HttpExchange ex) {
    for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
      for (String pair : header.split(";")) {
        String p = pair.trim();
        if (p.startsWith(DEVICE_COOKIE + "=")) {
          String value = p.substring(DEVICE_COOKIE.length() + 1);
          return value.matches("[A-Za-z0-9_-]{22}") ? value : null;
        }
      }
    }
    return null;
  }

  /** A new device value: 128 random bits, URL-safe base64 (22 characters). */
  static String newDeviceValue() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** {@code POST /verify/register}: redeems the token the link earned and creates the user. */
  private Page linkRegister(HttpExchange ex) throws IOException {
    if (!"POST".equals(ex.getRequestMethod())) {
      return new Page(405, html("Not allowed", "<p>Use the form.</p>"));
    }
    Map<String, String> body = form(readForm(ex));
    String password = body.getOrDefault("password", "");
    if (password.length() < 8 || password.length() > 256) {
      return new Page(400, html("Password too short", "<p>Use 8 to 256 characters. Go back and try again.</p>"));
    }
    Optional<VerifiedEmail> verified = service.redeem(body.getOrDefault("verification_token", ""),
        VerificationType.REGISTER);
    if (verified.isEmpty()) {
      return new Page(400, html("Link not valid", "<p>This confirmation was already used or has expired.</p>"));
    }
    String email = verified.get().email();
    return users.create(email, password.toCharArray())
        .map(u -> new Page(201, html("Welcome", "<p id=\"registered\">Signed up as " + escape(u.email()) + ".</p>")))
        .orElseGet(() -> new Page(409, html("Already registered", "<p>" + escape(email) + " already has an account.</p>")));
  }

  private static String readForm(HttpExchange ex) throws IOException {
    byte[] raw;
    try (InputStream in = ex.getRequestBody()) {
      raw = in.readNBytes(MAX_BODY + 1);
    }
    if (raw.length > MAX_BODY) {
      throw new BodyTooLarge();
    }
    return new String(raw, StandardCharsets.US_ASCII);
  }

  /** Parses {@code a=1&b=2} (a query or a form body); the first value of a name wins. */
  static Map<String, String> form(@Nullable String encoded) {
    Map<String, String> out = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return out;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(name, value);
    }
    return out;
  }

  /** HTML-escapes text for an element or a quoted attribute (C21). */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String html(String title, String body) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(title)
        + " - Roamio</title></head><body style=\"font-family:sans-serif; max-width:32em; margin:3em auto;\"><h1>"
        + escape(title) + "</h1>" + body + "</body></html>";
  }

  private void page(HttpExchange ex) throws IOException {
    byte[] html;
    int status = 200;
    if (!"/".equals(ex.getRequestURI().getPath())) {
      html = "not found".getBytes(StandardCharsets.UTF_8);
      status = 404;
    } else {
      String page;
      try (InputStream in = DemoServer.class.getResourceAsStream("index.html")) {
        page = new String(Objects.requireNonNull(in, "index.html").readAllBytes(), StandardCharsets.UTF_8);
      }
      html = page.replace("{{email}}", escape(options.suggestedEmail()))
          .replace("{{mx-check}}", options.mxCheck()
              ? "on: an address whose domain does not exist or publishes a null MX (such as you@example.com) is"
                  + " refused before anything is stored or sent, with the reason below; a DNS failure never blocks"
                  + " a send (CHECK_MX=0 turns it off)"
              : "off: only the address's syntax is checked (CHECK_MX=1 turns it on)")
          .getBytes(StandardCharsets.UTF_8);
    }
    ex.getResponseHeaders().set("Content-Type", status == 200 ? "text/html; charset=utf-8" : "text/plain");
    ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline' 'self';"
        + " style-src 'unsafe-inline'");
    ex.sendResponseHeaders(status, html.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(html);
    }
  }

  // --- C33: changing the address, with a notice and a revert link to the old one --------------

  private void addressChangeContexts() {
    server.createContext("/account/email", ex -> handlePage(ex, this::changeEmailPage));
    server.createContext("/account/email/confirm", ex -> handlePage(ex, this::confirmEmailChange));
    server.createContext("/account/revert", ex -> handlePage(ex, this::revertPage));
  }

  /**
   * {@code GET /account/email}: a form (current address, password, new address). Its
   * {@code POST}: checks the password, sends a {@code CHANGE_EMAIL} code to the new address and
   * shows the form for it.
   */
  private Page changeEmailPage(HttpExchange ex) throws IOException {
    if ("GET".equals(ex.getRequestMethod())) {
      return new Page(200, html("Change your e-mail address",
          "<form method=\"post\" action=\"/account/email\">"
          + "<p><label>Current address <input type=\"email\" name=\"email\" required></label></p>"
          + "<p><label>Password <input type=\"password\" name=\"password\" required></label></p>"
          + "<p><label>New address <input type=\"email\" name=\"new_email\" required></label></p>"
          + "<button type=\"submit\" id=\"send\">Send a code to the new address</button></form>"));
    }
    if (!"POST".equals(ex.getRequestMethod())) {
      return new Page(405, html("Not allowed", "<p>Use the form.</p>"));
    }
    Map<String, String> body = form(readForm(ex));
    String email = body.getOrDefault("email", "");
    String newEmail = body.getOrDefault("new_email", "");
    if (!users.passwordMatches(email, body.getOrDefault("password", "").toCharArray())) {
      return new Page(403, html("Not changed", "<p>The address or the password is wrong.</p>"));
    }
    if (users.find(newEmail).isPresent()) {
      return new Page(409, html("Not changed", "<p>That address already has an account.</p>"));
    }
    SendResult sent = service.sendVerificationCode(SendRequest.builder(newEmail, VerificationType.CHANGE_EMAIL)
        .clientKey(ex.getRemoteAddress().getAddress().getHostAddress()).build());
    if (!sent.isSent()) {
      return new Page(sent instanceof SendResult.RateLimited ? 429 : 400, html("Not sent",
          "<p>No code was sent to the new address. Check it and try again later.</p>"));
    }
    return new Page(200, html("Check the new mailbox",
        "<p>We sent a code to " + escape(newEmail) + ". Type it and your password again.</p>"
        + "<form method=\"post\" action=\"/account/email/confirm\">"
        + "<input type=\"hidden\" name=\"email\" value=\"" + escape(email) + "\">"
        + "<input type=\"hidden\" name=\"new_email\" value=\"" + escape(newEmail) + "\">"
        + "<p><label>Code <input name=\"code\" id=\"code\" autocomplete=\"one-time-code\" required></label></p>"
        + "<p><label>Password <input type=\"password\" name=\"password\" required></label></p>"
        + "<button type=\"submit\" id=\"change\">Change my address</button></form>"));
  }

  /**
   * {@code POST /account/email/confirm}: checks the password again and the code of the new
   * address, changes the address, then tells the old one with a revert link
   * ({@code notifyAddressChanged}).
   */
  private Page confirmEmailChange(HttpExchange ex) throws IOException {
    if (!"POST".equals(ex.getRequestMethod())) {
      return new Page(405, html("Not allowed", "<p>Use the form.</p>"));
    }
    Map<String, String> body = form(readForm(ex));
    String email = body.getOrDefault("email", "");
    String newEmail = body.getOrDefault("new_email", "");
    if (!users.passwordMatches(email, body.getOrDefault("password", "").toCharArray())) {
      return new Page(403, html("Not changed", "<p>The password is wrong.</p>"));
    }
    VerifyResult result = service.verifyCode(newEmail, VerificationType.CHANGE_EMAIL, body.get("code"));
    if (!(result instanceof VerifyResult.Verified verified)
        || service.redeem(verified.token(), VerificationType.CHANGE_EMAIL, newEmail).isEmpty()) {
      return new Page(400, html("Not changed", "<p>The code is wrong or has expired.</p>"));
    }
    if (users.changeEmail(email, newEmail).isEmpty()) {
      return new Page(409, html("Not changed", "<p>That address already has an account.</p>"));
    }
    try {
      SendResult notice = service.notifyAddressChanged(email, newEmail);
      if (!notice.isSent()) {
        LOG.warn("the change of address was made but the old address was not told: {}", notice);
      }
    } catch (IllegalStateException e) { // no revertLinkBaseUrl: the demo runs without PUBLIC_URL
      LOG.warn("the old address was not told of the change: set PUBLIC_URL for the revert link ({})", e.getMessage());
    }
    return new Page(200, html("Address changed", "<p id=\"changed\">Your address is now " + escape(newEmail)
        + ". We told " + escape(email) + ", with a link to undo the change if it wasn't you.</p>"));
  }

  /**
   * {@code GET /account/revert?token=...}: a page with a button, and nothing reverted (mail scanners
   * open every link; C32). {@code POST /account/revert} (the button): {@code revertAddressChange},
   * then the account gets its old address back.
   */
  private Page revertPage(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    if ("GET".equals(method)) {
      String token = form(ex.getRequestURI().getRawQuery()).getOrDefault("token", "");
      return new Page(200, html("Undo the change of address",
          "<p>If you did not change the e-mail address of your account, undo the change here.</p>"
          + "<form method=\"post\" action=\"/account/revert\">"
          + "<input type=\"hidden\" name=\"token\" value=\"" + escape(token) + "\">"
          + "<p><label>Your previous address (where this mail came) <input type=\"email\" name=\"email\""
          + " required></label></p>"
          + "<button type=\"submit\" id=\"revert\">This wasn't me: undo the change</button></form>"));
    }
    if (!"POST".equals(method)) {
      return new Page(405, html("Not allowed", "<p>Use the button on the page the link opens.</p>"));
    }
    Map<String, String> body = form(readForm(ex));
    Optional<AddressChange> change = service.revertAddressChange(body.getOrDefault("token", ""),
        body.getOrDefault("email", ""));
    if (change.isEmpty()) {
      return new Page(400, html("Link not valid", "<p>This link was already used, has expired, or was sent to"
          + " another address.</p>"));
    }
    AddressChange c = change.get();
    if (users.changeEmail(c.newEmail(), c.oldEmail()).isEmpty()) {
      LOG.warn("revert of {} could not be applied: the account moved on or the address was taken", c);
      return new Page(409, html("Not undone", "<p>The account changed again since; contact support.</p>"));
    }
    return new Page(200, html("Change undone", "<p id=\"reverted\">Your account's address is "
        + escape(c.oldEmail()) + " again. Choose a new password: whoever changed it may know yours.</p>"));
  }
}
