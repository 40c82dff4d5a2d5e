package dev.mailverify.spring;

import dev.mailverify.core.MailVerifyException;
import java.util.function.Consumer;
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
   * Passes {@code value} to {@code setter} when it is set.
   *
   * @throws InvalidConfigurationPropertyValueException naming {@code property}, with the builder's reason
   */
  static <T> void apply(String property, @Nullable T value, Consumer<? super T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException | MailVerifyException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }
}
