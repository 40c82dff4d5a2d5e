package dev.mailverify.core.spi;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationType;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a verification token stands for, as a {@link CodeStore} keeps it under the token's hash
 * (the token itself is never stored; C9, C14).
 *
 * @param address the verified, normalized address ({@link EmailAddress#address()})
 * @param type the type the code was verified for
 * @param verifiedAt when the code was verified and the token issued
 * @param expiresAt when the token stops working
 * @param newAddress for the revert token of a change of address (C33), the normalized address the
 *     account was changed to (then {@code address} is the old one and {@code verifiedAt} the time
 *     of the change); {@code null} for every other token. A store keeps it beside the other parts
 *     and gives it back unchanged.
 */
public record TokenRecord(String address, VerificationType type, Instant verifiedAt, Instant expiresAt,
    @Nullable String newAddress) {
  /**
   * Checks the parts.
   *
   * @throws IllegalArgumentException if the token expires before it was issued
   *
   * @param address the verified, normalized address ({@link EmailAddress#address()})
   * @param type the type the code was verified for
   * @param verifiedAt when the code was verified and the token issued
   * @param expiresAt when the token stops working
   * @param newAddress the address an account was changed to, for a revert token; else {@code null}
   */
  public TokenRecord {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(verifiedAt, "verifiedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (expiresAt.isBefore(verifiedAt)) {
      throw new IllegalArgumentException("expiresAt must not be before verifiedAt");
    }
  }

  /**
   * A record without a new address: the token of a verified code or of a link.
   *
   * @param address the verified, normalized address ({@link EmailAddress#address()})
   * @param type the type the code was verified for
   * @param verifiedAt when the code was verified and the token issued
   * @param expiresAt when the token stops working
   * @throws IllegalArgumentException if the token expires before it was issued
   */
  public TokenRecord(String address, VerificationType type, Instant verifiedAt, Instant expiresAt) {
    this(address, type, verifiedAt, expiresAt, null);
  }

  /**
   * Tells whether the token was issued to the address with this key: the record's address,
   * lower-cased (addresses are ASCII, so a store may compare with its own ASCII lower-casing,
   * such as Lua's {@code string.lower} or SQL's {@code LOWER}).
   *
   * @param addressKey an {@link EmailAddress#key()}; not null
   * @return {@code true} if it names the same mailbox
   */
  public boolean matchesAddress(String addressKey) {
    return address.toLowerCase(Locale.ROOT).equals(Objects.requireNonNull(addressKey, "addressKey"));
  }

  /** Shows the masked addresses. */
  @Override
  public String toString() {
    return "TokenRecord[address=" + EmailAddress.mask(address) + ", type=" + type + ", verifiedAt=" + verifiedAt
        + ", expiresAt=" + expiresAt + (newAddress == null ? "" : ", newAddress=" + EmailAddress.mask(newAddress))
        + "]";
  }
}
