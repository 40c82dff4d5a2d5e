package dev.mailverify.smtp;

import dev.mailverify.core.DeliveryException;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.jspecify.annotations.Nullable;

/**
 * The mail transactions of one connection to a server that offers RFC 2920 PIPELINING, and the
 * mails queued for it.
 *
 * <p><b>The wire.</b> A mail's envelope ({@code MAIL FROM}, {@code RCPT TO}, {@code DATA}, with
 * {@code RSET} in front after a failed transaction) goes out in one write, and its three replies
 * are read in order, each matched to its command. After {@code 354} the body and the final dot go
 * out; when another mail is queued on this connection, its envelope rides in the same write
 * (RFC 2920 section 3.1 lets the message content open a pipelined group), so in steady state a mail
 * costs one round trip: body + dot + next envelope out, four replies back.
 *
 * <p><b>Who does the I/O.</b> Each caller drives its own mail (the "baton"): the thread holding the
 * connection writes its body, reads its final reply, then hands the connection to the mail whose
 * envelope it wrote, or to the next one waiting, or gives it back to the pool. No thread carries
 * another's mail for longer than its own, and every wait is a socket read bounded by the read
 * timeout or a write bounded by the write timeout.
 *
 * <p><b>Failures</b> come back as what Angus throws for the same reply ({@link SMTPSendFailedException}
 * for MAIL, DATA and the final dot, {@link SendFailedException} with an {@link SMTPAddressFailedException}
 * for RCPT, {@link MessagingException} with the {@link IOException} for a broken socket), so that
 * {@link FailureClassifier} classifies both paths alike (C24).
 */
