package dev.mailverify.bench.latency;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback SMTP sink that answers every command after a fixed delay, like a slow provider
 * (QQ Mail answers in one to several seconds). It accepts any sender and recipient, swallows the
 * message and counts it. Listens on 127.0.0.1 only; one platform thread per connection.
 */
final class SlowSmtpSink implements AutoCloseable {
  private final ServerSocket server;
  private final long delayNanos;
  private final AtomicLong messages = new AtomicLong();
  private volatile boolean closed;

  SlowSmtpSink(long delayMillis) throws IOException {
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "slow-sink-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  long messages() {
    return messages.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "slow-sink-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pause() {
    long end = System.nanoTime() + delayNanos;
    for (long left = delayNanos; left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private void serve(Socket s) {
    try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
        StandardCharsets.ISO_8859_1)); OutputStream out = s.getOutputStream()) {
      reply(out, "220 slow-sink ESMTP");
      String line;
      while ((line = in.readLine()) != null) {
        String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
        switch (cmd) {
          case "EHLO" -> reply(out, "250-slow-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 10485760");
          case "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 OK");
          case "DATA" -> {
            reply(out, "354 go ahead");
            String body;
            while ((body = in.readLine()) != null && !body.equals(".")) {
              // swallow the message
            }
            messages.incrementAndGet();
            reply(out, "250 OK queued");
          }
          case "QUIT" -> {
            reply(out, "221 bye");
            return;
          }
          default -> reply(out, "502 5.5.1 command not recognized"); // RFC 5321: a command this sink does not serve
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private void reply(OutputStream out, String text) throws IOException {
    pause();
    out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }
}
