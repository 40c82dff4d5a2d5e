package dev.mailverify.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback proxy to test store outages (C29): it listens on 127.0.0.1, on the same port for its
 * whole life, and forwards every connection to a server on 127.0.0.1 (Redis, a database), until a
 * test breaks the path in one of three ways:
 *
 * <ul>
 *   <li>{@link #pause()}: connections stay open and every byte is held until {@link #resume()}, so
 *       the server seems to hang and calls time out;
 *   <li>{@link #blackHole()}: connections stay open, nothing is forwarded either way (the bytes are
 *       dropped) and new connections are accepted and never answered, as when a network path drops
 *       packets;
 *   <li>{@link #refuse()}: the listening socket and every connection are closed, so new
 *       connections are refused.
 * </ul>
 *
 * <p>{@link #restore()} undoes any of them as a restarted server would: it closes every connection
 * and forwards new ones again. Thread-safe.
 *
 * <pre>{@code
 * try (TcpProxy proxy = new TcpProxy(6379)) {
 *   RedisCodeStore store = RedisCodeStore.builder("redis://127.0.0.1:" + proxy.port()).build();
 *   proxy.refuse();
 *   assertThrows(StoreUnavailableException.class, () -> store.invalidate(key));
 *   proxy.restore();
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 2000;

  private final int targetPort;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;
  private volatile boolean blackHole;
  private boolean paused;

  /**
   * Starts a proxy on a free port of 127.0.0.1 that forwards to {@code targetPort} on 127.0.0.1.
   *
   * @param targetPort the server's port on 127.0.0.1
   * @throws IOException if no port can be bound
   */
  public TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.port = s.getLocalPort();
    listen(s);
  }

  /**
   * Returns the port the proxy listens on, on 127.0.0.1.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /** Holds every byte in both directions: connections stay open but the server seems not to answer. */
  public synchronized void pause() {
    paused = true;
  }

  /** Forwards again after {@link #pause()}, held bytes included. */
  public synchronized void resume() {
    paused = false;
    notifyAll();
  }

  /**
   * Drops every byte in both directions and leaves new connections unanswered, until
   * {@link #restore()}.
   */
  public void blackHole() {
    blackHole = true;
  }

  /**
   * Closes the listening socket and every connection: new connections are refused until
   * {@link #restore()}.
   *
   * @throws IOException if the listening socket cannot be closed
   */
  public void refuse() throws IOException {
    server.close();
    closeConnections();
  }

  /**
   * Ends a pause, black hole or refusal as a restarted server would: closes every connection,
   * listens again on the same port if it was refusing, and forwards new connections.
   *
   * @throws IOException if the port cannot be bound again
   */
  public void restore() throws IOException {
    closeConnections();
    blackHole = false;
    resume();
    if (server.isClosed()) {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      listen(s);
    }
  }

  private void listen(ServerSocket s) {
    server = s;
    Thread acceptor = new Thread(() -> accept(s), "tcp-proxy-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      Socket client;
      try {
        client = s.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(client);
      if (blackHole) {
        continue; // accepted, never answered
      }
      try {
        Socket upstream = new Socket();
        sockets.add(upstream);
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), CONNECT_TIMEOUT_MILLIS);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        closeQuietly(client); // the server refused: so does the proxy
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          awaitNotPaused();
          if (!blackHole) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // one side closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tcp-proxy-pump-" + port);
    t.setDaemon(true);
    t.start();
  }

  private synchronized void awaitNotPaused() throws InterruptedException {
    while (paused) {
      wait();
    }
  }

  private void closeConnections() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /**
   * Stops the proxy: closes the listening socket and every connection.
   *
   * @throws IOException if the listening socket cannot be closed
   */
  @Override
  public void close() throws IOException {
    resume();
    refuse();
  }
}
