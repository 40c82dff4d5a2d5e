package dev.mailverify.spring;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * {@code mailverify.secret} and {@code mailverify.previous-secrets} as the library's builders take
 * them (UTF-8 bytes), for the service's HMAC and the outbox's seal. The values are never shown.
 */
final class SecretProperties {
  static final String NAME = MailVerifyProperties.PREFIX + ".secret";

  /** A builder method taking the current secret and the previous ones. */
  @FunctionalInterface
  interface Use {
    void accept(byte[] current, byte[][] previous);
  }

  private SecretProperties() {}

  /**
   * Passes the configured secrets to {@code use}; a refusal (a secret under 32 bytes) becomes a
   * start-up failure naming the property, without its value.
   *
   * @param properties the properties; their secret is set
   * @param use the builder method
   */
  static void apply(MailVerifyProperties properties, Use use) {
    byte[] current = Objects.requireNonNull(properties.getSecret(), NAME).getBytes(StandardCharsets.UTF_8);
    List<String> previousText = properties.getPreviousSecrets();
    byte[][] previous = new byte[previousText.size()][];
    for (int i = 0; i < previous.length; i++) {
      previous[i] = previousText.get(i).getBytes(StandardCharsets.UTF_8);
    }
    try {
      use.accept(current, previous);
    } catch (IllegalArgumentException e) {
      // the value is a secret: never shown
      throw new InvalidConfigurationPropertyValueException(NAME, "[hidden]",
          "each secret (and previous secret) must be at least 32 bytes: " + e.getMessage());
    }
  }
}
