package dev.mailverify.bench.smtp;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Baseline: one connected {@link Transport} per sending thread, kept open and reused for every
 * mail ({@code sendMessage}), reconnected only if the server dropped it. The usual first
 * optimization, with Jakarta Mail as shipped.
 */
final class JakartaReusedConnection implements Contender {

  @Override
  public String name() {
    return "jakarta-reused";
  }

  @Override
  public String description() {
    return "Jakarta Mail, one connection per thread, reused (sendMessage)";
  }

  @Override
  public MailTransport open(SmtpEndpoint endpoint, int concurrency) {
    return new Reused(endpoint, JakartaMail.session(endpoint));
  }

  private final class Reused implements MailTransport {
    private final SmtpEndpoint endpoint;
    private final Session session;
    private final List<Transport> opened = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Transport> connection = new ThreadLocal<>();

    Reused(SmtpEndpoint endpoint, Session session) {
      this.endpoint = endpoint;
      this.session = session;
    }

    @Override
    public void send(EmailMessage message) {
      MimeMessage mime = JakartaMail.toMime(session, message);
      try {
        Transport t = connection.get();
        if (t == null || !t.isConnected()) {
          t = session.getTransport();
          t.connect();
          opened.add(t);
          connection.set(t);
        }
        t.sendMessage(mime, mime.getAllRecipients());
      } catch (MessagingException e) {
        throw JakartaMail.failure("sending", e);
      }
    }

    @Override
    public void close() {
      for (Transport t : opened) {
        try {
          t.close();
        } catch (MessagingException e) {
          System.err.println(name() + ": closing a connection failed: " + e.getMessage());
        }
      }
      opened.clear();
    }

    @Override
    public String toString() {
      return name() + "[" + endpoint + ", " + opened.size() + " connections]";
    }
  }
}
