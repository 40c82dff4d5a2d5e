package dev.mailverify.bench.smtp;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;

/**
 * Baseline: the static {@code Transport.send(message)} per mail, which opens a new connection,
 * says EHLO, sends, and quits, every time. What most applications do.
 */
final class JakartaPerMessage implements Contender {

  @Override
  public String name() {
    return "jakarta-per-message";
  }

  @Override
  public String description() {
    return "Jakarta Mail Transport.send(message): a new connection per mail";
  }

  @Override
  public MailTransport open(SmtpEndpoint endpoint, int concurrency) {
    Session session = JakartaMail.session(endpoint);
    return new MailTransport() {
      @Override
      public void send(EmailMessage message) {
        try {
          Transport.send(JakartaMail.toMime(session, message));
        } catch (MessagingException e) {
          throw JakartaMail.failure("sending", e);
        }
      }

      @Override
      public String toString() {
        return name() + "[" + endpoint + "]";
      }
    };
  }
}
