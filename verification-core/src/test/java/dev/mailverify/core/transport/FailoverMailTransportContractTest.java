package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.test.MailTransportContract;

/**
 * The failover transport passes the transport kit with a primary route that refuses every
 * connection, so every mail fails over to the backup; it fails when both routes refuse.
 */
class FailoverMailTransportContractTest extends MailTransportContract {
  private final InMemoryOutbox backup = MailTransport.inMemory();

  @Override
  protected MailTransport createTransport() {
    return FailoverMailTransport.builder(RefusingOutbox.refusing(DeliveryException.Category.CONNECTION_REFUSED), backup)
        .build();
  }

  @Override
  protected boolean received(EmailMessage message) {
    return backup.messages().contains(message);
  }

  @Override
  protected MailTransport createFailingTransport() {
    return FailoverMailTransport.builder(RefusingOutbox.refusing(DeliveryException.Category.CONNECTION_REFUSED),
        RefusingOutbox.refusing(DeliveryException.Category.AUTHENTICATION)).build();
  }
}
