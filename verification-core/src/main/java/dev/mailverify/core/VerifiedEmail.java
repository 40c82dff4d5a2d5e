package dev.mailverify.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What a redeemed verification token proves: this address read the code sent for this type, at
 * this time. Returned by {@link VerificationCodeService#redeem(String, VerificationType)}.
 *
 * @param email the verified, normalized address (domain lower-cased, local part as typed)
 * @param type what the code was verified for
 * @param verifiedAt when the code was verified (and the token issued)
 */
public record VerifiedEmail(String email, VerificationType type, Instant verifiedAt) {
  /**
   * Checks for nulls.
   *
   * @param email the verified, normalized address (domain lower-cased, local part as typed)
   * @param type what the code was verified for
   * @param verifiedAt when the code was verified (and the token issued)
   */
  public VerifiedEmail {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(verifiedAt, "verifiedAt");
  }

  /** Shows the address masked (C16). */
  @Override
  public String toString() {
    return "VerifiedEmail[email=" + EmailAddress.mask(email) + ", type=" + type + ", verifiedAt=" + verifiedAt + "]";
  }
}
