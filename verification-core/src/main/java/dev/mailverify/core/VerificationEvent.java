package dev.mailverify.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One send, verify or redeem outcome, handed to every {@link VerificationListener} and written once
 * to the audit log (contract C17). It never holds a code or a token; {@link #toString()} masks the
 * address, while {@link #email()} gives the listener the real one for its own send log.
 */
public final class VerificationEvent {
  private final Instant at;
  private final Action action;
  private final VerificationType type;
  private final @Nullable EmailAddress email;
  private final @Nullable String clientKey;
  private final Outcome outcome;
  private final @Nullable String detail;
  private final int attempts;
  private final @Nullable Duration elapsed;
  private final @Nullable Instant expiresAt;

  /** Checks for nulls. */
  private VerificationEvent(Instant at,
      Action action,
      VerificationType type,
      @Nullable EmailAddress email,
      @Nullable String clientKey,
      Outcome outcome,
      @Nullable String detail,
      int attempts,
      @Nullable Duration elapsed,
      @Nullable Instant expiresAt) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(outcome, "outcome");
    this.at = at;
    this.action = action;
    this.type = type;
    this.email = email;
    this.clientKey = clientKey;
    this.outcome = outcome;
    this.detail = detail;
    this.attempts = attempts;
    this.elapsed = elapsed;
    this.expiresAt = expiresAt;
  }

  /**
   * Starts a builder for an event (the service makes them; tests of listeners may too).
   *
   * @param at when it happened; not null
   * @param action send, verify or redeem; not null
   * @param type the verification type; not null
   * @param outcome what happened; not null
   * @return a new builder
   */
  public static Builder builder(Instant at, Action action, VerificationType type, Outcome outcome) {
    return new Builder(at, action, type, outcome);
  }

  /**
   * Builds a {@link VerificationEvent}. Each setter checks its argument at once and may be called
   * again; the last call wins.
   */
  public static final class Builder {
    private final Instant at;
    private final Action action;
    private final VerificationType type;
    private final Outcome outcome;
    private @Nullable EmailAddress email;
    private @Nullable String clientKey;
    private @Nullable String detail;
    private int attempts;
    private @Nullable Duration elapsed;
    private @Nullable Instant expiresAt;

    private Builder(Instant at, Action action, VerificationType type, Outcome outcome) {
      this.at = Objects.requireNonNull(at, "at");
      this.action = Objects.requireNonNull(action, "action");
      this.type = Objects.requireNonNull(type, "type");
      this.outcome = Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * Sets the normalized address.
     *
     * @param value the address, or {@code null} if there was no valid one
     * @return this builder
     */
    public Builder email(@Nullable EmailAddress value) {
      email = value;
      return this;
    }

    /**
     * Sets the request's client key.
     *
     * @param value the key, or {@code null}
     * @return this builder
     */
    public Builder clientKey(@Nullable String value) {
      clientKey = value;
      return this;
    }

    /**
     * Sets more about the outcome.
     *
     * @param value the detail (never a secret), or {@code null}
     * @return this builder
     */
    public Builder detail(@Nullable String value) {
      detail = value;
      return this;
    }

    /**
     * Sets how many times the transport tried to deliver the mail (DELIVER events).
     *
     * @param value 0 or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder attempts(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("attempts must not be negative, was " + value);
      }
      attempts = value;
      return this;
    }

    /**
     * Sets how long the outcome took (DELIVER events: from queueing to the final outcome).
     *
     * @param value not negative, or {@code null}
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder elapsed(@Nullable Duration value) {
      if (value != null && value.isNegative()) {
        throw new IllegalArgumentException("elapsed must not be negative, was " + value);
      }
      elapsed = value;
      return this;
    }

    /**
     * Sets when the code sent stops working (SEND events with outcome SENT or QUEUED).
     *
     * @param value the expiry, or {@code null}
     * @return this builder
     */
    public Builder expiresAt(@Nullable Instant value) {
      expiresAt = value;
      return this;
    }

    /**
     * Builds the event.
     *
     * @return the event
     */
    public VerificationEvent build() {
      return new VerificationEvent(at, action, type, email, clientKey, outcome, detail, attempts, elapsed, expiresAt);
    }
  }

  /** What the application asked for. */
  public enum Action {
    /** {@link VerificationCodeService#sendVerificationCode}. */
    SEND,
    /** {@link VerificationCodeService#verifyCode}. */
    VERIFY,
    /** {@link VerificationCodeService#redeemToken}. */
    REDEEM,
    /**
     * The final outcome of a mail that an asynchronous transport queued ({@link Outcome#QUEUED}):
     * {@link Outcome#DELIVERED} or {@link Outcome#DELIVERY_FAILED}, with the number of
     * {@link #attempts()} and the time {@link #elapsed()} since it was queued.
     */
    DELIVER
  }

  /** What came of it. */
  public enum Outcome {
    /** A code was sent: the next hop accepted the mail. */
    SENT,
    /** A code was issued and its mail queued for asynchronous delivery; a DELIVER event follows. */
    QUEUED,
    /** A queued mail was accepted by the next hop (action DELIVER). */
    DELIVERED,
    /** A limit refused the send. */
    RATE_LIMITED,
    /** The address was refused. */
    INVALID_ADDRESS,
    /** The transport failed (action SEND), or a queued mail finally failed (action DELIVER). */
    DELIVERY_FAILED,
    /** The code matched. */
    VERIFIED,
    /** The code did not match. */
    INVALID,
    /** The code had expired. */
    EXPIRED,
    /** The code or the address is locked. */
    LOCKED,
    /** No code was pending. */
    NOT_FOUND,
    /** A token was redeemed. */
    REDEEMED,
    /** A token was unknown, used, expired or of another type. */
    REDEEM_FAILED
  }

  /**
   * Returns how many times the transport tried to deliver the mail: 1 or more for DELIVER events,
   * 0 for the others.
   *
   * @return the attempts
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Returns how long the outcome took: for DELIVER events the time from queueing to the final
   * outcome; {@code null} for the others.
   *
   * @return the duration, or {@code null}
   */
  public @Nullable Duration elapsed() {
    return elapsed;
  }

  /**
   * Returns when the code sent stops working: set for SEND events with outcome SENT or QUEUED,
   * {@code null} for the others. Metrics use it to count codes that were never verified.
   *
   * @return the expiry, or {@code null}
   */
  public @Nullable Instant expiresAt() {
    return expiresAt;
  }

  /** Returns the event with the address masked. */
  @Override
  public String toString() {
    return "VerificationEvent[at=" + at + ", action=" + action + ", type=" + type + ", email="
        + (email == null ? "-" : email.masked()) + ", clientKey=" + clientKey + ", outcome=" + outcome
        + (detail == null ? "" : ", detail=" + detail) + (attempts == 0 ? "" : ", attempts=" + attempts)
        + (elapsed == null ? "" : ", elapsed=" + elapsed) + "]";
  }

  /**
   * Returns when it happened, by the service's clock.
   *
   * @return when it happened, by the service's clock
   */
  public Instant at() {
    return at;
  }

  /**
   * Returns send, verify or redeem.
   *
   * @return send, verify or redeem
   */
  public Action action() {
    return action;
  }

  /**
   * Returns the verification type.
   *
   * @return the verification type
   */
  public VerificationType type() {
    return type;
  }

  /**
   * Returns the normalized address, or {@code null} if the input was not a valid address or a redeemed token was unknown.
   *
   * @return the normalized address, or {@code null} if the input was not a valid address or a redeemed token was unknown
   */
  public @Nullable EmailAddress email() {
    return email;
  }

  /**
   * Returns the request's client key, or {@code null}.
   *
   * @return the request's client key, or {@code null}
   */
  public @Nullable String clientKey() {
    return clientKey;
  }

  /**
   * Returns what happened.
   *
   * @return what happened
   */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * Returns more about the outcome (the limit, the delivery category), or {@code null}.
   *
   * @return more about the outcome (the limit, the delivery category), or {@code null}
   */
  public @Nullable String detail() {
    return detail;
  }

  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object other) {
    return other instanceof VerificationEvent o
        && java.util.Objects.equals(at, o.at)
        && java.util.Objects.equals(action, o.action)
        && java.util.Objects.equals(type, o.type)
        && java.util.Objects.equals(email, o.email)
        && java.util.Objects.equals(clientKey, o.clientKey)
        && java.util.Objects.equals(outcome, o.outcome)
        && java.util.Objects.equals(detail, o.detail)
        && attempts == o.attempts
        && java.util.Objects.equals(elapsed, o.elapsed)
        && java.util.Objects.equals(expiresAt, o.expiresAt);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(at, action, type, email, clientKey, outcome, detail, attempts, elapsed, expiresAt);
  }
}
