package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.test.MailTransportContract;

/**
 * The in-memory outbox passes the transport kit; {@code failNext} makes it refuse mail. This class
 * is the example in {@code MailTransportContract}'s Javadoc.
 */
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
    InMemoryOutbox refusing = MailTransport.inMemory();
    for (int i = 0; i < 100; i++) {
      refusing.failNext(new DeliveryException(DeliveryException.Category.RECIPIENT_REJECTED, "550 no such user", null));
    }
    return refusing;
  }
}
