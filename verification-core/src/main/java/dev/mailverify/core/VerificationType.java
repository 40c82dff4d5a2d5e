package dev.mailverify.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a code is for. A code issued for one type never verifies for another (contract C5), and
 * each type can have its own {@link VerificationPolicy}.
 *
 * <p>Use the constants, or {@link #of(String)} for an application-specific purpose such as
 * {@code VerificationType.of("delete-account")}. Two types are equal when their names are equal.
 *
 * @param name lower-case letters, digits, {@code -} and {@code _}, 1 to 32 characters, starting
 *     with a letter
 */
public record VerificationType(String name) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  /** Signing up with a new address. */
  public static final VerificationType REGISTER = new VerificationType("register");
  /** Logging in with an e-mailed code. */
  public static final VerificationType LOGIN = new VerificationType("login");
  /** Resetting a forgotten password. */
  public static final VerificationType RESET_PASSWORD = new VerificationType("reset_password");
  /** Proving ownership of a new address before switching to it. */
  public static final VerificationType CHANGE_EMAIL = new VerificationType("change_email");
  /**
   * The old address approving a change of address before the new one is asked (the optional
   * double confirmation of C33, Supabase's "secure email change"): send this code to the
   * <em>current</em> address, redeem its token with
   * {@link dev.mailverify.core.VerificationCodeService#redeem(String, VerificationType, String)
   * redeem(token, APPROVE_EMAIL_CHANGE, currentEmail)}, then send {@link #CHANGE_EMAIL} to the new
   * address.
   */
  public static final VerificationType APPROVE_EMAIL_CHANGE = new VerificationType("approve_email_change");

  /**
   * Validates the name.
   *
   * @param name the name
   * @throws IllegalArgumentException if the name does not match {@code [a-z][a-z0-9_-]{0,31}}
   */
  public VerificationType {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "VerificationType name must match [a-z][a-z0-9_-]{0,31} (lower case, 1-32 chars), was '"
              + (name.length() > 40 ? name.substring(0, 40) + "..." : name) + "'");
    }
  }

  /**
   * Returns the type with this name: a built-in constant or a custom type.
   *
   * @param name the name; not null
   * @return the type
   * @throws IllegalArgumentException if the name is not valid
   */
  public static VerificationType of(String name) {
    return new VerificationType(name);
  }

  /** Returns the name. */
  @Override
  public String toString() {
    return name;
  }
}
