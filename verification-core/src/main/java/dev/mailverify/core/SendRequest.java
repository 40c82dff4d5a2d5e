package dev.mailverify.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything one send can say: the address and type, plus an optional TTL, locale, client key
 * (usually the caller's IP, for the per-client cap), custom limit keys and extra template values.
 *
 * <pre>{@code
 * SendRequest request = SendRequest.builder("user@example.com", VerificationType.REGISTER)
 *     .ttl(Duration.ofMinutes(10))
 *     .locale(Locale.SIMPLIFIED_CHINESE)
 *     .clientKey("203.0.113.7")
 *     .templateValue("userName", "Ada")
 *     .build();
 * }</pre>
 */
public final class SendRequest {
  private final String email;
  private final VerificationType type;
  private final @Nullable Duration ttl;
  private final @Nullable Locale locale;
  private final @Nullable String clientKey;
  private final Map<String, String> limitKeys;
  private final Map<String, String> templateValues;
  private final @Nullable String idempotencyKey;
  private final @Nullable String sameDevice;

  /** Takes the builder's values, which its setters have checked. */
  private SendRequest(String email,
      VerificationType type,
      @Nullable Duration ttl,
      @Nullable Locale locale,
      @Nullable String clientKey,
      Map<String, String> limitKeys,
      Map<String, String> templateValues,
      @Nullable String idempotencyKey,
      @Nullable String sameDevice) {
    limitKeys = Map.copyOf(limitKeys);
    templateValues = Map.copyOf(templateValues);
    this.email = email;
    this.type = type;
    this.ttl = ttl;
    this.locale = locale;
    this.clientKey = clientKey;
    this.limitKeys = limitKeys;
    this.templateValues = templateValues;
    this.idempotencyKey = idempotencyKey;
    this.sameDevice = sameDevice;
  }

  /**
   * Returns a request with only an address and a type.
   *
   * @param email the address; not null
   * @param type the type; not null
   * @return the request
   */
  public static SendRequest of(String email, VerificationType type) {
    return builder(email, type).build();
  }

  /**
   * Starts a builder.
   *
   * @param email the address; not null
   * @param type the type; not null
   * @return a new builder
   */
  public static Builder builder(String email, VerificationType type) {
    return new Builder(email, type);
  }

  /** Returns the request with the address masked. */
  @Override
  public String toString() {
    return "SendRequest[email=" + EmailAddress.mask(email) + ", type=" + type + ", ttl=" + ttl
        + ", locale=" + locale + ", clientKey=" + clientKey + ", limitKeys=" + limitKeys
        + ", templateValues=" + templateValues.keySet() + (idempotencyKey == null ? "" : ", idempotencyKey=set")
        + (sameDevice == null ? "" : ", sameDevice=[PROTECTED]") + "]";
  }

  /**
   * Builds a {@link SendRequest}. Like every builder in the library, each setter checks its
   * argument at once and throws naming the setting; a setter may be called again, the last call
   * wins (for {@code limitKey} and {@code templateValue}, per name).
   */
  public static final class Builder {
    private final String email;
    private final VerificationType type;
    private @Nullable Duration ttl;
    private @Nullable Locale locale;
    private @Nullable String clientKey;
    private final Map<String, String> limitKeys = new LinkedHashMap<>();
    private final Map<String, String> templateValues = new LinkedHashMap<>();
    private @Nullable String idempotencyKey;
    private @Nullable String sameDevice;

    private Builder(String email, VerificationType type) {
      this.email = Objects.requireNonNull(email, "email");
      this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Sets the code's lifetime.
     *
     * @param value 1 minute-24 hours; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code ttl} when outside 1 minute-24 hours
     */
    public Builder ttl(Duration value) {
      ttl = VerificationPolicy.checkTtl(value, "ttl");
      return this;
    }

    /**
     * Sets the mail's language.
     *
     * @param value the locale; not null
     * @return this builder
     */
    public Builder locale(Locale value) {
      locale = Objects.requireNonNull(value, "locale");
      return this;
    }

    /**
     * Sets the client key for the per-client cap, usually the caller's IP address.
     *
     * @param value 1-256 characters, not blank; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code clientKey} when blank or longer than 256 characters
     */
    public Builder clientKey(String value) {
      Objects.requireNonNull(value, "clientKey");
      if (value.isBlank() || value.length() > 256) {
        throw new IllegalArgumentException("clientKey must be 1-256 non-blank characters, was "
            + (value.isBlank() ? "blank" : value.length() + " characters"));
      }
      clientKey = value;
      return this;
    }

    /**
     * Names the bucket of a custom quota, for example {@code limitKey("tenant", "acme")}. The
     * policy must define a quota with that key name.
     *
     * @param keyName the quota's key name, {@code [a-z][a-z0-9_-]{0,31}}; not null
     * @param value the bucket; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code limitKey keyName} when the name does not match
     */
    public Builder limitKey(String keyName, String value) {
      VerificationPolicy.checkKeyName(keyName, "limitKey keyName");
      limitKeys.put(keyName, Objects.requireNonNull(value, "limitKey value"));
      return this;
    }

    /**
     * Adds a value for the template, for example the user's name. Templates escape it.
     *
     * @param name the variable name; not null
     * @param value the value; not null
     * @return this builder
     */
    public Builder templateValue(String name, String value) {
      templateValues.put(Objects.requireNonNull(name, "templateValue name"),
          Objects.requireNonNull(value, "templateValue value"));
      return this;
    }

    /**
     * Sets a key that makes the send idempotent: a double-clicked form or a retried HTTP call
     * that carries the same key (with the same address and type) gets the first call's result
     * instead of a second mail. A {@link SendResult.Sent} is remembered until the code expires;
     * any other result only while the first call runs, so a retry after a failure sends again.
     * The memory is per service instance and bounded; across instances the resend cooldown (C10)
     * keeps a second mail from going out.
     *
     * @param value 1-256 characters, for example a UUID the form carries; not null
     * @return this builder
     * @throws IllegalArgumentException if blank or longer than 256 characters
     */
    public Builder idempotencyKey(String value) {
      Objects.requireNonNull(value, "idempotencyKey");
      if (value.isBlank() || value.length() > 256) {
        throw new IllegalArgumentException("idempotencyKey must be 1-256 non-blank characters");
      }
      idempotencyKey = value;
      return this;
    }

    /**
     * Turns on the same-device option for this mail's link (C32; off by default): the link signs
     * the user in only when it is opened with the same value in
     * {@link LinkRequest.Builder#sameDevice}, that is, in the browser that asked for the mail.
     * Opened anywhere else (another browser, a phone, a mail scanner's sandbox, a copy of the URL
     * from a proxy log), {@link VerificationCodeService#verifyLink} consumes nothing and answers
     * {@link VerifyResult.CodeRequired}, and the page asks for the code printed in the same mail.
     *
     * <p>The value is opaque to the library: typically 128 or more random bits the application
     * keeps in an {@code HttpOnly}, {@code SameSite=Lax} cookie it set when it sent the code, so
     * that it outlives a session change. It is never stored, logged or shown: the link carries a keyed MAC of
     * it (HMAC-SHA256 with the service's secret, 128 bits), which no store record needs, so every
     * store supports the option as is. It has no effect when the type's policy sends no link
     * ({@link VerificationPolicy.Builder#linkBaseUrl}).
     *
     * @param value 1-512 characters, not blank; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code sameDevice} when blank or longer than 512
     *     characters
     */
    public Builder sameDevice(String value) {
      sameDevice = checkDevice(value);
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     */
    public SendRequest build() {
      return new SendRequest(email, type, ttl, locale, clientKey, limitKeys, templateValues, idempotencyKey,
          sameDevice);
    }
  }

  /**
   * Returns the address as the user typed it; validated by the service, not here.
   *
   * @return the address as the user typed it; validated by the service, not here
   */
  public String email() {
    return email;
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
   * Returns the code's lifetime, or {@code null} for the policy's default; 1 minute-24 hours.
   *
   * @return the code's lifetime, or {@code null} for the policy's default; 1 minute-24 hours
   */
  public @Nullable Duration ttl() {
    return ttl;
  }

  /**
   * Returns the mail's language, or {@code null} for the service's default locale.
   *
   * @return the mail's language, or {@code null} for the service's default locale
   */
  public @Nullable Locale locale() {
    return locale;
  }

  /**
   * Returns the key of the per-client cap (an IP address, a session), or {@code null}.
   *
   * @return the key of the per-client cap (an IP address, a session), or {@code null}
   */
  public @Nullable String clientKey() {
    return clientKey;
  }

  /**
   * Returns values for the policy's custom quotas, by key name.
   *
   * @return values for the policy's custom quotas, by key name
   */
  public Map<String, String> limitKeys() {
    return limitKeys;
  }

  /**
   * Returns extra values handed to the template renderer.
   *
   * @return extra values handed to the template renderer
   */
  public Map<String, String> templateValues() {
    return templateValues;
  }

  /**
   * Returns the idempotency key, or {@code null}.
   *
   * @return the key, or {@code null}
   */
  public @Nullable String idempotencyKey() {
    return idempotencyKey;
  }

  /**
   * Returns the value of the device whose browser alone may use this mail's link, or
   * {@code null} when any browser may ({@link Builder#sameDevice}).
   *
   * @return the device value, or {@code null}
   */
  public @Nullable String sameDevice() {
    return sameDevice;
  }

  /** Checks a device value, for this builder and {@link LinkRequest}'s. */
  static String checkDevice(String value) {
    Objects.requireNonNull(value, "sameDevice");
    if (value.isBlank() || value.length() > 512) {
      throw new IllegalArgumentException("sameDevice must be 1-512 non-blank characters, was "
          + (value.isBlank() ? "blank" : value.length() + " characters"));
    }
    return value;
  }

  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object other) {
    return other instanceof SendRequest o
        && java.util.Objects.equals(email, o.email)
        && java.util.Objects.equals(type, o.type)
        && java.util.Objects.equals(ttl, o.ttl)
        && java.util.Objects.equals(locale, o.locale)
        && java.util.Objects.equals(clientKey, o.clientKey)
        && java.util.Objects.equals(limitKeys, o.limitKeys)
        && java.util.Objects.equals(templateValues, o.templateValues)
        && java.util.Objects.equals(idempotencyKey, o.idempotencyKey)
        && java.util.Objects.equals(sameDevice, o.sameDevice);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(email, type, ttl, locale, clientKey, limitKeys, templateValues, idempotencyKey,
        sameDevice);
  }
}
