package dev.mailverify.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One send, verify or redeem outcome, handed to every {@link VerificationListener} and written once
 * to the audit log (contract C17). It never holds a code or a token; {@link #toString()} masks the
 * address, while {@link #email()} gives the listener the real one for its own send log.
 *
 * @param at when it happened, by the service's clock
 * @param action send, verify or redeem
 * @param type the verification type
 * @param email the normalized address, or {@code null} if the input was not a valid address or a
 *     redeemed token was unknown
 * @param clientKey the request's client key, or {@code null}
 * @param outcome what happened
 * @param detail more about the outcome (the limit, the delivery category), or {@code null}
 */
public record VerificationEvent(
    Instant at,
    Action action,
    VerificationType type,
    @Nullable EmailAddress email,
    @Nullable String clientKey,
    Outcome outcome,
    @Nullable String detail) {

  /** Checks for nulls. */
  public VerificationEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** What the application asked for. */
  public enum Action {
    /** {@link VerificationCodeService#sendVerificationCode}. */
    SEND,
    /** {@link VerificationCodeService#verifyCode}. */
    VERIFY,
    /** {@link VerificationCodeService#redeemToken}. */
    REDEEM
  }

  /** What came of it. */
  public enum Outcome {
    /** A code was sent. */
    SENT,
    /** A limit refused the send. */
    RATE_LIMITED,
    /** The address was refused. */
    INVALID_ADDRESS,
    /** The transport failed. */
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

  /** Returns the event with the address masked. */
  @Override
  public String toString() {
    return "VerificationEvent[at=" + at + ", action=" + action + ", type=" + type + ", email="
        + (email == null ? "-" : email.masked()) + ", clientKey=" + clientKey + ", outcome=" + outcome
        + (detail == null ? "" : ", detail=" + detail) + "]";
  }
}
