package dev.mailverify.core;

/**
 * Thrown by {@link EmailAddress#parse(String)} and {@link Mailbox#parse(String)} when a string is
 * not an address mailverify will send to (contract C18). The service never throws it: it answers
 * {@link SendResult.InvalidAddress} instead.
 *
 * <p>The message names the rule that failed but never echoes the input, so it is safe to log.
 */
public final class InvalidAddressException extends MailVerifyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param reason which rule the address broke, for example {@code "local part longer than 64"}
   */
  public InvalidAddressException(String reason) {
    super(reason);
  }

  /**
   * Returns which rule the address broke.
   *
   * @return the reason, never {@code null}
   */
  public String reason() {
    return getMessage();
  }
}
