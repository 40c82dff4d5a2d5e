package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryException.Category;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every connection the transport opens has Nagle's algorithm off (TCP_NODELAY), in each security
 * mode, checked on the sockets Jakarta Mail really talks over, while trust and identity checks stay
 * as they were.
 */
class TcpNoDelayTest {
  private static final String USER = FailureClassificationTest.USER;
  private static final String SECRET = FailureClassificationTest.SECRET;

  private static SmtpSettings.Builder settings(int port, SmtpSecurity security) {
    return SmtpSettings.builder().host("localhost").port(port).security(security).credentials(USER, SECRET)
        .trustedCertificates(security == SmtpSecurity.PLAIN ? java.util.List.of()
            : java.util.List.of(TestCertificates.localhost().certificate))
        .timeout(Duration.ofSeconds(5));
  }

  /** Sends one mail and returns the sockets the transport handed to Jakarta Mail, still open. */
  private static List<Socket> sendAndCollectSockets(SmtpSettings settings, FakeSmtpServer server) {
    List<Socket> sockets = new CopyOnWriteArrayList<>();
    try (SmtpTransport transport = SmtpTransport.create(settings, sockets::add)) {
      transport.send(FailureClassificationTest.message());
      assertThat(server.messages()).hasSize(1);
      assertThat(sockets).isNotEmpty().allSatisfy(s -> {
        assertThat(s.isConnected()).isTrue();
        assertThat(s.isClosed()).as("the pooled connection is still open").isFalse();
        try {
          assertThat(s.getTcpNoDelay()).as("TCP_NODELAY on %s", s).isTrue();
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      });
    }
    return sockets;
  }

  @Test
  @DisplayName("plain SMTP: the connection has TCP_NODELAY on")
  void plainConnectionHasNoDelay() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().auth(USER, SECRET).start()) {
      List<Socket> sockets = sendAndCollectSockets(settings(server.port(), SmtpSecurity.PLAIN).build(), server);
      assertThat(sockets).hasSize(1).noneMatch(s -> s instanceof SSLSocket);
    }
  }

  @Test
  @DisplayName("C22 STARTTLS: the plain socket and the TLS socket over it have TCP_NODELAY on; mail only inside TLS")
  void startTlsConnectionHasNoDelay() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, SECRET)
        .start()) {
      List<Socket> sockets = sendAndCollectSockets(settings(server.port(), SmtpSecurity.STARTTLS).build(), server);
      assertThat(sockets).hasSize(2);
      assertThat(sockets.get(1)).isInstanceOf(SSLSocket.class);
      assertThat(server.tlsCommands()).anyMatch(c -> c.startsWith("MAIL FROM"));
      assertThat(server.plainCommands()).allMatch(c -> c.startsWith("EHLO") || c.equals("STARTTLS"));
    }
  }

  @Test
  @DisplayName("C22 implicit TLS: the TLS socket has TCP_NODELAY on, with the identity checked")
  void implicitTlsConnectionHasNoDelay() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().implicitTls(TestCertificates.localhost())
        .auth(USER, SECRET).start()) {
      List<Socket> sockets = sendAndCollectSockets(settings(server.port(), SmtpSecurity.IMPLICIT_TLS).build(),
          server);
      assertThat(sockets).hasSize(1);
      SSLSocket tls = (SSLSocket) sockets.get(0);
      assertThat(tls.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("LDAPS");
      assertThat(tls.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
    }
  }

  @Test
  @DisplayName("C22 implicit TLS with a certificate for another host fails with TLS on one connection, never retried with the JDK's trust")
  void implicitTlsWrongHostFailsOnce() throws IOException {
    TestCertificates other = TestCertificates.otherHost();
    try (FakeSmtpServer server = FakeSmtpServer.builder().implicitTls(other).auth(USER, SECRET).start()) {
      DeliveryException e = FailureClassificationTest.sendExpectingFailure(
          settings(server.port(), SmtpSecurity.IMPLICIT_TLS).trustedCertificates(other.certificate).build());
      assertThat(e.category()).isEqualTo(Category.TLS);
      assertThat(e.hint()).isEqualTo(FailureClassifier.HOST_MISMATCH_HINT);
      assertThat(server.connections()).as("no second attempt through a fallback socket factory").isEqualTo(1);
      assertThat(server.saw("AUTH")).isFalse();
    }
  }

  @Test
  @DisplayName("the session uses the no-delay factories for every mode, without Jakarta Mail's fallback")
  void sessionProperties() {
    for (SmtpSecurity security : SmtpSecurity.values()) {
      try (SmtpTransport t = SmtpTransport.create(settings(2525, security).build())) {
        Properties p = t.sessionProperties();
        assertThat(p.get("mail.smtp.socketFactory")).as(security.name()).isInstanceOf(SocketFactory.class)
            .isNotInstanceOf(SSLSocketFactory.class).hasToString("NoDelaySockets.plain");
        assertThat(p.get("mail.smtp.ssl.socketFactory")).as(security.name()).isInstanceOf(SSLSocketFactory.class)
            .hasToString("NoDelaySockets.tls");
        assertThat(p.getProperty("mail.smtp.socketFactory.fallback")).isEqualTo("false");
        assertThat(p.getProperty("mail.smtp.ssl.checkserveridentity")).isEqualTo("true");
      }
    }
  }

  @Test
  @DisplayName("the factories set TCP_NODELAY on unconnected, connected and layered sockets")
  void factoriesSetNoDelay() throws IOException {
    List<Socket> seen = new CopyOnWriteArrayList<>();
    SocketFactory plain = NoDelaySockets.plain(seen::add);
    SSLSocketFactory tls = NoDelaySockets.tls(() -> (SSLSocketFactory) SSLSocketFactory.getDefault(), seen::add);
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Socket unconnected = plain.createSocket();
        Socket connected = plain.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket under = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket layered = tls.createSocket(under, "localhost", server.getLocalPort(), true)) {
      assertThat(unconnected.getTcpNoDelay()).isTrue();
      assertThat(connected.getTcpNoDelay()).isTrue();
      assertThat(under.getTcpNoDelay()).as("the socket under TLS").isTrue();
      assertThat(layered).isInstanceOf(SSLSocket.class);
      assertThat(layered.getTcpNoDelay()).isTrue();
      assertThat(seen).containsExactly(unconnected, connected, layered);
    }
  }

  @Test
  @DisplayName("diagnostics (doctor): the socket it connects has TCP_NODELAY on, as the transport's do")
  void diagnosticsSocketHasNoDelay() throws IOException {
    try (FakeSmtpServer server = FakeSmtpServer.builder().startTls(TestCertificates.localhost()).auth(USER, SECRET)
        .start()) {
      List<Boolean> noDelay = new CopyOnWriteArrayList<>();
      DiagnosticReport report = SmtpDiagnostics.check(settings(server.port(), SmtpSecurity.STARTTLS).build(), s -> {
        try {
          noDelay.add(s.getTcpNoDelay());
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      });
      assertThat(report.passed()).as("%s", report).isTrue();
      assertThat(noDelay).containsExactly(true);
    }
  }
}
