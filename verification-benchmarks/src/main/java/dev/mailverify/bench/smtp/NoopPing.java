package dev.mailverify.bench.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;

/**
 * Measures the round-trip time to an SMTP endpoint the way an SMTP client feels it: one
 * {@code NOOP} and its {@code 250}, timed, on a connection past its greeting and {@code EHLO}. The
 * distance benchmark runs it through the {@link DelayProxy} in the same run as the contenders, so
 * the added time in the report is measured, not assumed.
 */
final class NoopPing {
  private NoopPing() {}

  /**
   * Pings an endpoint.
   *
   * @param endpoint where (TLS endpoints are pinged over TLS)
   * @param count how many NOOPs to time, at least 1
   * @return the median round trip in nanoseconds
   * @throws IOException if the endpoint cannot be reached or answers badly
   */
  static long medianNanos(SmtpEndpoint endpoint, int count) throws IOException {
    Socket plain = new Socket();
    plain.setTcpNoDelay(true);
    plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 10_000);
    plain.setSoTimeout(30_000);
    Socket s = plain;
    if (endpoint.security() == SmtpEndpoint.Security.IMPLICIT_TLS) {
      SSLSocket tls = (SSLSocket) endpoint.sslContext().getSocketFactory()
          .createSocket(plain, endpoint.host(), endpoint.port(), true);
      tls.startHandshake();
      s = tls;
    }
    try (Socket socket = s) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      reply(in, "220");
      command(out, "EHLO ping.localhost");
      reply(in, "250");
      long[] times = new long[Math.max(1, count)];
      for (int i = 0; i < times.length; i++) {
        long t0 = System.nanoTime();
        command(out, "NOOP");
        reply(in, "250");
        times[i] = System.nanoTime() - t0;
      }
      command(out, "QUIT");
      Arrays.sort(times);
      return times[times.length / 2];
    }
  }

  private static void command(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads one (multi-line) reply and checks its code. */
  private static void reply(BufferedReader in, String code) throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("the server closed the connection");
      }
      if (!line.startsWith(code)) {
        throw new IOException("expected " + code + ", got: " + line);
      }
    } while (line.length() > 3 && line.charAt(3) == '-');
  }
}
