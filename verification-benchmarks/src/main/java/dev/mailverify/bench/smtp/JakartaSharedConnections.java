package dev.mailverify.bench.smtp;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Baseline for the distance benchmark: Jakarta Mail with {@code connections} connected transports,
 * each reused for mail after mail ({@code sendMessage}) and lent to one sending thread at a time,
 * so that more threads than connections share them as they share any other contender's pool.
 * Jakarta Mail as shipped: it does not pipeline (four round trips per mail). A connection is
 * connected once and reconnected after a failure, without {@code isConnected()} before each mail,
 * which on Angus costs a {@code NOOP} round trip.
 */
final class JakartaSharedConnections implements Contender {

  /** The name on the command line and in reports. */
  static final String NAME = "jakarta-reused";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Jakarta Mail, connections reused (sendMessage), each lent to one thread at a time";
  }

  @Override
  public MailTransport open(SmtpEndpoint endpoint, int connections) {
    return new Shared(endpoint, JakartaMail.session(endpoint), connections);
  }

  private static final class Shared implements MailTransport {
    private final SmtpEndpoint endpoint;
    private final Session session;
    private final BlockingQueue<Transport> free;
    private final List<Transport> all = new CopyOnWriteArrayList<>();
    private final java.util.Set<Transport> connected = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Shared(SmtpEndpoint endpoint, Session session, int connections) {
      this.endpoint = endpoint;
      this.session = session;
      this.free = new ArrayBlockingQueue<>(connections);
      try {
        for (int i = 0; i < connections; i++) {
          Transport t = session.getTransport();
          all.add(t);
          free.add(t);
        }
      } catch (MessagingException e) {
        throw JakartaMail.failure("opening", e);
      }
    }

    @Override
    public void send(EmailMessage message) {
      MimeMessage mime = JakartaMail.toMime(session, message);
      Transport t;
      try {
        t = free.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      try {
        // not isConnected(): on a connected SMTPTransport that sends a NOOP, a round trip per mail
        if (!connected.contains(t)) {
          t.connect();
          connected.add(t);
        }
        t.sendMessage(mime, mime.getAllRecipients());
      } catch (MessagingException e) {
        connected.remove(t); // connect again next time
        try {
          t.close();
        } catch (MessagingException ignored) {
          // it is being replaced
        }
        throw JakartaMail.failure("sending", e);
      } finally {
        free.add(t);
      }
    }

    @Override
    public void close() {
      for (Transport t : all) {
        try {
          t.close();
        } catch (MessagingException e) {
          System.err.println(NAME + ": closing a connection failed: " + e.getMessage());
        }
      }
    }

    @Override
    public String toString() {
      return NAME + "[" + endpoint + ", " + all.size() + " connections]";
    }
  }
}
