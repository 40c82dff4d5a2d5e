package dev.mailverify.examples;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code MAILVERIFY_SECRET}: the server secret codes and tokens are hashed with (C14), the
 * same on every instance that shares a store (C28). Base64 (standard or URL-safe) or hex, at least
 * 32 bytes. The value never appears in a message.
 */
final class DemoSecret {
  /** The variable's name. */
  static final String VARIABLE = "MAILVERIFY_SECRET";
  /** How to make one, for the messages. */
  static final String HOW_TO_MAKE = "make one with: openssl rand -base64 32";

  private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");
  private static final int MIN_BYTES = 32;

  private DemoSecret() {}

  /**
   * Decodes the secret.
   *
   * @param value the variable's value; null or blank means not set
   * @return the secret's bytes, or empty when not set
   * @throws DemoConfigurationException if it is neither base64 nor hex, or shorter than 32 bytes
   */
  static Optional<byte[]> parse(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.strip();
    byte[] bytes = null;
    if (HEX.matcher(v).matches() && v.length() >= 2 * MIN_BYTES) {
      bytes = HexFormat.of().parseHex(v);
    } else {
      for (Base64.Decoder decoder : new Base64.Decoder[] {Base64.getDecoder(), Base64.getUrlDecoder()}) {
        try {
          bytes = decoder.decode(v);
          break;
        } catch (IllegalArgumentException e) {
          // not this alphabet; try the next one
        }
      }
    }
    if (bytes == null) {
      throw new DemoConfigurationException(VARIABLE + " must be base64 or hex (32 or more random bytes); "
          + HOW_TO_MAKE);
    }
    if (bytes.length < MIN_BYTES) {
      throw new DemoConfigurationException(VARIABLE + " must hold at least " + MIN_BYTES + " bytes (it holds "
          + bytes.length + "); " + HOW_TO_MAKE);
    }
    return Optional.of(bytes);
  }

  /**
   * The refusal for a shared store without a secret.
   *
   * @param store the store
   * @return the one-line message
   */
  static DemoConfigurationException missingFor(StoreSetting store) {
    return new DemoConfigurationException("STORE is shared (" + store.describe() + "), so every instance needs"
        + " the same " + VARIABLE + " (C28): " + HOW_TO_MAKE + " and put " + VARIABLE + "=<that> in .env or"
        + " the environment");
  }
}
