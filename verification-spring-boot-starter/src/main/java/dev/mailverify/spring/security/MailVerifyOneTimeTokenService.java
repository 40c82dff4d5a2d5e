package dev.mailverify.spring.security;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.MailVerifyException;
import dev.mailverify.core.Quota;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.TokenRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.ott.DefaultOneTimeToken;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;
import org.springframework.security.authentication.ott.OneTimeTokenService;

/**
 * Spring Security's {@link OneTimeTokenService} over mailverify's {@link CodeStore}: a sign-in link's
 * token is 256 bits from {@link SecureRandom}, URL-safe (C9), stored only as its SHA-256 hash with
 * the address, the type and the expiry, and consumed by the store's atomic take, so it signs in once
 * on every store, Redis and SQL included, across instances (C8, C28). Requests are rate-limited
 * through the application's {@link RateLimiter}: one link per address per cooldown and a cap per
 * address per hour (C10, C11); a refused request gets a token that is never stored, marked
 * {@link #isRateLimited(OneTimeToken) rate limited}, so that the success handler mails nothing.
 *
 * <p>Spring Security's login page asks for the link on {@code POST /ott/generate}; the link opens a
 * page ({@code GET /login/ott}) whose submit ({@code POST /login/ott}) consumes the token: opening
 * the link never consumes it (C32).
 */
public final class MailVerifyOneTimeTokenService implements OneTimeTokenService {
  /** How long a link works when the request does not say: 5 minutes. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int TOKEN_BYTES = 32;

  private final CodeStore store;
  private final RateLimiter limiter;
  private final Clock clock;
  private final VerificationType type;
  private final Duration cooldown;
  private final Quota perAddress;

  /**
   * Creates the service.
   *
   * @param store where the hashed tokens live; not null
   * @param limiter counts link requests; not null
   * @param clock the time; not null
   * @param type the verification type the tokens are bound to, usually {@link VerificationType#LOGIN}; not null
   * @param cooldown the least time between two links to one address; not negative
   * @param perAddress links per address in a window; not null
   */
  public MailVerifyOneTimeTokenService(CodeStore store, RateLimiter limiter, Clock clock, VerificationType type,
      Duration cooldown, Quota perAddress) {
    this.store = Objects.requireNonNull(store, "store");
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.type = Objects.requireNonNull(type, "type");
    this.cooldown = Objects.requireNonNull(cooldown, "cooldown");
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("cooldown must not be negative, was " + cooldown);
    }
    this.perAddress = Objects.requireNonNull(perAddress, "perAddress");
  }

  /**
   * Issues a token for the address in {@code request.getUsername()}.
   *
   * @param request the address and, optionally, the validity
   * @return the token to mail; {@link #isRateLimited(OneTimeToken)} tells a refused request
   * @throws MailVerifyException when the username is not an address mailverify sends to
   */
  @Override
  public OneTimeToken generate(GenerateOneTimeTokenRequest request) {
    EmailAddress address = EmailAddress.parse(request.getUsername());
    Instant now = clock.instant();
    Duration validity = request.getExpiresIn() != null ? request.getExpiresIn() : DEFAULT_VALIDITY;
    Instant expiresAt = now.plus(validity);
    String value = newToken();
    String prefix = "ott:" + type + ":";
    if (!cooldown.isZero()
        && !limiter.tryAcquire(prefix + "cooldown:" + address.key(), new Quota(1, cooldown), now).granted()) {
      return new RateLimitedToken(value, address.address(), expiresAt);
    }
    if (!limiter.tryAcquire(prefix + "address:" + address.key(), perAddress, now).granted()) {
      return new RateLimitedToken(value, address.address(), expiresAt);
    }
    store.storeToken(hash(value), new TokenRecord(address.address(), type, now, expiresAt), now);
    return new DefaultOneTimeToken(value, address.address(), expiresAt);
  }

  /**
   * Takes the token, once: of many concurrent calls with one value at most one gets it.
   *
   * @param authenticationToken the submitted value
   * @return the token with its address, or null when unknown, used, expired or of another type
   */
  @Override
  public @Nullable OneTimeToken consume(OneTimeTokenAuthenticationToken authenticationToken) {
    String value = authenticationToken.getTokenValue();
    if (value == null || value.length() != 43 || !value.chars().allMatch(MailVerifyOneTimeTokenService::urlSafe)) {
      return null;
    }
    Instant now = clock.instant();
    Optional<TokenRecord> taken = store.takeToken(hash(value), null, now);
    if (taken.isEmpty() || !taken.get().type().equals(type) || !now.isBefore(taken.get().expiresAt())) {
      return null;
    }
    return new DefaultOneTimeToken(value, taken.get().address(), taken.get().expiresAt());
  }

  /**
   * Tells whether {@link #generate} refused the request (cooldown or cap) and stored nothing.
   *
   * @param token a token from {@link #generate}
   * @return true when nothing must be mailed
   */
  public static boolean isRateLimited(OneTimeToken token) {
    return token instanceof RateLimitedToken;
  }

  private static boolean urlSafe(int c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
  }

  private static String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private String hash(String value) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(("mailverify-ott:" + type + ":" + value)
          .getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** A refused request: never stored, never mailed. */
  private static final class RateLimitedToken extends DefaultOneTimeToken {
    private static final long serialVersionUID = 1L;

    RateLimitedToken(String value, String username, Instant expiresAt) {
      super(value, username, expiresAt);
    }
  }
}
