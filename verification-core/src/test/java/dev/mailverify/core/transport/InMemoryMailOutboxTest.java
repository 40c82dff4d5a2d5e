package dev.mailverify.core.transport;

import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.test.InMemoryMailOutbox;
import dev.mailverify.test.MailOutboxContract;

/** The test fake passes the kit it stands in for. */
class InMemoryMailOutboxTest extends MailOutboxContract {
  @Override
  protected MailOutbox createOutbox() {
    return new InMemoryMailOutbox();
  }
}
