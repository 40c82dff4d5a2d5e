package dev.mailverify.core.spi;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationType;
import java.util.Locale;
import java.util.Objects;

/**
 * Identifies the one pending code an address may have for a type (C4, C5): the type plus the
 * address's lower-cased {@link EmailAddress#key() key}.
 *
 * @param type the verification type
 * @param address the address key, lower case
 */
public record CodeKey(VerificationType type, String address) {
  /**
   * Checks the parts.
   *
   * @throws IllegalArgumentException if the address is not lower case
   *
   * @param type the verification type
   * @param address the address key, lower case
   */
  public CodeKey {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(address, "address");
    if (!address.equals(address.toLowerCase(Locale.ROOT)) || address.indexOf('@') < 0) {
      throw new IllegalArgumentException("address must be an EmailAddress.key() (lower case)");
    }
  }

  /**
   * Returns the key for an address and a type.
   *
   * @param type the type; not null
   * @param address the address; not null
   * @return the key
   */
  public static CodeKey of(VerificationType type, EmailAddress address) {
    return new CodeKey(type, address.key());
  }

  /**
   * Returns a flat string form, {@code type:address}, for stores keyed by strings.
   *
   * @return the string form
   */
  public String asString() {
    return type.name() + ":" + address;
  }

  /** Shows the masked address. */
  @Override
  public String toString() {
    return "CodeKey[" + type + ":" + EmailAddress.mask(address) + "]";
  }
}
