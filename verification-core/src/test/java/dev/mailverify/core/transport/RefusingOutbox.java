package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;

/** Outboxes whose next hop refuses every mail, for the failure tests of the transport kit. */
final class RefusingOutbox {
  private RefusingOutbox() {}

  /**
   * Returns an outbox that fails its next 100 sends with the category, as a server would.
   *
   * @param category what the refusal looks like
   * @return the outbox
   */
  static InMemoryOutbox refusing(DeliveryException.Category category) {
    InMemoryOutbox outbox = MailTransport.inMemory();
    for (int i = 0; i < 100; i++) {
      outbox.failNext(new DeliveryException(category, category + " (refused by the test's next hop)", null));
    }
    return outbox;
  }
}
