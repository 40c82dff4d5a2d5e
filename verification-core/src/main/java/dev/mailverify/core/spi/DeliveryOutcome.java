package dev.mailverify.core.spi;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryReceipt;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The final outcome of a mail that this instance finished on behalf of another one: it was taken
 * over from a durable {@link MailOutbox} after the instance that accepted it stopped (C31). The
 * verification service receives these through
 * {@link dev.mailverify.core.MailTransport#adoptOutcomes(java.util.function.Consumer)} and treats them
 * like its own: a DELIVER event for its listeners, and on a failure the code is invalidated (C25).
 *
 * <p>Exactly one of {@code receipt} and {@code failure} is set.
 *
 * @param entry the mail and what its sender knew about it; not null
 * @param receipt the next hop accepted the mail, or {@code null}
 * @param failure why it finally failed, or {@code null}
 */
public record DeliveryOutcome(OutboxEntry entry, @Nullable DeliveryReceipt receipt,
    @Nullable DeliveryException failure) {

  /**
   * Checks that exactly one of receipt and failure is set.
   *
   * @param entry the mail; not null
   * @param receipt the receipt, or {@code null}
   * @param failure the failure, or {@code null}
   * @throws IllegalArgumentException if both or neither are set
   */
  public DeliveryOutcome {
    Objects.requireNonNull(entry, "entry");
    if ((receipt == null) == (failure == null)) {
      throw new IllegalArgumentException("exactly one of receipt and failure must be set");
    }
  }
}
