package dev.mailverify.core;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a {@link dev.mailverify.core.spi.CodeStore} or
 * {@link dev.mailverify.core.spi.RateLimiter} cannot be reached or did not answer in time: Redis
 * stopped, the database restarting, a connection dropped mid-operation, a pool exhausted
 * (contract C29).
 *
 * <p>It is never a success that did not happen: when a send throws it, no mail was sent (the code
 * is stored before the mail leaves); when a verification throws it, the code was not consumed as
 * far as the caller can tell and the user may try again. Once the store answers again, the same
 * service works without a restart. A web controller maps it to 503.
 *
 * <p>The message names the store and what to check, never a code, token or password.
 */
public class StoreUnavailableException extends MailVerifyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and what to check, for example {@code "Redis at 127.0.0.1:6379 did
   *     not answer within 2000 ms (is it running?)"}; must not contain secrets
   * @param cause the driver's exception, or {@code null}
   */
  public StoreUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
