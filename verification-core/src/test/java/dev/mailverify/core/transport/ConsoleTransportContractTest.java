package dev.mailverify.core.transport;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.test.MailTransportContract;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The console transport passes the transport kit. Printing cannot be refused, so the kit's
 * failure tests are skipped for it.
 */
class ConsoleTransportContractTest extends MailTransportContract {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @Override
  protected MailTransport createTransport() {
    return ConsoleTransport.to(new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @Override
  protected boolean received(EmailMessage message) {
    synchronized (printed) {
      return printed.toString(StandardCharsets.UTF_8).contains("Subject: " + message.subject());
    }
  }
}
