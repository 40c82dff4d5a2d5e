package dev.mailverify.test;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.MimeWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client of {@link SlowNextHop}: writes each message's wire bytes ({@link MimeWriter}, so the
 * same message gives the same bytes and Message-ID on any instance) over a new connection and
 * waits for the hop's answer. A lost connection is a transient {@code CONNECTION_LOST}.
 */
public final class HopTransport implements MailTransport {
  private static final Mailbox FROM = new Mailbox("noreply@example.com", null);

  private final int port;
  private final AtomicInteger sent = new AtomicInteger();

  /**
   * Sends to the hop at 127.0.0.1.
   *
   * @param port the hop's port
   */
  public HopTransport(int port) {
    this.port = port;
  }

  /**
   * Returns how many mails the hop accepted from this transport.
   *
   * @return the count
   */
  public int sent() {
    return sent.get();
  }

  @Override
  public void send(EmailMessage message) {
    byte[] bytes = MimeWriter.write(message, FROM, ZonedDateTime.now(ZoneOffset.UTC));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      s.setSoTimeout(30_000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(bytes.length);
      out.write(bytes);
      out.flush();
      InputStream in = s.getInputStream();
      if (in.read() != 'K') {
        throw new IOException("the hop closed without an answer");
      }
      sent.incrementAndGet();
    } catch (IOException e) {
      throw new DeliveryException(DeliveryException.Category.CONNECTION_LOST, "next hop: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "HopTransport[127.0.0.1:" + port + "]";
  }
}
