package dev.mailverify.core.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a sender knows about a mail beyond the mail itself, for a transport that may finish it on
 * another instance (a durable {@link MailOutbox}, C31): which pending code the mail carries, so a
 * permanent failure can invalidate it (C25) wherever it happens, who asked for it, and when.
 *
 * <p>The verification service passes one with every mail through
 * {@link dev.mailverify.core.MailTransport#sendAsync(EmailMessage, DeliveryContext)}; a transport
 * without a durable queue ignores it. {@link #toString()} masks the address (C16).
 *
 * @param codeKey the pending code the mail carries (type and normalized address), or {@code null}
 *     for a mail that carries none
 * @param clientKey the client key of the request (such as the caller's IP), or {@code null}
 * @param queuedAt when the mail was handed to the transport; not null
 */
public record DeliveryContext(@Nullable CodeKey codeKey, @Nullable String clientKey, Instant queuedAt) {

  /**
   * Checks the parts.
   *
   * @param codeKey the pending code the mail carries, or {@code null}
   * @param clientKey the client key, or {@code null}
   * @param queuedAt when the mail was handed over; not null
   */
  public DeliveryContext {
    Objects.requireNonNull(queuedAt, "queuedAt");
  }

  /**
   * Returns a context for a mail that carries no code, handed over at {@code queuedAt}.
   *
   * @param queuedAt when the mail was handed over; not null
   * @return the context
   */
  public static DeliveryContext of(Instant queuedAt) {
    return new DeliveryContext(null, null, queuedAt);
  }
}
