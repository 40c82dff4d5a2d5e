package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.test.MailTransportContract;

/**
 * The asynchronous transport passes the transport kit over an in-memory outbox: it queues, its
 * stages complete, and a refusal by the next hop fails a stage after one attempt (the refusal is
 * permanent, so it is not retried).
 */
class AsyncMailTransportContractTest extends MailTransportContract {
  private final InMemoryOutbox outbox = MailTransport.inMemory();

  @Override
  protected MailTransport createTransport() {
    return MailTransport.async(outbox).workers(2).build();
  }

  @Override
  protected boolean received(EmailMessage message) {
    return outbox.messages().contains(message);
  }

  @Override
  protected MailTransport createFailingTransport() {
    return MailTransport.async(RefusingOutbox.refusing(DeliveryException.Category.RECIPIENT_REJECTED)).build();
  }
}
