package dev.mailverify.bench.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP forwarder on 127.0.0.1 that makes a loopback server look as far away as a real one: every
 * chunk of bytes is held for half the configured round-trip time in each direction, so that a
 * request and its reply cost one full round trip, as between an application and
 * {@code smtp.qq.com} or Gmail. Order and content are kept; the bandwidth is not limited.
 *
 * <p>Each direction of each connection has a reader thread (takes the bytes as they come, stamps
 * them with the time they may leave) and a writer thread (waits for that time, then writes), so a
 * large write is not serialised behind the delay of a small one. TLS passes through untouched (the
 * proxy sees only ciphertext), so handshakes pay their round trips too.
 *
 * <p>The delay is checked, not assumed: {@link NoopPing} measures it through the proxy in the same
 * run.
 */
public final class DelayProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final long oneWayNanos;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();

  /**
   * Starts a proxy.
   *
   * @param target where to forward (a loopback sink)
   * @param roundTrip the round-trip time to add, 0 to 10 s
   * @throws IOException if the listening socket cannot be opened
   * @throws IllegalArgumentException if the round trip is negative or above 10 s
   */
  public DelayProxy(InetSocketAddress target, Duration roundTrip) throws IOException {
    if (roundTrip.isNegative() || roundTrip.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("roundTrip must be 0 to 10 s, was " + roundTrip);
    }
    this.target = target;
    this.oneWayNanos = roundTrip.toNanos() / 2;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    Thread t = new Thread(this::accept, "delay-proxy-accept-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  /**
   * Returns the port clients connect to.
   *
   * @return the port on 127.0.0.1
   */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * Returns the round-trip time this proxy adds.
   *
   * @return twice the one-way delay
   */
  public Duration roundTrip() {
    return Duration.ofNanos(oneWayNanos * 2);
  }

  /**
   * Returns the connections accepted so far.
   *
   * @return the count
   */
  public int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        client.setTcpNoDelay(true);
        Socket upstream = new Socket();
        upstream.setTcpNoDelay(true);
        upstream.connect(target, 10_000);
        open.add(client);
        open.add(upstream);
        connections.incrementAndGet();
        pipe(client, upstream, "up");
        pipe(upstream, client, "down");
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
        System.err.println("delay proxy: " + e);
      }
    }
  }

  /** A chunk of bytes and the time it may be written. */
  private record Chunk(long due, byte[] bytes) {}

  private static final Chunk END = new Chunk(0, new byte[0]);

  private void pipe(Socket from, Socket to, String direction) {
    LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          queue.add(new Chunk(System.nanoTime() + oneWayNanos, Arrays.copyOf(buf, n)));
        }
      } catch (IOException e) {
        // the peer closed or reset
      } finally {
        queue.add(END);
      }
    }, "delay-proxy-" + direction + "-read");
    Thread writer = new Thread(() -> {
      try (OutputStream out = to.getOutputStream()) {
        while (true) {
          Chunk c = queue.take();
          if (c == END) {
            break;
          }
          long wait;
          while ((wait = c.due() - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          out.write(c.bytes());
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the peer closed
      } finally {
        closeQuietly(to);
        closeQuietly(from);
      }
    }, "delay-proxy-" + direction + "-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private void closeQuietly(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  @Override
  public String toString() {
    return "DelayProxy[:" + port() + " -> " + target.getPort() + ", +" + roundTrip().toMillis() + " ms RTT]";
  }
}
