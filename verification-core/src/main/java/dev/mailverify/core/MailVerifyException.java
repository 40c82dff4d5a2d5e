package dev.mailverify.core;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception mailverify throws for an infrastructure or configuration failure.
 *
 * <p>Expected outcomes (a wrong code, a rate limit, a bad address) are never exceptions: they are
 * {@link SendResult} and {@link VerifyResult} values. Messages of this exception and its
 * subclasses never contain a password, a code or a token.
 */
public class MailVerifyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong, in words a person can act on; must not contain secrets
   * @param cause the underlying failure, or {@code null}
   */
  public MailVerifyException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception without a cause.
   *
   * @param message what went wrong; must not contain secrets
   */
  public MailVerifyException(String message) {
    super(message);
  }

  /**
   * Returns what went wrong, as given to the constructor.
   *
   * @return the message; never {@code null} (empty only if a caller passed {@code null} against
   *     the constructor's contract)
   */
  @Override
  public String getMessage() {
    String message = super.getMessage();
    return message == null ? "" : message;
  }
}
