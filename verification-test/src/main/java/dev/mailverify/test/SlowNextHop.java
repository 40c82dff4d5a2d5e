package dev.mailverify.test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A slow next hop on 127.0.0.1 for crash tests: it takes a mail's wire bytes over TCP (a 4-byte
 * length, then the bytes), holds them for a fixed delay, records them and answers one byte. The
 * delay is the server's, like a slow SMTP server's DATA reply; nothing in a test waits on it.
 * {@link HopTransport} is its client. Records survive the death of any client process.
 */
public final class SlowNextHop implements AutoCloseable {
  private static final Pattern HEADER = Pattern.compile("(?im)^(Message-ID|To|Date): *(.*?)\\r?$");
  private static final Pattern CODE = Pattern.compile("\\n {4}([0-9A-Za-z]{4,10})\\r?\\n");

  /** One mail as the hop received it. */
  public record Arrival(Instant at, String to, String messageId, String date, String code) {}

  private final ServerSocket server;
  private final long delayNanos;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "slow-next-hop");
    t.setDaemon(true);
    return t;
  });
  private final List<Arrival> arrivals = new ArrayList<>();

  /**
   * Starts the hop on a free port.
   *
   * @param delay how long each mail is held before it is accepted
   * @throws IOException if no port can be bound
   */
  public SlowNextHop(Duration delay) throws IOException {
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.delayNanos = delay.toNanos();
    pool.execute(this::acceptLoop);
  }

  /**
   * Returns the port.
   *
   * @return the port on 127.0.0.1
   */
  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        pool.execute(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s; DataInputStream in = new DataInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
      while (true) {
        int n;
        try {
          n = in.readInt();
        } catch (IOException eof) {
          return;
        }
        byte[] mail = in.readNBytes(n);
        if (mail.length < n) {
          return; // the client died mid-mail: nothing accepted
        }
        LockSupport.parkNanos(delayNanos);
        record(mail);
        out.write('K');
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private void record(byte[] mail) {
    String text = new String(mail, StandardCharsets.US_ASCII);
    String to = "";
    String messageId = "";
    String date = "";
    Matcher m = HEADER.matcher(text.substring(0, Math.max(0, text.indexOf("\r\n\r\n"))));
    while (m.find()) {
      switch (m.group(1).toLowerCase(java.util.Locale.ROOT)) {
        case "to" -> to = m.group(2).trim();
        case "message-id" -> messageId = m.group(2).trim();
        default -> date = m.group(2).trim();
      }
    }
    Matcher c = CODE.matcher(text);
    Arrival a = new Arrival(Clock.systemUTC().instant(), to, messageId, date, c.find() ? c.group(1) : "");
    synchronized (arrivals) {
      arrivals.add(a);
      arrivals.notifyAll();
    }
  }

  /**
   * Returns every mail accepted so far, in order.
   *
   * @return a copy
   */
  public List<Arrival> arrivals() {
    synchronized (arrivals) {
      return new ArrayList<>(arrivals);
    }
  }

  /**
   * Waits until at least {@code n} mails were accepted.
   *
   * @param n how many
   * @param timeout the longest wait
   * @return the arrivals then
   * @throws InterruptedException if interrupted
   * @throws AssertionError if fewer arrived within the timeout
   */
  public List<Arrival> awaitArrivals(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (arrivals) {
      while (arrivals.size() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(arrivals.size() + " of " + n + " mails arrived within " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(arrivals, left);
      }
      return new ArrayList<>(arrivals);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    pool.shutdownNow();
  }
}
