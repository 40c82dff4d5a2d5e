package dev.mailverify.examples.spring;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.InvalidAddressException;
import dev.mailverify.core.SendRequest;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifiedEmail;
import dev.mailverify.core.VerifyResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed's three endpoints, with the same answers as the plain demo ({@code examples}'
 * {@code DemoServer}):
 *
 * <ul>
 *   <li>{@code POST /api/v1/auth/send_verification_code/} {@code {email, type}}: 200
 *       {@code {expires_in}}, 400 invalid address, 429 with {@code Retry-After}, 502/503 with the
 *       delivery category;
 *   <li>{@code POST /api/v1/auth/verify_code/} {@code {email, type, code}}: 200
 *       {@code {verification_token, expires_in}}, 400 for a wrong, expired or unknown code (one
 *       neutral message), 429 when locked;
 *   <li>{@code POST /api/v1/auth/register/} {@code {email, password, verification_token}}: 201, 400
 *       when the token is unknown, used or for another address, 409 when already registered.
 * </ul>
 *
 * <p>The client key for rate limits is the socket's address, never a request header.
 *
 * <p>Same device (C32): a send sets the {@code mv_device} cookie ({@code HttpOnly},
 * {@code SameSite=Lax}, 128 random bits) when the browser has none and binds the mail's link to it,
 * so the link signs in only in this browser; {@link LinkPageController} reads it back.
 */
@RestController
@RequestMapping("/api/v1/auth")
public class AuthController {
  private static final Logger LOG = LoggerFactory.getLogger(AuthController.class);

  private final VerificationCodeService service;
  private final Users users;
  private final Clock clock = Clock.systemUTC();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The cookie naming the browser that asked for a code (the same-device option of C32). */
  static final String DEVICE_COOKIE = "mv_device";

  /**
   * Creates the controller.
   *
   * @param service the auto-configured verification service
   * @param users the user table
   */
  public AuthController(VerificationCodeService service, Users users) {
    this.service = service;
    this.users = users;
  }

  /**
   * Sends a code.
   *
   * @param body {@code email} and optional {@code type} (default register)
   * @param device the {@code mv_device} cookie, if this browser has one
   * @param request the request, for the client's address
   * @param response the response, to set the cookie
   * @return the answer
   */
  @PostMapping("/send_verification_code/")
  public ResponseEntity<Map<String, Object>> send(@RequestBody Map<String, Object> body,
      @CookieValue(name = DEVICE_COOKIE, required = false) @Nullable String device, HttpServletRequest request,
      HttpServletResponse response) {
    String email = text(body, "email");
    VerificationType type = type(body);
    String browser = device;
    if (browser == null || !isDeviceValue(browser)) { // this browser's first send: name it
      byte[] random = new byte[16];
      RANDOM.nextBytes(random);
      browser = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(DEVICE_COOKIE, browser).path("/").httpOnly(true)
          .sameSite("Lax").secure(request.isSecure()).build().toString());
    }
    SendResult result = service.sendVerificationCode(
        SendRequest.builder(email, type).clientKey(request.getRemoteAddr()).sameDevice(browser).build());
    if (result instanceof SendResult.Sent sent) {
      return reply(200, "expires_in", secondsUntil(sent.expiresAt()));
    } else if (result instanceof SendResult.RateLimited limited) {
      return ResponseEntity.status(429).header("Retry-After", Long.toString(limited.retryAfterSeconds()))
          .body(map("error", "rate_limited", "retry_after", limited.retryAfterSeconds()));
    } else if (result instanceof SendResult.InvalidAddress invalid) {
      return reply(400, "error", "invalid_email", "detail", invalid.reason());
    }
    SendResult.DeliveryFailed failed = (SendResult.DeliveryFailed) result;
    LOG.warn("delivery failed: {} - {}", failed.category(), failed.cause().hint());
    return reply(failed.isTransient() ? 503 : 502, "error", "delivery_failed", "category", failed.category().name());
  }

  /**
   * Checks a code.
   *
   * @param body {@code email}, optional {@code type}, {@code code}
   * @return the answer
   */
  @PostMapping("/verify_code/")
  public ResponseEntity<Map<String, Object>> verify(@RequestBody Map<String, Object> body) {
    Object code = body.get("code");
    VerifyResult result = service.verifyCode(text(body, "email"), type(body), code instanceof String s ? s : null);
    if (result instanceof VerifyResult.Verified verified) {
      return reply(200, "verification_token", verified.token(), "expires_in", secondsUntil(verified.expiresAt()));
    } else if (result instanceof VerifyResult.Locked) {
      return reply(429, "error", "too_many_attempts", "detail", "ask for a new code");
    }
    LOG.info("verification refused: {}", result);
    return reply(400, "error", "invalid_or_expired_code");
  }

  /**
   * Registers an account with a verification token.
   *
   * @param body {@code email}, {@code password}, {@code verification_token}
   * @return the answer
   */
  @PostMapping("/register/")
  public ResponseEntity<Map<String, Object>> register(@RequestBody Map<String, Object> body) {
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
    Optional<VerifiedEmail> verified = service.redeem(token, VerificationType.REGISTER, address.address());
    if (verified.isEmpty()) {
      return reply(400, "error", "invalid_or_used_token");
    }
    return users.create(verified.get().email())
        .map(u -> reply(201, "email", u.email(), "email_verified", u.emailVerified()))
        .orElseGet(() -> reply(409, "error", "already_registered"));
  }

  /**
   * A missing or malformed field: 400 with its name.
   *
   * @param e the refusal
   * @return the answer
   */
  @ExceptionHandler(BadRequest.class)
  public ResponseEntity<Map<String, Object>> badRequest(BadRequest e) {
    return reply(400, "error", e.error);
  }

  /**
   * A body that is not a JSON object: 400.
   *
   * @param e the parse failure
   * @return the answer
   */
  @ExceptionHandler(HttpMessageNotReadableException.class)
  public ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
    return reply(400, "error", "invalid_json");
  }

  /** A refused request field; the message is the error code sent back. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The answer's error code, such as {@code invalid_type}. */
    final String error;

    BadRequest(String error) {
      super(error, null, false, false);
      this.error = error;
    }
  }

  /** Whether a cookie value is one this app sets: 22 URL-safe base64 characters. */
  static boolean isDeviceValue(String value) {
    return value.matches("[A-Za-z0-9_-]{22}");
  }

  private static String text(Map<String, Object> body, String field) {
    Object v = body.get(field);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw new BadRequest("missing_" + field);
    }
    return s;
  }

  private static VerificationType type(Map<String, Object> body) {
    Object v = body.getOrDefault("type", "register");
    if (!(v instanceof String s)) {
      throw new BadRequest("invalid_type");
    }
    try {
      return VerificationType.of(s);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("invalid_type");
    }
  }

  private long secondsUntil(Instant instant) {
    long millis = Duration.between(clock.instant(), instant).toMillis();
    return Math.max(0, (millis + 999) / 1000);
  }

  private static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      body.put((String) keyValues[i], keyValues[i + 1]);
    }
    return body;
  }

  private static ResponseEntity<Map<String, Object>> reply(int status, Object... keyValues) {
    return ResponseEntity.status(status).body(map(keyValues));
  }
}
