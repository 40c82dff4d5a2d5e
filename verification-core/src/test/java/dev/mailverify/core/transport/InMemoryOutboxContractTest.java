package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.test.MailTransportContract;

/** The in-memory outbox passes the transport kit; {@code failNext} makes it refuse mail. */
class InMemoryOutboxContractTest extends MailTransportContract {
  private final InMemoryOutbox outbox = MailTransport.inMemory();

  @Override
  protected MailTransport createTransport() {
    return outbox;
  }

  @Override
  protected boolean received(EmailMessage message) {
    return outbox.messages().contains(message);
  }

  @Override
  protected MailTransport createFailingTransport() {
    return RefusingOutbox.refusing(DeliveryException.Category.RECIPIENT_REJECTED);
  }
}
