package dev.mailverify.smtp;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import java.util.List;
import java.util.Objects;

/** Fails every send because real mail was asked for without usable settings. */
final class UnconfiguredTransport implements MailTransport {
  private final List<String> missing;

  UnconfiguredTransport(List<String> missing) {
    this.missing = List.copyOf(missing);
  }

  @Override
  public void send(EmailMessage message) {
    Objects.requireNonNull(message, "message");
    throw DeliveryException.builder(DeliveryException.Category.CONFIGURATION,
            "USE_REAL_EMAIL=1 but SMTP is not configured"
                + (missing.isEmpty() ? "" : ": " + String.join(", ", missing) + " not set"))
        .hint("Set EMAIL_HOST, EMAIL_HOST_USER and EMAIL_HOST_PASSWORD (for QQ Mail the authorization code) in"
            + " the environment or .env, or unset USE_REAL_EMAIL to print mail to the console.")
        .build();
  }

  @Override
  public String toString() {
    return "UnconfiguredTransport" + missing;
  }
}
