package dev.mailverify.core.transport;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.test.MailTransportContract;

/**
 * The budgeted transport passes the transport kit within its budget; it fails when its account
 * refuses the login.
 */
class BudgetedMailTransportContractTest extends MailTransportContract {
  private final InMemoryOutbox outbox = MailTransport.inMemory();

  private static SenderBudget budget() {
    return SenderBudget.builder("noreply@example.com").perDay(1_000).perMinute(100).build();
  }

  @Override
  protected MailTransport createTransport() {
    return BudgetedMailTransport.builder(outbox, budget()).build();
  }

  @Override
  protected boolean received(EmailMessage message) {
    return outbox.messages().contains(message);
  }

  @Override
  protected MailTransport createFailingTransport() {
    return BudgetedMailTransport.builder(RefusingOutbox.refusing(DeliveryException.Category.AUTHENTICATION), budget())
        .build();
  }
}
