package dev.mailverify.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The rules for one {@link VerificationType}: how codes look, how long they live, how often one
 * may guess and how often one may send. {@link #defaults()} are the safe values of the contract;
 * change them with {@link #toBuilder()}.
 *
 * <pre>{@code
 * VerificationPolicy login = VerificationPolicy.defaults().toBuilder()
 *     .defaultTtl(Duration.ofMinutes(5))
 *     .cooldown(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 */
public final class VerificationPolicy {
  private final int codeLength;
  private final CodeAlphabet alphabet;
  private final Duration defaultTtl;
  private final int maxAttempts;
  private final Quota failedAttemptsQuota;
  private final Duration cooldown;
  private final Quota perAddressQuota;
  private final Quota perClientQuota;
  private final Map<String, Quota> customQuotas;
  private final Duration tokenTtl;
  private final java.net.@Nullable URI linkBaseUrl;
  private final Duration resendGrace;

  /** The longest {@link Builder#resendGrace(Duration) resend grace} a policy may have. */
  public static final Duration MAX_RESEND_GRACE = Duration.ofMinutes(10);

  /** The shortest TTL a code or token may have. */
  public static final Duration MIN_TTL = Duration.ofMinutes(1);
  /** The longest TTL a code or token may have. */
  public static final Duration MAX_TTL = Duration.ofHours(24);

  private static final VerificationPolicy DEFAULTS = new Builder().build();

  /**
   * Takes the builder's values, which its setters have already checked one by one.
   */
  private VerificationPolicy(Builder b) {
    this.codeLength = b.codeLength;
    this.alphabet = b.alphabet;
    this.defaultTtl = b.defaultTtl;
    this.maxAttempts = b.maxAttempts;
    this.failedAttemptsQuota = b.failedAttemptsQuota;
    this.cooldown = b.cooldown;
    this.perAddressQuota = b.perAddressQuota;
    this.perClientQuota = b.perClientQuota;
    this.customQuotas = Map.copyOf(b.customQuotas);
    this.tokenTtl = b.tokenTtl;
    this.linkBaseUrl = b.linkBaseUrl;
    this.resendGrace = b.resendGrace;
  }

  /**
   * Returns the contract's defaults: 6 digits, 10 minutes, 5 tries, 20 failures per hour, 60
   * seconds cooldown, 5 sends per address and 20 per client per hour, tokens for 15 minutes.
   *
   * @return the default policy
   */
  public static VerificationPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a builder from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a builder from this policy.
   *
   * @return a new builder holding this policy's values
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Checks a TTL against the allowed range.
   *
   * @param ttl the TTL
   * @param field the name to use in the message
   * @return the TTL
   * @throws IllegalArgumentException if the TTL is outside 1 minute-24 hours
   */
  public static Duration checkTtl(Duration ttl, String field) {
    Objects.requireNonNull(ttl, field);
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException(field + " must be between 1m (PT1M) and 24h (PT24H), was " + ttl);
    }
    return ttl;
  }

  /**
   * Checks the name of a custom limit key.
   *
   * @param name the name
   * @param setting the setting to name in the message, such as {@code customQuota keyName}
   * @throws IllegalArgumentException naming the setting when the name does not match
   *     {@code [a-z][a-z0-9_-]{0,31}}
   */
  static void checkKeyName(String name, String setting) {
    Objects.requireNonNull(name, setting);
    if (!name.matches("[a-z][a-z0-9_-]{0,31}")) {
      throw new IllegalArgumentException(setting + " must match [a-z][a-z0-9_-]{0,31} (limit key names), was '"
          + name + "'");
    }
  }

  private static int checkRange(int value, int min, int max, String setting) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(setting + " must be " + min + "-" + max + ", was " + value);
    }
    return value;
  }

  private static Duration checkCooldown(Duration value) {
    Objects.requireNonNull(value, "cooldown");
    if (!value.isZero() && (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0)) {
      throw new IllegalArgumentException("cooldown must be zero (off) or 1s-1h, was " + value);
    }
    return value;
  }

  /**
   * Builds a {@link VerificationPolicy}; starts from the defaults (or from a policy, with
   * {@link VerificationPolicy#toBuilder()}). Like every builder in the library, each setter checks
   * its argument at once and throws naming the setting and its allowed range, so a bad value fails
   * on the line that set it; a setter may be called again, the last call wins. Every combination of
   * valid settings is a valid policy, so {@link #build()} has nothing left to refuse. Not
   * thread-safe; {@code build()} may be called more than once.
   */
  public static final class Builder {
    private int codeLength = 6;
    private CodeAlphabet alphabet = CodeAlphabet.DIGITS;
    private Duration defaultTtl = Duration.ofMinutes(10);
    private int maxAttempts = 5;
    private Quota failedAttemptsQuota = Quota.perHour(20);
    private Duration cooldown = Duration.ofSeconds(60);
    private Quota perAddressQuota = Quota.perHour(5);
    private Quota perClientQuota = Quota.perHour(20);
    private final Map<String, Quota> customQuotas = new LinkedHashMap<>();
    private Duration tokenTtl = Duration.ofMinutes(15);
    private java.net.@Nullable URI linkBaseUrl;
    private Duration resendGrace = Duration.ZERO;

    private Builder() {}

    private Builder(VerificationPolicy p) {
      codeLength = p.codeLength;
      alphabet = p.alphabet;
      defaultTtl = p.defaultTtl;
      maxAttempts = p.maxAttempts;
      failedAttemptsQuota = p.failedAttemptsQuota;
      cooldown = p.cooldown;
      perAddressQuota = p.perAddressQuota;
      perClientQuota = p.perClientQuota;
      customQuotas.putAll(p.customQuotas);
      tokenTtl = p.tokenTtl;
      linkBaseUrl = p.linkBaseUrl;
      resendGrace = p.resendGrace;
    }

    /**
     * Sets the code length.
     *
     * @param value 4-10
     * @return this builder
     * @throws IllegalArgumentException naming {@code codeLength} when outside 4-10
     */
    public Builder codeLength(int value) {
      codeLength = checkRange(value, 4, 10, "codeLength");
      return this;
    }

    /**
     * Sets the alphabet.
     *
     * @param value the alphabet; not null
     * @return this builder
     */
    public Builder alphabet(CodeAlphabet value) {
      alphabet = Objects.requireNonNull(value, "alphabet");
      return this;
    }

    /**
     * Sets the TTL used when a send gives none.
     *
     * @param value 1 minute-24 hours; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code defaultTtl} when outside 1 minute-24 hours
     */
    public Builder defaultTtl(Duration value) {
      defaultTtl = checkTtl(value, "defaultTtl");
      return this;
    }

    /**
     * Sets the wrong tries allowed per code.
     *
     * @param value 1-20
     * @return this builder
     * @throws IllegalArgumentException naming {@code maxAttempts} when outside 1-20
     */
    public Builder maxAttempts(int value) {
      maxAttempts = checkRange(value, 1, 20, "maxAttempts");
      return this;
    }

    /**
     * Sets the wrong tries allowed per address and type across codes.
     *
     * @param value the quota; not null
     * @return this builder
     */
    public Builder failedAttemptsQuota(Quota value) {
      failedAttemptsQuota = Objects.requireNonNull(value, "failedAttemptsQuota");
      return this;
    }

    /**
     * Sets the minimum time between two sends to one address and type.
     *
     * @param value zero (off) or 1 second-1 hour; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code cooldown} when outside that range
     */
    public Builder cooldown(Duration value) {
      cooldown = checkCooldown(value);
      return this;
    }

    /**
     * Sets the sends allowed per address and type.
     *
     * @param value the quota; not null
     * @return this builder
     */
    public Builder perAddressQuota(Quota value) {
      perAddressQuota = Objects.requireNonNull(value, "perAddressQuota");
      return this;
    }

    /**
     * Sets the sends allowed per client key.
     *
     * @param value the quota; not null
     * @return this builder
     */
    public Builder perClientQuota(Quota value) {
      perClientQuota = Objects.requireNonNull(value, "perClientQuota");
      return this;
    }

    /**
     * Adds a quota for a custom limit key, such as a tenant or a device, that send requests name
     * with {@link SendRequest.Builder#limitKey(String, String)}.
     *
     * @param keyName the key's name, {@code [a-z][a-z0-9_-]{0,31}}
     * @param quota the quota; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code customQuota keyName} when the name does not match
     */
    public Builder customQuota(String keyName, Quota quota) {
      checkKeyName(keyName, "customQuota keyName");
      customQuotas.put(keyName, Objects.requireNonNull(quota, "customQuota quota"));
      return this;
    }

    /**
     * Sets how long a token issued on success lives.
     *
     * @param value 1 minute-24 hours; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code tokenTtl} when outside 1 minute-24 hours
     */
    public Builder tokenTtl(Duration value) {
      tokenTtl = checkTtl(value, "tokenTtl");
      return this;
    }

    /**
     * Sends a one-click link beside the code (C32; off by default). The link is this URL with the
     * query parameters {@code token} (256 random bits, its own secret) and {@code type} appended;
     * the app serves it. The URL comes from the app's configuration, never from a request header
     * (C21). Using the link ({@link VerificationCodeService#verifyLink}) or the code consumes both.
     *
     * <p>The page at this URL must not consume on {@code GET}: mail scanners (Microsoft Defender
     * Safe Links, Proofpoint, Mimecast) open every link in a mail. It shows a button whose
     * {@code POST} calls {@code verifyLink}.
     *
     * @param value an absolute {@code https} URL ({@code http} only for {@code localhost}, for
     *     development), without a fragment; or {@code null} to send the code only
     * @return this builder
     * @throws IllegalArgumentException naming {@code linkBaseUrl} when the URL is not absolute,
     *     not https (outside localhost), or has a fragment
     */
    public Builder linkBaseUrl(java.net.@Nullable URI value) {
      if (value != null) {
        String scheme = value.getScheme();
        String host = value.getHost();
        boolean local = "localhost".equals(host) || "127.0.0.1".equals(host);
        if (!value.isAbsolute() || host == null || value.getRawFragment() != null
            || !("https".equals(scheme) || ("http".equals(scheme) && local))) {
          throw new IllegalArgumentException("linkBaseUrl must be an absolute https URL (http only for "
              + "localhost) without a fragment, was " + value);
        }
      }
      linkBaseUrl = value;
      return this;
    }

    /**
     * Lets the previous code keep working for a short while after a resend (off by default: a
     * resend kills the earlier code at once, C4). Mail can be slow; a user who asked again often
     * types the first code when it finally arrives. With a grace {@code g > 0}, a send that
     * replaces a pending code keeps that one code too, until
     * {@code min(its own expiry, resend time + g)}, never longer:
     *
     * <ul>
     *   <li>only the code immediately before the newest is kept; a third send drops the first;
     *   <li>both codes share one try budget ({@link #maxAttempts(int)}): the tries already used on
     *       the earlier code carry over to the new one, a wrong try counts once whatever it was
     *       compared with, and once the budget is used up both codes are {@code Locked};
     *   <li>a right try with either code consumes both (the verification is done), and a link
     *       (C32) counts as its code;
     *   <li>a code that is expired or locked when the resend happens is not kept: the new code
     *       then starts with the full budget, as without grace;
     *   <li>a failed delivery of the new mail, or anything else that invalidates the pending code,
     *       removes both.
     * </ul>
     *
     * <p>The store must support it ({@link dev.mailverify.core.spi.CodeStore#supportsResendGrace()});
     * the built-in stores do. A service whose store does not refuses to build with a policy that
     * sets a grace.
     *
     * @param value zero (off, the default) or 1 second-10 minutes ({@link #MAX_RESEND_GRACE});
     *     not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code resendGrace} when outside that range
     */
    public Builder resendGrace(Duration value) {
      Objects.requireNonNull(value, "resendGrace");
      if (!value.isZero() && (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(MAX_RESEND_GRACE) > 0)) {
        throw new IllegalArgumentException("resendGrace must be zero (off) or 1s-10m (PT10M), was " + value);
      }
      resendGrace = value;
      return this;
    }

    /**
     * Builds the policy. The setters have checked every value; no combination of them is refused.
     *
     * @return the policy
     */
    public VerificationPolicy build() {
      return new VerificationPolicy(this);
    }
  }

  /**
   * Returns characters per code, 4-10 (default 6; C1).
   *
   * @return characters per code, 4-10 (default 6; C1)
   */
  public int codeLength() {
    return codeLength;
  }

  /**
   * Returns the code's characters (default {@link CodeAlphabet#DIGITS}; C1).
   *
   * @return the code's characters (default {@link CodeAlphabet#DIGITS}; C1)
   */
  public CodeAlphabet alphabet() {
    return alphabet;
  }

  /**
   * Returns how long a code lives when the caller gives no TTL, 1 minute-24 hours (default 10 minutes; C3).
   *
   * @return how long a code lives when the caller gives no TTL, 1 minute-24 hours (default 10 minutes; C3)
   */
  public Duration defaultTtl() {
    return defaultTtl;
  }

  /**
   * Returns wrong tries allowed per code before it is locked, 1-20 (default 5; C6).
   *
   * @return wrong tries allowed per code before it is locked, 1-20 (default 5; C6)
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns wrong tries allowed per address and type across codes (default 20 per hour; C7).
   *
   * @return wrong tries allowed per address and type across codes (default 20 per hour; C7)
   */
  public Quota failedAttemptsQuota() {
    return failedAttemptsQuota;
  }

  /**
   * Returns minimum time between two sends to one address and type, zero (off) or 1 second-1 hour (default 60 seconds; C10).
   *
   * @return minimum time between two sends to one address and type, zero (off) or 1 second-1 hour (default 60 seconds; C10)
   */
  public Duration cooldown() {
    return cooldown;
  }

  /**
   * Returns sends allowed per address and type (default 5 per hour; C11).
   *
   * @return sends allowed per address and type (default 5 per hour; C11)
   */
  public Quota perAddressQuota() {
    return perAddressQuota;
  }

  /**
   * Returns sends allowed per client key such as the caller's IP (default 20 per hour; C11).
   *
   * @return sends allowed per client key such as the caller's IP (default 20 per hour; C11)
   */
  public Quota perClientQuota() {
    return perClientQuota;
  }

  /**
   * Returns quotas for extra keys a {@link SendRequest} names, such as {@code "tenant"} (default none; C11).
   *
   * @return quotas for extra keys a {@link SendRequest} names, such as {@code "tenant"} (default none; C11)
   */
  public Map<String, Quota> customQuotas() {
    return customQuotas;
  }

  /**
   * Returns how long the token issued on success lives, 1 minute-24 hours (default 15 minutes; C9).
   *
   * @return how long the token issued on success lives, 1 minute-24 hours (default 15 minutes; C9)
   */
  public Duration tokenTtl() {
    return tokenTtl;
  }

  /**
   * Returns the base URL of the one-click link sent beside the code, or empty when the mail
   * carries the code only (the default; C32).
   *
   * @return the base URL, or empty
   */
  public java.util.Optional<java.net.URI> linkBaseUrl() {
    return java.util.Optional.ofNullable(linkBaseUrl);
  }

  /**
   * Returns how long the previous code keeps working after a resend, zero (off, the default; C4)
   * or 1 second-10 minutes; see {@link Builder#resendGrace(Duration)}.
   *
   * @return the resend grace; {@link Duration#ZERO} when off
   */
  public Duration resendGrace() {
    return resendGrace;
  }

  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object other) {
    return other instanceof VerificationPolicy o
        && codeLength == o.codeLength
        && java.util.Objects.equals(alphabet, o.alphabet)
        && java.util.Objects.equals(defaultTtl, o.defaultTtl)
        && maxAttempts == o.maxAttempts
        && java.util.Objects.equals(failedAttemptsQuota, o.failedAttemptsQuota)
        && java.util.Objects.equals(cooldown, o.cooldown)
        && java.util.Objects.equals(perAddressQuota, o.perAddressQuota)
        && java.util.Objects.equals(perClientQuota, o.perClientQuota)
        && java.util.Objects.equals(customQuotas, o.customQuotas)
        && java.util.Objects.equals(tokenTtl, o.tokenTtl)
        && java.util.Objects.equals(linkBaseUrl, o.linkBaseUrl)
        && resendGrace.equals(o.resendGrace);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(codeLength, alphabet, defaultTtl, maxAttempts, failedAttemptsQuota, cooldown, perAddressQuota, perClientQuota, customQuotas, tokenTtl, linkBaseUrl, resendGrace);
  }
}