final class Pipeline {
  /** The most mails that may wait for one connection. */
  static final int MAX_WAITING = 64;

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] DOT = {'.', '\r', '\n'};

  private final SmtpConnection smtp;
  private final Socket socket;
  private final OutputStream out;
  private final ScheduledExecutorService timer;
  private final long writeTimeoutMillis;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Mail> waiting = new ArrayDeque<>(); // guarded by lock
  private boolean lent = true; // guarded by lock; a new connection is born lent
  private boolean dead; // guarded by lock
  private boolean needsRset; // only touched by the thread holding the baton
  private byte[] buffer = new byte[8192];
  private int length;

  Pipeline(SmtpConnection smtp, Socket socket, ScheduledExecutorService timer, Duration writeTimeout)
      throws IOException {
    this.smtp = smtp;
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.timer = timer;
    this.writeTimeoutMillis = Math.max(1, writeTimeout.toMillis());
  }

  /** Whether the server advertised PIPELINING in its (last, post-TLS) EHLO reply. */
  static boolean offeredBy(SmtpConnection smtp) {
    return smtp.supportsExtension("PIPELINING");
  }

  // ---- the queue ------------------------------------------------------------------------------

  /** Queues a mail behind the one in flight; false when this connection is not lent, dead or full. */
  boolean join(Mail mail) {
    lock.lock();
    try {
      if (!lent || dead || waiting.size() >= MAX_WAITING) {
        return false;
      }
      waiting.addLast(mail);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Mails waiting now (for choosing the least loaded connection). */
  int waitingCount() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  boolean joinable() {
    lock.lock();
    try {
      return lent && !dead && waiting.size() < MAX_WAITING;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the next waiting mail that has not given up, for the driver to carry next. */
  private @Nullable Mail pollWaiting() {
    lock.lock();
    try {
      Mail m;
      while ((m = waiting.pollFirst()) != null) {
        if (m.claim()) {
          return m;
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Called by the driver when done with its mail: returns the next waiting mail (claimed), or
   * {@code null} after marking the connection not lent, so the caller gives it back to the pool.
   */
  @Nullable Mail nextOrRelease() {
    lock.lock();
    try {
      Mail m = pollWaiting();
      if (m == null) {
        lent = false;
      }
      return m;
    } finally {
      lock.unlock();
    }
  }

  /** Marks the connection as lent again (borrowed from the pool's idle list). */
  void lend() {
    lock.lock();
    try {
      lent = true;
    } finally {
      lock.unlock();
    }
  }

  /** Marks the connection dead and returns the mails that were waiting (claimed), for a retry elsewhere. */
  List<Mail> kill() {
    lock.lock();
    try {
      dead = true;
      List<Mail> all = new ArrayList<>();
      Mail m;
      while ((m = pollWaiting()) != null) {
        all.add(m);
      }
      return all;
    } finally {
      lock.unlock();
    }
  }

  /** Removes a mail that gave up waiting; false when a driver had already claimed it. */
  boolean leave(Mail mail) {
    lock.lock();
    try {
      return waiting.remove(mail) && mail.cancel();
    } finally {
      lock.unlock();
    }
  }

  // ---- the wire -------------------------------------------------------------------------------

  /**
   * Carries one mail: writes its envelope (unless the previous driver already did), reads the
   * envelope's replies, writes body and dot (with the next waiting mail's envelope behind them), and
   * reads the final reply. Never throws for a protocol or I/O failure: it is in the result.
   *
   * @param envelopeSent whether the previous driver wrote this mail's envelope
   */
  Carried carry(Mail mail, boolean envelopeSent) {
    @Nullable Mail next = null;
    try {
      if (!envelopeSent) {
        envelope(mail);
        flush();
      }
      Envelope e = readEnvelope(mail);
      if (e.failure != null) {
        if (e.dataOpen && !e.dead) {
          // the server opened DATA although the envelope failed (RFC 2920 allows it to refuse
          // DATA instead, as Postfix does): end the empty message, whatever it answers
          append(DOT);
          flush();
          int code = smtp.readReply();
          if (code < 0 || code == 421) {
            return new Carried(e.failure, e.code, null, true);
          }
        }
        needsRset = true;
        return new Carried(e.failure, e.code, null, e.dead);
      }
      mail.transmitted = true;
      body(mail.bytes);
      next = pollWaiting();
      if (next != null) {
        envelope(next);
      }
      flush();
      int code = smtp.readReply();
      if (code == 250) {
        return new Carried(null, code, next, false);
      }
      SMTPSendFailedException failure = new SMTPSendFailedException(".", code, smtp.lastReply(), null,
          null, null, null);
      return new Carried(failure, code, next, code < 0 || code == 421);
    } catch (MessagingException | IOException | RuntimeException e) {
      return new Carried(e instanceof IOException ? new MessagingException("Can't send command to SMTP host", e) : e,
          -1, next, true);
    }
  }

  private void envelope(Mail mail) {
    if (needsRset) {
      append("RSET");
      mail.rsetSent = true;
      needsRset = false;
    }
    append(mail.mailCommand);
    append(mail.rcptCommand);
    append("DATA");
  }

  /** Reads the replies to RSET (if sent), MAIL, RCPT and DATA, each matched to its command. */
  private Envelope readEnvelope(Mail mail) throws MessagingException {
    @Nullable Exception failure = null;
    int failedCode = -1;
    if (mail.rsetSent) {
      int code = smtp.readReply();
      if (code < 0 || code == 421) {
        failure = new SMTPSendFailedException("RSET", code, smtp.lastReply(), null, null, null, null);
        failedCode = code;
      }
    }
    int mailCode = smtp.readReply();
    if (mailCode != 250 && failure == null) {
      failure = new SMTPSendFailedException(mail.mailCommand, mailCode, smtp.lastReply(), null, null, null, null);
      failedCode = mailCode;
    }
    int rcptCode = smtp.readReply();
    if (rcptCode != 250 && rcptCode != 251 && failure == null) {
      // as Angus reports it with sendpartial off: "Invalid Addresses", the reply on the next exception
      SMTPAddressFailedException address = new SMTPAddressFailedException(mail.recipient, mail.rcptCommand,
          rcptCode, smtp.lastReply());
      boolean permanent = rcptCode >= 500;
      Address[] none = new Address[0];
      Address[] it = {mail.recipient};
      failure = new SendFailedException("Invalid Addresses", address, none, permanent ? none : it,
          permanent ? it : none);
      failedCode = rcptCode;
    }
    int dataCode = smtp.readReply();
    if (dataCode != 354 && failure == null) {
      failure = new SMTPSendFailedException("DATA", dataCode, smtp.lastReply(), null, null, null, null);
      failedCode = dataCode;
    }
    boolean dead = failedCode == 421 || dataCode < 0 || dataCode == 421;
    return new Envelope(failure, failedCode, dataCode == 354, dead);
  }

  private void append(String command) {
    byte[] b = command.getBytes(StandardCharsets.US_ASCII); // C18: envelope addresses are ASCII
    ensure(b.length + 2);
    System.arraycopy(b, 0, buffer, length, b.length);
    length += b.length;
    append(CRLF);
  }

  private void append(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buffer, length, b.length);
    length += b.length;
  }

  /**
   * Appends the message as DATA carries it: every line end CRLF (a bare CR or LF becomes one, as
   * Angus's {@code SMTPOutputStream} does), a dot at the start of a line doubled (RFC 5321
   * 4.5.2), a line end added if the message lacks one, then the final dot.
   */
  private void body(byte[] bytes) {
    ensure(bytes.length + bytes.length / 32 + 8);
    boolean lineStart = true;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (length + 4 > buffer.length) {
        ensure(4 + (bytes.length - i) * 2);
      }
      if (b == '\r' || b == '\n') {
        buffer[length++] = '\r';
        buffer[length++] = '\n';
        if (b == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
          i++;
        }
        lineStart = true;
        continue;
      }
      if (lineStart && b == '.') {
        buffer[length++] = '.';
      }
      buffer[length++] = b;
      lineStart = false;
    }
    if (!lineStart) {
      append(CRLF);
    }
    append(DOT);
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }

  /** Writes what was appended in one write, bounded by the write timeout (C23). */
  private void flush() throws IOException {
    ScheduledFuture<?> watchdog = timer.schedule(this::abort, writeTimeoutMillis, TimeUnit.MILLISECONDS);
    try {
      out.write(buffer, 0, length);
      out.flush();
    } catch (IOException e) {
      if (watchdog.isDone()) {
        throw new java.net.SocketTimeoutException("write timed out after " + writeTimeoutMillis + " ms");
      }
      throw e;
    } finally {
      watchdog.cancel(false);
      length = 0;
      if (buffer.length > 1 << 20) {
        buffer = new byte[8192]; // do not keep a huge message's buffer for the connection's life
      }
    }
  }

  /** The write watchdog: a write that did not finish in time closes the socket, which ends it. */
  private void abort() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  // ---- values ---------------------------------------------------------------------------------

  /** The envelope's replies: the first failure (Angus-shaped) and what it left. */
  private record Envelope(@Nullable Exception failure, int code, boolean dataOpen, boolean dead) {}

  /**
   * What became of a carried mail.
   *
   * @param failure Angus-shaped failure, or null when the server accepted the mail
   * @param code the reply code of the failure, or -1
   * @param next the mail whose envelope was written behind this one, now the driver's to hand on
   * @param dead whether the connection is unusable (421, end of stream, I/O error)
   */
  record Carried(@Nullable Exception failure, int code, @Nullable Mail next, boolean dead) {}

  /**
   * One mail on its way over a pipelining connection: the envelope commands (as Angus writes
   * them: {@code MAIL FROM:<a>}, {@code RCPT TO:<b>}), the bytes, and the hand-off between the
   * thread that queued it and the thread that drives the connection.
   */
  static final class Mail {
    private static final int WAITING = 0;
    private static final int CLAIMED = 1;
    private static final int CANCELLED = 2;

    final String mailCommand;
    final String rcptCommand;
    final InternetAddress recipient;
    final byte[] bytes;
    boolean rsetSent;
    volatile boolean transmitted;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final CountDownLatch decided = new CountDownLatch(1);
    private volatile @Nullable Turn turn;

    Mail(MimeMessages.Prepared mime) {
      InternetAddress from = (InternetAddress) mime.getFrom()[0];
      this.recipient = (InternetAddress) mime.getAllRecipients()[0];
      this.mailCommand = "MAIL FROM:<" + from.getAddress() + ">";
      this.rcptCommand = "RCPT TO:<" + recipient.getAddress() + ">";
      this.bytes = mime.bytes();
    }

    /** A fresh copy for another attempt (a new queue entry, the same bytes). */
    Mail again() {
      return new Mail(this);
    }

    private Mail(Mail m) {
      this.mailCommand = m.mailCommand;
      this.rcptCommand = m.rcptCommand;
      this.recipient = m.recipient;
      this.bytes = m.bytes;
    }

    boolean claim() {
      return state.compareAndSet(WAITING, CLAIMED);
    }

    boolean cancel() {
      return state.compareAndSet(WAITING, CANCELLED);
    }

    /** Hands the mail its outcome or the connection; called once, by the thread that claimed it. */
    void decide(Turn value) {
      this.turn = value;
      decided.countDown();
    }

    /** Waits for {@link #decide}; null when the wait ran out. */
    @Nullable Turn await(Duration bound) throws InterruptedException {
      return decided.await(bound.toNanos(), TimeUnit.NANOSECONDS) ? turn : null;
    }

    /**
     * Waits (bounded) for {@link #decide} after a claim, which a driver follows at once; null when
     * it did not (the driver died of an error): this mail's body was never written, since only its
     * own thread writes it, so the caller may report it as not sent.
     */
    @Nullable Turn awaitClaimed(Duration bound) throws InterruptedException {
      return decided.await(bound.toNanos(), TimeUnit.NANOSECONDS) ? turn : null;
    }
  }

  /**
   * What a waiting mail is told: drive the connection (with its envelope already written or not),
   * try again elsewhere, or fail.
   *
   * @param connection the connection to drive, or null
   * @param envelopeSent whether this mail's envelope is already on the wire
   * @param failure the failure, or null
   */
  record Turn(ConnectionPool.@Nullable Connection connection, boolean envelopeSent,
      @Nullable DeliveryException failure) {
    static Turn drive(ConnectionPool.Connection c, boolean envelopeSent) {
      return new Turn(c, envelopeSent, null);
    }

    static Turn retry() {
      return new Turn(null, false, null);
    }

    static Turn fail(DeliveryException e) {
      return new Turn(null, false, e);
    }
  }
}
