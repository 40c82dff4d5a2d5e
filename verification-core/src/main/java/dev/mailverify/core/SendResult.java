package dev.mailverify.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link VerificationCodeService#sendVerificationCode}: one of four records a
 * caller can switch on. None of them carries the code.
 *
 * <pre>{@code
 * SendResult result = service.sendVerificationCode("user@example.com", VerificationType.REGISTER,
 *     Duration.ofMinutes(10));
 * if (result instanceof SendResult.Sent sent) {
 *   // 200, the code expires at sent.expiresAt(); sent.suggestion(): "did you mean ...?"
 * } else if (result instanceof SendResult.RateLimited limited) {
 *   // 429 with Retry-After: limited.retryAfter().toSeconds()
 * } else if (result instanceof SendResult.InvalidAddress invalid) {
 *   // 400: invalid.reason() (an InvalidAddressReason), invalid.message(), invalid.suggestion()
 * } else if (result instanceof SendResult.DeliveryFailed failed) {
 *   // 502/503: failed.category(), failed.cause().hint()
 * }
 * }</pre>
 */
public sealed interface SendResult
    permits SendResult.Sent, SendResult.RateLimited, SendResult.InvalidAddress, SendResult.DeliveryFailed {

  /**
   * Returns whether the mail was handed to the transport.
   *
   * @return {@code true} only for {@link Sent}
   */
  default boolean isSent() {
    return this instanceof Sent;
  }

  /**
   * The mail was handed to the transport and a code is pending. With a synchronous transport the
   * next hop (the SMTP server) has accepted it ({@link Delivery#ACCEPTED}); with an asynchronous one
   * it waits in the queue ({@link Delivery#QUEUED}) and its final outcome reaches the
   * {@link VerificationListener} and the audit log as a {@link VerificationEvent.Action#DELIVER}
   * event.
   *
   * <p>{@link #suggestion()} is the address the user probably meant when the domain looks like a
   * typo of a major provider's ({@code li@gmial.com}: {@code li@gmail.com}; see
   * {@link TypoSuggestions}). The mail went to the address as typed; the application can ask "did
   * you mean li@gmail.com?" next to the code field and send again to the address meant.
   *
   * <pre>{@code
   * if (result instanceof SendResult.Sent sent) {
   *   sent.suggestion().ifPresent(meant -> page.didYouMean(meant.address()));
   * }
   * }</pre>
   *
   * @param email the normalized address the code was sent to
   * @param type what the code is for
   * @param expiresAt when the code stops working
   * @param delivery whether the mail was accepted by the next hop or queued
   * @param suggestion the address probably meant, or empty
   */
  record Sent(EmailAddress email, VerificationType type, Instant expiresAt, Delivery delivery,
      Optional<EmailAddress> suggestion) implements SendResult {
    /**
     * Checks for nulls.
     *
     * @param email the normalized address the code was sent to
     * @param type what the code is for
     * @param expiresAt when the code stops working
     * @param delivery whether the mail was accepted by the next hop or queued
     * @param suggestion the address probably meant, or empty
     */
    public Sent {
      Objects.requireNonNull(email, "email");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(expiresAt, "expiresAt");
      Objects.requireNonNull(delivery, "delivery");
      Objects.requireNonNull(suggestion, "suggestion");
    }

    /**
     * A mail without a suggestion.
     *
     * @param email the normalized address the code was sent to
     * @param type what the code is for
     * @param expiresAt when the code stops working
     * @param delivery whether the mail was accepted by the next hop or queued
     */
    public Sent(EmailAddress email, VerificationType type, Instant expiresAt, Delivery delivery) {
      this(email, type, expiresAt, delivery, Optional.empty());
    }

    /**
     * A mail the next hop accepted.
     *
     * @param email the normalized address
     * @param type what the code is for
     * @param expiresAt when the code stops working
     */
    public Sent(EmailAddress email, VerificationType type, Instant expiresAt) {
      this(email, type, expiresAt, Delivery.ACCEPTED);
    }

    /**
     * Returns whether the mail is still waiting in an asynchronous transport's queue.
     *
     * @return {@code true} for {@link Delivery#QUEUED}
     */
    public boolean isQueued() {
      return delivery == Delivery.QUEUED;
    }
  }

  /** How far a {@link Sent} mail got before the call returned. */
  enum Delivery {
    /** The next hop (the SMTP server, the outbox, the console) accepted the mail. */
    ACCEPTED,
    /** The mail waits in an asynchronous transport's queue; the final outcome is reported later. */
    QUEUED
  }

  /**
   * A limit refused the send; nothing was sent and no code was issued (C10, C11).
   *
   * @param limit which limit refused it
   * @param retryAfter how long until the limit lets a send through
   */
  record RateLimited(Limit limit, Duration retryAfter) implements SendResult {
    /**
     * Checks for nulls and a negative wait.
     *
     * @param limit limit
     * @param retryAfter retryAfter
     */
    public RateLimited {
      Objects.requireNonNull(limit, "limit");
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative");
      }
    }

    /**
     * Returns the wait in whole seconds, rounded up, for an HTTP {@code Retry-After} header.
     *
     * @return at least 1
     */
    public long retryAfterSeconds() {
      long s = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
      return Math.max(1, s);
    }
  }

  /** Which limit refused a send. */
  enum Limit {
    /** The resend cooldown per address and type (C10). */
    COOLDOWN,
    /** The hourly cap per address and type (C11). */
    ADDRESS_QUOTA,
    /** The hourly cap per address across all types, the mail-bombing guard (C11). */
    ADDRESS_TOTAL_QUOTA,
    /** The hourly cap per client key (C11). */
    CLIENT_QUOTA,
    /** A custom quota named by the request (C11). */
    CUSTOM_QUOTA
  }

  /**
   * The address was refused before anything was stored or sent: by the syntax rules (C18, before
   * any I/O) or by a {@link dev.mailverify.core.spi.RecipientCheck} (a domain that does not exist or
   * takes no mail; C30).
   *
   * <pre>{@code
   * if (result instanceof SendResult.InvalidAddress invalid) {
   *   String text = switch (invalid.reason()) {
   *     case TOO_LONG -> messages.get("email.tooLong");
   *     case DOMAIN_NOT_FOUND, NO_MAIL_SERVER -> messages.get("email.domainTakesNoMail");
   *     case LIKELY_TYPO -> messages.get("email.didYouMean", invalid.suggestion().orElseThrow().address());
   *     default -> messages.get("email.invalid");
   *   };
   * }
   * }</pre>
   *
   * <p>{@link #suggestion()} is the address the user probably meant when the refused domain looks
   * like a typo of a major provider's ({@link TypoSuggestions}). A typo domain a recipient check
   * refused as disposable answers {@link InvalidAddressReason#LIKELY_TYPO} ("did you mean
   * li@gmail.com?"), not {@link InvalidAddressReason#DISPOSABLE_DOMAIN}: the typo list wins. Other
   * refusals keep their reason and carry the suggestion too ({@code gmail.con} is
   * {@link InvalidAddressReason#DOMAIN_NOT_FOUND} with {@code li@gmail.com}), so a form shows
   * "did you mean ...?" whenever a suggestion is present.
   *
   * @param reason which rule it broke, to switch on
   * @param message the same in English words; never echoes the input, except the suggested address
   *     when there is one ("did you mean li@gmail.com?")
   * @param suggestion the address probably meant, or empty
   */
  record InvalidAddress(InvalidAddressReason reason, String message, Optional<EmailAddress> suggestion)
      implements SendResult {
    /**
     * Checks for nulls.
     *
     * @param reason reason
     * @param message message
     * @param suggestion the address probably meant, or empty
     */
    public InvalidAddress {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(suggestion, "suggestion");
    }

    /**
     * A refusal without a suggestion.
     *
     * @param reason which rule it broke
     * @param message the same in English words; never echoes the input
     */
    public InvalidAddress(InvalidAddressReason reason, String message) {
      this(reason, message, Optional.empty());
    }
  }

  /**
   * The transport failed; the pending code was invalidated (C25), the cooldown was not started
   * and the send counts toward the hourly cap (C13).
   *
   * @param cause the transport's failure, with category, transience, reply code and hint
   */
  record DeliveryFailed(DeliveryException cause) implements SendResult {
    /**
     * Checks for null.
     *
     * @param cause the transport's failure, with category, transience, reply code and hint
     */
    public DeliveryFailed {
      Objects.requireNonNull(cause, "cause");
    }

    /**
     * Returns the failure's category.
     *
     * @return the category
     */
    public DeliveryException.Category category() {
      return cause.category();
    }

    /**
     * Returns whether retrying later may succeed.
     *
     * @return {@code true} for a transient failure
     */
    public boolean isTransient() {
      return cause.isTransient();
    }
  }
}
