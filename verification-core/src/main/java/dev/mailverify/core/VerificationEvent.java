package dev.mailverify.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * One send, verify or redeem outcome, handed to every {@link VerificationListener} and written once
 * to the audit log (contract C17). It never holds a code or a token; {@link #toString()} masks the
 * address, while {@link #email()} gives the listener the real one for its own send log.
 *
 * <p>What more there is to say about an outcome is typed, so a listener can switch on it: the
 * {@link #limit()} that refused a send, the {@link #deliveryCategory()} and {@link #replyCode()} of
 * a failed delivery, the {@link #invalidAddressReason()} of a refused address, and the
 * {@link #reason()} of a verify or redeem call. Each is {@code null} (or empty) when it does not
 * apply. {@link #detail()} says the same in words, for logs. A failed delivery also carries its
 * whole {@link #failure() description} (the server's reply, the reason, the hint), and every send
 * that made a mail carries its {@link #messageId() Message-ID}, the same one the receiver sees.
 */
public final class VerificationEvent {
  private final Instant at;
  private final Action action;
  private final VerificationType type;
  private final @Nullable EmailAddress email;
  private final @Nullable String clientKey;
  private final Outcome outcome;
  private final SendResult.@Nullable Limit limit;
  private final DeliveryException.@Nullable Category deliveryCategory;
  private final int replyCode;
  private final @Nullable FailureDescription failure;
  private final @Nullable String messageId;
  private final @Nullable InvalidAddressReason invalidAddressReason;
  private final @Nullable Reason reason;
  private final @Nullable String note;
  private final int attempts;
  private final @Nullable Duration elapsed;
  private final @Nullable Instant expiresAt;

  private VerificationEvent(Builder b) {
    this.at = b.at;
    this.action = b.action;
    this.type = b.type;
    this.email = b.email;
    this.clientKey = b.clientKey;
    this.outcome = b.outcome;
    this.limit = b.limit;
    this.deliveryCategory = b.deliveryCategory;
    this.replyCode = b.replyCode;
    this.failure = b.failure;
    this.messageId = b.messageId;
    this.invalidAddressReason = b.invalidAddressReason;
    this.reason = b.reason;
    this.note = b.note;
    this.attempts = b.attempts;
    this.elapsed = b.elapsed;
    this.expiresAt = b.expiresAt;
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
    private SendResult.@Nullable Limit limit;
    private DeliveryException.@Nullable Category deliveryCategory;
    private int replyCode = -1;
    private @Nullable FailureDescription failure;
    private @Nullable String messageId;
    private @Nullable InvalidAddressReason invalidAddressReason;
    private @Nullable Reason reason;
    private @Nullable String note;
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
     * Sets the limit that refused a send (outcome {@link Outcome#RATE_LIMITED}).
     *
     * @param value the limit, or {@code null}
     * @return this builder
     */
    public Builder limit(SendResult.@Nullable Limit value) {
      limit = value;
      return this;
    }

    /**
     * Sets the category of a failed delivery (outcome {@link Outcome#DELIVERY_FAILED}).
     *
     * @param value the category, or {@code null}
     * @return this builder
     */
    public Builder deliveryCategory(DeliveryException.@Nullable Category value) {
      deliveryCategory = value;
      return this;
    }

    /**
     * Sets the SMTP reply code of a failed delivery, when the server sent one.
     *
     * @param value 200-599, or a negative value for none (the default)
     * @return this builder
     * @throws IllegalArgumentException if 0-199 or over 599
     */
    public Builder replyCode(int value) {
      if (value >= 0 && (value < 200 || value > 599)) {
        throw new IllegalArgumentException("replyCode must be 200-599 or negative, was " + value);
      }
      replyCode = value;
      return this;
    }

    /**
     * Sets the category, the SMTP reply code and the whole {@link FailureDescription description}
     * of a failed delivery from its exception.
     *
     * @param failure the failure; not null
     * @return this builder
     */
    public Builder deliveryFailure(DeliveryException failure) {
      Objects.requireNonNull(failure, "failure");
      this.failure = failure.description();
      return deliveryCategory(failure.category()).replyCode(failure.replyCode().orElse(-1));
    }

    /**
     * Sets the {@code Message-ID} of the mail this event is about (SEND events that made a mail,
     * DELIVER events): the one the mail carries on the wire and in a file copy.
     *
     * @param value the identifier with its angle brackets, or {@code null}
     * @return this builder
     */
    public Builder messageId(@Nullable String value) {
      messageId = value;
      return this;
    }

    /**
     * Sets why an address was refused (outcome {@link Outcome#INVALID_ADDRESS}).
     *
     * @param value the reason, or {@code null}
     * @return this builder
     */
    public Builder invalidAddressReason(@Nullable InvalidAddressReason value) {
      invalidAddressReason = value;
      return this;
    }

    /**
     * Sets why a verify or redeem call ended as it did, when the outcome alone does not say.
     *
     * @param value the reason, or {@code null}
     * @return this builder
     */
    public Builder reason(@Nullable Reason value) {
      reason = value;
      return this;
    }

    /**
     * Sets a free-text note, for events built by hand (tests, bridges from other systems). The
     * service never sets one: it sets the typed fields ({@link #limit}, {@link #deliveryCategory},
     * {@link #invalidAddressReason}, {@link #reason}). A note is shown by {@link VerificationEvent#detail()} in
     * place of the typed fields; metrics never use its text.
     *
     * @param value the note (never a secret), or {@code null}
     * @return this builder
     */
    public Builder detail(@Nullable String value) {
      note = value;
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
      return new VerificationEvent(this);
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
    /**
     * A same-device link was opened on another device: nothing consumed, the code is asked for
     * ({@link VerifyResult.CodeRequired}).
     */
    CODE_REQUIRED,
    /** A token was redeemed. */
    REDEEMED,
    /** A token was unknown, used, expired or of another type. */
    REDEEM_FAILED
  }

  /**
   * Why a verify or redeem call ended as it did, where the {@link Outcome} alone does not say
   * ({@link VerificationEvent#reason()}). New constants may be added in later versions: keep a
   * {@code default} branch.
   */
  public enum Reason {
    /** The typed code cannot match: empty, too long, a foreign character (C2); it counts as a try. */
    MALFORMED_INPUT("malformed input"),
    /** The address and type used up their failed tries across codes (C7): {@link Outcome#LOCKED}. */
    FAILED_ATTEMPTS_QUOTA("failed-attempts quota"),
    /** The address given to verify is not a valid address: {@link Outcome#NOT_FOUND}. */
    INVALID_ADDRESS("invalid address"),
    /** The expected address given to redeem is not a valid address: {@link Outcome#REDEEM_FAILED}. */
    INVALID_EXPECTED_ADDRESS("invalid expected address"),
    /**
     * A redeem with an expected address found no token for it: unknown, used, expired or issued
     * to another address ({@link Outcome#REDEEM_FAILED}; the token stays usable for its address).
     */
    NO_TOKEN_FOR_ADDRESS("unknown, used, expired or for another address");

    private final String description;

    Reason(String description) {
      this.description = description;
    }

    /**
     * Returns the reason in plain words, as the audit line shows it.
     *
     * @return the description, for example {@code "malformed input"}
     */
    public String description() {
      return description;
    }
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
        + (detail() == null ? "" : ", detail=" + detail()) + (attempts == 0 ? "" : ", attempts=" + attempts)
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
   * Returns the limit that refused a send: set for outcome {@link Outcome#RATE_LIMITED},
   * {@code null} for the others.
   *
   * @return the limit, or {@code null}
   */
  public SendResult.@Nullable Limit limit() {
    return limit;
  }

  /**
   * Returns the category of a failed delivery: set for outcome {@link Outcome#DELIVERY_FAILED}
   * (actions SEND and DELIVER), {@code null} for the others.
   *
   * @return the category, or {@code null}
   */
  public DeliveryException.@Nullable Category deliveryCategory() {
    return deliveryCategory;
  }

  /**
   * Returns the SMTP reply code of a failed delivery, when the server sent one.
   *
   * @return the reply code (200-599), or empty
   */
  public OptionalInt replyCode() {
    return replyCode > 0 ? OptionalInt.of(replyCode) : OptionalInt.empty();
  }

  /**
   * Returns the whole description of a failed delivery (category, transient or not, the server's
   * reply, the reason, the hint), as the exception, the audit line and the diagnostics show it.
   *
   * @return the description for outcome {@link Outcome#DELIVERY_FAILED}, {@code null} for the others
   */
  public @Nullable FailureDescription failure() {
    return failure;
  }

  /**
   * Returns the {@code Message-ID} of the mail: the same in the SEND and the DELIVER event of one
   * send, in a file copy, on every retry and in the bytes the server receives.
   *
   * @return the identifier with its angle brackets, or {@code null} when no mail was made (a
   *     refused address, a rate limit, verify and redeem events)
   */
  public @Nullable String messageId() {
    return messageId;
  }

  /**
   * Returns why an address was refused: set for outcome {@link Outcome#INVALID_ADDRESS},
   * {@code null} for the others.
   *
   * @return the reason, or {@code null}
   */
  public @Nullable InvalidAddressReason invalidAddressReason() {
    return invalidAddressReason;
  }

  /**
   * Returns why a verify or redeem call ended as it did, where the outcome alone does not say: a
   * malformed code, the failed-tries quota, an invalid address; {@code null} otherwise.
   *
   * @return the reason, or {@code null}
   */
  public @Nullable Reason reason() {
    return reason;
  }

  /**
   * Returns more about the outcome in words, as the audit line shows it: the name of the
   * {@link #limit()}, of the {@link #deliveryCategory()} or of the {@link #invalidAddressReason()},
   * or the {@link Reason#description() description} of the {@link #reason()}; a note set with
   * {@link Builder#detail(String)} comes first. For code, switch on the typed accessors instead.
   *
   * @return the detail, or {@code null} when there is nothing more to say
   */
  public @Nullable String detail() {
    if (note != null) {
      return note;
    } else if (limit != null) {
      return limit.name();
    } else if (deliveryCategory != null) {
      return deliveryCategory.name();
    } else if (invalidAddressReason != null) {
      return invalidAddressReason.name();
    } else if (reason != null) {
      return reason.description();
    }
    return null;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof VerificationEvent o
        && at.equals(o.at)
        && action == o.action
        && type.equals(o.type)
        && Objects.equals(email, o.email)
        && Objects.equals(clientKey, o.clientKey)
        && outcome == o.outcome
        && limit == o.limit
        && deliveryCategory == o.deliveryCategory
        && replyCode == o.replyCode
        && Objects.equals(failure, o.failure)
        && Objects.equals(messageId, o.messageId)
        && invalidAddressReason == o.invalidAddressReason
        && reason == o.reason
        && Objects.equals(note, o.note)
        && attempts == o.attempts
        && Objects.equals(elapsed, o.elapsed)
        && Objects.equals(expiresAt, o.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(at, action, type, email, clientKey, outcome, limit, deliveryCategory, replyCode,
        failure, messageId, invalidAddressReason, reason, note, attempts, elapsed, expiresAt);
  }
}
