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
 */
public final class TemplateContext {
  private final VerificationType type;
  private final Locale locale;
  private final String code;
  private final Duration validity;
  private final EmailAddress recipient;
  private final @Nullable String appName;
  private final Map<String, String> values;
  private final @Nullable String link;

  /** Checks for nulls and copies the values. */
  private TemplateContext(VerificationType type,
      Locale locale,
      String code,
      Duration validity,
      EmailAddress recipient,
      @Nullable String appName,
      Map<String, String> values,
      @Nullable String link) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(locale, "locale");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(validity, "validity");
    Objects.requireNonNull(recipient, "recipient");
    values = Map.copyOf(Objects.requireNonNull(values, "values"));
    this.type = type;
    this.locale = locale;
    this.code = code;
    this.validity = validity;
    this.recipient = recipient;
    this.appName = appName;
    this.values = values;
    this.link = link;
  }

  /**
   * Starts a builder. The locale defaults to English, the validity to 10 minutes, the app name
   * to none and the extra values to none.
   *
   * <pre>{@code
   * TemplateContext context = TemplateContext.builder(VerificationType.REGISTER, "482913",
   *         EmailAddress.parse("user@example.com"))
   *     .locale(Locale.SIMPLIFIED_CHINESE)
   *     .validity(Duration.ofMinutes(10))
   *     .appName("Roamio")
   *     .build();
   * }</pre>
   *
   * @param type what the code is for; not null
   * @param code the code to show; not null
   * @param recipient the recipient; not null
   * @return a new builder
   */
  public static Builder builder(VerificationType type, String code, EmailAddress recipient) {
    return new Builder(type, code, recipient);
  }

  /**
   * Builds a {@link TemplateContext}. Each setter checks its argument at once and may be called
   * again; the last call wins. {@link #build()} checks the values together.
   */
  public static final class Builder {
    private final VerificationType type;
    private final String code;
    private final EmailAddress recipient;
    private Locale locale = Locale.ENGLISH;
    private Duration validity = Duration.ofMinutes(10);
    private @Nullable String appName;
    private Map<String, String> values = Map.of();
    private @Nullable String link;

    private Builder(VerificationType type, String code, EmailAddress recipient) {
      this.type = Objects.requireNonNull(type, "type");
      this.code = Objects.requireNonNull(code, "code");
      this.recipient = Objects.requireNonNull(recipient, "recipient");
    }

    /**
     * Sets the requested language.
     *
     * @param value the locale; not null
     * @return this builder
     */
    public Builder locale(Locale value) {
      locale = Objects.requireNonNull(value, "locale");
      return this;
    }

    /**
     * Sets how long the code is valid.
     *
     * @param value a positive duration; not null
     * @return this builder
     * @throws IllegalArgumentException if it is zero or negative
     */
    public Builder validity(Duration value) {
      Objects.requireNonNull(value, "validity");
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException("validity must be positive, was " + value);
      }
      validity = value;
      return this;
    }

    /**
     * Sets the application's name.
     *
     * @param value the name, or {@code null} for none
     * @return this builder
     */
    public Builder appName(@Nullable String value) {
      appName = value;
      return this;
    }

    /**
     * Sets the extra values from the send request (replacing earlier ones).
     *
     * @param value the values; not null, no null keys or values
     * @return this builder
     */
    public Builder values(Map<String, String> value) {
      values = Map.copyOf(Objects.requireNonNull(value, "values"));
      return this;
    }

    /**
     * Sets the one-click link that goes beside the code (C32), when the type's policy has a
     * {@link dev.mailverify.core.VerificationPolicy.Builder#linkBaseUrl link base URL}. The link
     * carries a secret token, like the code: a renderer shows it only inside the mail.
     *
     * @param value the absolute link, or {@code null} for a mail with the code only
     * @return this builder
     */
    public Builder link(@Nullable String value) {
      link = value;
      return this;
    }

    /**
     * Builds the context.
     *
     * @return the context
     */
    public TemplateContext build() {
      return new TemplateContext(type, locale, code, validity, recipient, appName, values, link);
    }
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
        + ", recipient=" + recipient.masked() + ", appName=" + appName + ", values=" + values.keySet()
        + (link == null ? "" : ", link=[PROTECTED]") + "]";
  }

  /**
   * Returns what the code is for.
   *
   * @return what the code is for
   */
  public VerificationType type() {
    return type;
  }

  /**
   * Returns the requested language.
   *
   * @return the requested language
   */
  public Locale locale() {
    return locale;
  }

  /**
   * Returns the code to show.
   *
   * @return the code to show
   */
  public String code() {
    return code;
  }

  /**
   * Returns how long the code is valid.
   *
   * @return how long the code is valid
   */
  public Duration validity() {
    return validity;
  }

  /**
   * Returns the recipient (show {@link EmailAddress#masked()} in mails).
   *
   * @return the recipient (show {@link EmailAddress#masked()} in mails)
   */
  public EmailAddress recipient() {
    return recipient;
  }

  /**
   * Returns the application's name, or {@code null} if none was configured.
   *
   * @return the application's name, or {@code null} if none was configured
   */
  public @Nullable String appName() {
    return appName;
  }

  /**
   * Returns extra values from the send request.
   *
   * @return extra values from the send request
   */
  public Map<String, String> values() {
    return values;
  }

  /**
   * Returns the one-click link to show beside the code (as a button in HTML, as text in the text
   * part), or empty when the mail carries the code only. Using the link or the code consumes both
   * (C32); opening the link only shows a page, so a mail scanner cannot burn it.
   *
   * @return the link, or empty
   */
  public java.util.Optional<String> link() {
    return java.util.Optional.ofNullable(link);
  }

  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object other) {
    return other instanceof TemplateContext o
        && java.util.Objects.equals(type, o.type)
        && java.util.Objects.equals(locale, o.locale)
        && java.util.Objects.equals(code, o.code)
        && java.util.Objects.equals(validity, o.validity)
        && java.util.Objects.equals(recipient, o.recipient)
        && java.util.Objects.equals(appName, o.appName)
        && java.util.Objects.equals(values, o.values)
        && java.util.Objects.equals(link, o.link);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(type, locale, code, validity, recipient, appName, values, link);
  }
}
