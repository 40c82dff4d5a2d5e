package dev.mailverify.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.net.Socket;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jspecify.annotations.Nullable;

/**
 * Angus's {@link SMTPTransport} with two things a pipelining sender needs: the socket that carries
 * the session (the TLS socket after STARTTLS), captured from this transport's socket factories
 * while it connects, and Angus's own reply reader, so that every reply, pipelined or not, is read
 * from the same buffer and leaves {@link #getLastReturnCode()} and {@link #getLastServerResponse()}
 * as Angus would.
 *
 * <p>Angus keeps connect, STARTTLS, EHLO and AUTH; {@link Pipeline} writes the mail transactions
 * of a server that offers PIPELINING straight to {@link #socket()}. Between commands Angus's own
 * output buffer is always flushed (it flushes after each command), so the two writers never
 * interleave bytes.
 */
final class SmtpConnection extends SMTPTransport {
  private @Nullable Socket socket;

  SmtpConnection(Session session, URLName url) {
    super(session, url);
  }

  /** Records the socket the factories handed out last while this transport connected. */
  void socket(Socket value) {
    this.socket = value;
  }

  /**
   * Returns the socket the SMTP session runs on, or {@code null} when it was not seen (a socket
   * factory that is not ours); the transport then sends in lock-step through Angus.
   */
  @Nullable Socket socket() {
    return socket;
  }

  /**
   * Reads one (possibly multi-line) reply with Angus's reader.
   *
   * @return the reply code, or -1 at end of stream (the text is then {@code [EOF]})
   * @throws MessagingException when reading fails (Angus closes the connection first), with the
   *     {@link java.io.IOException} (a {@link java.net.SocketTimeoutException} for a timeout) as cause
   */
  synchronized int readReply() throws MessagingException {
    return readServerResponse();
  }

  /** The text of the last reply, scrubbed by the caller before it goes anywhere. */
  synchronized String lastReply() {
    String r = getLastServerResponse();
    return r == null ? "" : r;
  }
}
