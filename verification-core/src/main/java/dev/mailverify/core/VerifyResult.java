package dev.mailverify.core;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of {@link VerificationCodeService#verifyCode} and
 * {@link VerificationCodeService#verifyLink}: one of six records a caller can switch on. A wrong,
 * strange, expired or locked code is a result, never an exception.
 *
 * <p>Tell the user as little as you can: "invalid or expired code" covers {@link Invalid},
 * {@link Expired} and {@link NotFound}; {@link Locked} means "ask for a new code";
 * {@link CodeRequired} (only from a link sent with the same-device option) means "type the code
 * from the mail".
 */
public sealed interface VerifyResult
    permits VerifyResult.Verified, VerifyResult.Invalid, VerifyResult.Expired, VerifyResult.Locked,
        VerifyResult.NotFound, VerifyResult.CodeRequired {

  /**
   * Returns whether the code matched.
   *
   * @return {@code true} only for {@link Verified}
   */
  default boolean isVerified() {
    return this instanceof Verified;
  }

  /**
   * The code matched and was consumed (C4). Hand the token to the next step (for example the
   * registration form) and redeem it there with {@link VerificationCodeService#redeemToken}.
   *
   * @param token the single-use token, 256 bits, URL-safe base64 (C9)
   * @param expiresAt when the token stops working
   */
  record Verified(String token, Instant expiresAt) implements VerifyResult {
    /**
     * Checks for nulls.
     *
     * @param token the single-use token, 256 bits, URL-safe base64 (C9)
     * @param expiresAt when the token stops working
     */
    public Verified {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Never shows the token (C16). */
    @Override
    public String toString() {
      return "Verified[token=[PROTECTED], expiresAt=" + expiresAt + "]";
    }
  }

  /**
   * The code did not match, or was malformed (C2).
   *
   * @param remainingAttempts wrong tries left for this code before it is locked
   */
  record Invalid(int remainingAttempts) implements VerifyResult {}

  /** The code's TTL has passed (C3); send a new one. */
  record Expired() implements VerifyResult {}

  /** Too many wrong tries for this code (C6) or this address and type (C7); send a new one later. */
  record Locked() implements VerifyResult {}

  /** No code is pending for this address and type (never sent, already used, or replaced). */
  record NotFound() implements VerifyResult {}

  /**
   * A link sent with the same-device option ({@link SendRequest.Builder#sameDevice}) was opened in
   * another browser, or without the device value: nothing was consumed or counted, and the link
   * will not sign anyone in by itself. Ask for the code from the same mail instead (a form with
   * the address and the code, answered by {@link VerificationCodeService#verifyCode}); the code
   * still works, and the link still works in the browser that asked for it.
   *
   * <p>Answered without a store lookup: the link may also be used, expired or replaced already,
   * which the code's own answer then tells.
   */
  record CodeRequired() implements VerifyResult {}
}
