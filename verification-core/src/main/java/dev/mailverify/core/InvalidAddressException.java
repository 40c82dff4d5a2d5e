package dev.mailverify.core;

import java.util.Objects;

/**
 * Thrown by {@link EmailAddress#parse(String)} and {@link Mailbox#parse(String)} when a string is
 * not an address mailverify will send to (contract C18). The service never throws it: it answers
 * {@link SendResult.InvalidAddress} instead.
 *
 * <p>{@link #reason()} is the rule that failed, as a constant to switch on; the message says the
 * same in English words and never echoes the input, so it is safe to log. The one exception is a
 * builder refusing a configured sender ({@code from}): its message names the setting and quotes
 * the value, which is the application's own configuration, not a user's address.
 */
public final class InvalidAddressException extends MailVerifyException {
  private static final long serialVersionUID = 1L;

  /** The broken rule. */
  private final InvalidAddressReason reason;

  /**
   * Creates the exception.
   *
   * @param reason which rule the address broke; not null
   * @param message the same in words, for example {@code "local part longer than 64 characters"};
   *     must not contain the address
   */
  public InvalidAddressException(InvalidAddressReason reason, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Returns which rule the address broke.
   *
   * @return the reason, never {@code null}
   */
  public InvalidAddressReason reason() {
    return reason;
  }
}
