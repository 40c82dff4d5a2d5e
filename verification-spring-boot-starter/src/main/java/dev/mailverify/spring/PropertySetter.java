package dev.mailverify.spring;

import dev.mailverify.core.MailVerifyException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Runs one builder setter for one property: the library's builders check every value, and their
 * {@link IllegalArgumentException} becomes a start-up failure naming the property, so the starter
 * never copies the library's ranges.
 */
final class PropertySetter {
  private PropertySetter() {}

  /**
   * Runs {@code setter} when {@code value} is set.
   *
   * @throws InvalidConfigurationPropertyValueException naming {@code property}, with the builder's reason
   */
  static void apply(String property, @Nullable Object value, Runnable setter) {
    if (value == null) {
      return;
    }
    try {
      setter.run();
    } catch (IllegalArgumentException | MailVerifyException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }
}
