package dev.mailverify.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of address that a revert token undoes (C33): what
 * {@link VerificationCodeService#revertAddressChange} returns, so the application can find the
 * account (it has {@code newEmail} now) and give it back {@code oldEmail}.
 *
 * @param oldEmail the address the account had, normalized; the address the revert link was sent to
 * @param newEmail the address the account was changed to, normalized
 * @param changedAt when the application reported the change
 *     ({@link VerificationCodeService#notifyAddressChanged})
 */
public record AddressChange(String oldEmail, String newEmail, Instant changedAt) {
  /**
   * Checks for nulls.
   *
   * @param oldEmail the address the account had, normalized
   * @param newEmail the address the account was changed to, normalized
   * @param changedAt when the change was reported
   */
  public AddressChange {
    Objects.requireNonNull(oldEmail, "oldEmail");
    Objects.requireNonNull(newEmail, "newEmail");
    Objects.requireNonNull(changedAt, "changedAt");
  }

  /** Shows both addresses masked (C16). */
  @Override
  public String toString() {
    return "AddressChange[oldEmail=" + EmailAddress.mask(oldEmail) + ", newEmail=" + EmailAddress.mask(newEmail)
        + ", changedAt=" + changedAt + "]";
  }
}
