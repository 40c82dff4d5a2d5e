package dev.mailverify.core.spi;

import dev.mailverify.core.VerificationType;
import java.time.Instant;
import java.util.Objects;

/**
 * What a verification token stands for, as a {@link CodeStore} keeps it under the token's hash
 * (the token itself is never stored; C9, C14).
 *
 * @param address the verified, normalized address
 * @param type the type the code was verified for
 * @param expiresAt when the token stops working
 */
public record TokenRecord(String address, VerificationType type, Instant expiresAt) {
  /** Checks for nulls. */
  public TokenRecord {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Shows the masked address. */
  @Override
  public String toString() {
    return "TokenRecord[address=" + dev.mailverify.core.EmailAddress.mask(address) + ", type=" + type
        + ", expiresAt=" + expiresAt + "]";
  }
}
