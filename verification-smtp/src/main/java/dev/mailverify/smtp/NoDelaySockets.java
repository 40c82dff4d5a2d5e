package dev.mailverify.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories that turn Nagle's algorithm off ({@code TCP_NODELAY}) on every connection the
 * transport opens, plain, STARTTLS and implicit TLS alike. Jakarta Mail never sets it; with Nagle
 * on, a TLS handshake or a QUIT written behind unacknowledged data waits for the peer's delayed ACK
 * (about 40 ms on Linux), which made a new TLS connection take ~50 ms on loopback.
 *
 * <p>How Angus uses them ({@code SocketFetcher}): {@code mail.smtp.socketFactory} must be a plain
 * factory, whose {@link SocketFactory#createSocket()} makes the unconnected socket of a plain or
 * STARTTLS connection. For implicit TLS ({@code mail.smtp.ssl.enable}) Angus connects a plain
 * socket of its own and layers TLS over it with {@code mail.smtp.ssl.socketFactory}'s
 * {@link SSLSocketFactory#createSocket(Socket, String, int, boolean)}; STARTTLS layers the same way.
 * So the TLS factory sets {@code TCP_NODELAY} on the socket it is handed, the one that carries the
 * bytes. Everything about TLS itself (trust, protocols, the host name check Angus asks for) is the
 * wrapped factory's and Angus's, unchanged.
 */
final class NoDelaySockets {

  private NoDelaySockets() {}

  /**
   * A plain factory whose sockets have {@code TCP_NODELAY} on.
   *
   * @param opened told of every socket handed out (tests check what the transport really used)
   */
  static SocketFactory plain(Consumer<Socket> opened) {
    return new Plain(opened);
  }

  /**
   * A TLS factory that sets {@code TCP_NODELAY} on the socket under TLS and otherwise is the
   * factory {@code delegate} gives, asked for each socket (so the JDK's default is the one in force
   * when the connection is made, as when Angus picks it itself).
   *
   * @param opened told of every TLS socket handed out
   */
  static SSLSocketFactory tls(Supplier<SSLSocketFactory> delegate, Consumer<Socket> opened) {
    return new Tls(delegate, opened);
  }

  private static Socket noDelay(Socket socket, Consumer<Socket> opened) throws IOException {
    try {
      socket.setTcpNoDelay(true);
    } catch (IOException | RuntimeException e) {
      try {
        socket.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    opened.accept(socket);
    return socket;
  }

  private static final class Plain extends SocketFactory {
    private final Consumer<Socket> opened;

    Plain(Consumer<Socket> opened) {
      this.opened = opened;
    }

    @Override
    public Socket createSocket() throws IOException {
      return noDelay(new Socket(), opened);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return noDelay(new Socket(host, port), opened);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return noDelay(new Socket(host, port, localHost, localPort), opened);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return noDelay(new Socket(host, port), opened);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      return noDelay(new Socket(address, port, localAddress, localPort), opened);
    }

    @Override
    public String toString() {
      return "NoDelaySockets.plain";
    }
  }

  private static final class Tls extends SSLSocketFactory {
    private final Supplier<SSLSocketFactory> factory;
    private final Consumer<Socket> opened;

    Tls(Supplier<SSLSocketFactory> factory, Consumer<Socket> opened) {
      this.factory = factory;
      this.opened = opened;
    }

    @Override
    public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
      plain.setTcpNoDelay(true); // the socket that carries the bytes; a closed one fails here, as it would below
      return noDelay(factory.get().createSocket(plain, host, port, autoClose), opened);
    }

    @Override
    public Socket createSocket() throws IOException {
      return noDelay(factory.get().createSocket(), opened);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return noDelay(factory.get().createSocket(host, port), opened);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return noDelay(factory.get().createSocket(host, port, localHost, localPort), opened);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return noDelay(factory.get().createSocket(host, port), opened);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      return noDelay(factory.get().createSocket(address, port, localAddress, localPort), opened);
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return factory.get().getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return factory.get().getSupportedCipherSuites();
    }

    @Override
    public String toString() {
      return "NoDelaySockets.tls";
    }
  }
}
