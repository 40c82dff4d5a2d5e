package dev.mailverify.core.spi;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationType;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link TemplateRenderer} gets to fill a mail: the type, the locale, the code, how long it
 * is valid, the recipient, the application's name and the request's extra values.
 * {@link #toString()} never shows the code.
 *
 * @param type what the code is for
 * @param locale the requested language
 * @param code the code to show
 * @param validity how long the code is valid
 * @param recipient the recipient (show {@link EmailAddress#masked()} in mails)
 * @param appName the application's name, or {@code null} if none was configured
 * @param values extra values from the send request
 */
public record TemplateContext(
    VerificationType type,
    Locale locale,
    String code,
    Duration validity,
    EmailAddress recipient,
    @Nullable String appName,
    Map<String, String> values) {

  /** Checks for nulls and copies the values. */
  public TemplateContext {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(locale, "locale");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(validity, "validity");
    Objects.requireNonNull(recipient, "recipient");
    values = Map.copyOf(Objects.requireNonNull(values, "values"));
  }

  /**
   * Returns the validity in whole minutes, rounded up.
   *
   * @return at least 1
   */
  public long validityMinutes() {
    long minutes = validity.toMinutes() + (validity.toSecondsPart() > 0 || validity.toNanosPart() > 0 ? 1 : 0);
    return Math.max(1, minutes);
  }

  /** Never shows the code. */
  @Override
  public String toString() {
    return "TemplateContext[type=" + type + ", locale=" + locale + ", code=[PROTECTED], validity=" + validity
        + ", recipient=" + recipient.masked() + ", appName=" + appName + ", values=" + values.keySet() + "]";
  }
}
