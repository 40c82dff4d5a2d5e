package dev.mailverify.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A plain-text SMTP server on 127.0.0.1 for the own-JVM demo test that holds every connection
 * before its greeting until {@link #release()}: while it holds, the demo's worker is busy and the
 * mail is certainly queued, so the test decides the order of events instead of racing the worker.
 * It accepts any AUTH and every message, and keeps each message's text.
 */
final class HeldSmtpServer implements AutoCloseable {
  private final ServerSocket socket;
  private final CountDownLatch released = new CountDownLatch(1);
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  HeldSmtpServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    acceptor = new Thread(this::acceptLoop, "held-smtp");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Lets every held and later connection go on. */
  void release() {
    released.countDown();
  }

  List<String> messages() {
    return messages;
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve(s), "held-smtp-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream()) {
      released.await();
      reply(out, "220 held.test ESMTP");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
        switch (verb) {
          case "EHLO" -> reply(out, "250-held.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
          case "HELO" -> reply(out, "250 held.test");
          case "AUTH" -> {
            String[] parts = line.split(" ");
            if (parts.length == 2 && parts[1].equalsIgnoreCase("PLAIN")) {
              reply(out, "334 ");
              in.readLine();
            } else if (parts[1].equalsIgnoreCase("LOGIN")) {
              reply(out, "334 VXNlcm5hbWU6");
              in.readLine();
              reply(out, "334 UGFzc3dvcmQ6");
              in.readLine();
            }
            reply(out, "235 2.7.0 accepted");
          }
          case "DATA" -> {
            reply(out, "354 go on");
            StringBuilder message = new StringBuilder();
            for (String l = in.readLine(); l != null && !l.equals("."); l = in.readLine()) {
              message.append(l).append('\n');
            }
            messages.add(message.toString());
            reply(out, "250 2.0.0 queued");
          }
          case "QUIT" -> {
            reply(out, "221 bye");
            return;
          }
          default -> reply(out, "250 ok"); // MAIL, RCPT, RSET, NOOP
        }
      }
    } catch (IOException e) {
      // the client went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    released.countDown();
    socket.close();
  }
}
