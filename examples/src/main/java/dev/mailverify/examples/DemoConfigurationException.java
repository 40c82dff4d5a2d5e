package dev.mailverify.examples;

import dev.mailverify.core.MailVerifyException;

/**
 * A demo setting ({@code STORE}, {@code MAILVERIFY_SECRET}, {@code CHECK_MX}, {@code DNS_SERVER},
 * {@code SEND_ASYNC}) that cannot be used. The message is one line that names the variable and
 * what it accepts, and never repeats the value (it may hold a password or the secret).
 */
final class DemoConfigurationException extends MailVerifyException {
  private static final long serialVersionUID = 1L;

  DemoConfigurationException(String message) {
    super(message);
  }
}
