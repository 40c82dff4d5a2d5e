package dev.mailverify.bench.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where a benchmark sends mail: a sink on this machine, plain or behind implicit TLS. Only
 * loopback addresses are accepted, so a benchmark can never load a real server.
 *
 * @param host a loopback host, such as {@code 127.0.0.1}
 * @param port the port
 * @param security plain SMTP or SMTP inside TLS from the first byte (port 465 style)
 * @param trustStore the certificates to trust for TLS (the sink's own, self-signed); required
 *     for {@link Security#IMPLICIT_TLS}. Certificate and host name checks stay on.
 */
public record SmtpEndpoint(String host, int port, Security security, @Nullable KeyStore trustStore) {

  /** How the connection is protected. */
  public enum Security {
    /** Plain SMTP. */
    PLAIN,
    /** TLS from the first byte, as on port 465. */
    IMPLICIT_TLS
  }

  /**
   * Checks the endpoint.
   *
   * @throws IllegalArgumentException if the host is not a loopback address, the port is out of
   *     range, or TLS has no trust store
   *
   * @param host a loopback host, such as {@code 127.0.0.1}
   * @param port the port
   * @param security plain SMTP or SMTP inside TLS from the first byte (port 465 style)
   * @param trustStore the certificates to trust for TLS (the sink's own, self-signed); required for {@link Security#IMPLICIT_TLS}. Certificate and host name checks stay on.
   */
  public SmtpEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(security, "security");
    try {
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        throw new IllegalArgumentException("benchmarks send to loopback addresses only, not " + host);
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host " + host, e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, was " + port);
    }
    if (security == Security.IMPLICIT_TLS && trustStore == null) {
      throw new IllegalArgumentException("implicit TLS needs a trust store holding the sink's certificate");
    }
  }

  /**
   * A plain SMTP endpoint.
   *
   * @param host a loopback host
   * @param port the port
   * @return the endpoint
   */
  public static SmtpEndpoint plain(String host, int port) {
    return new SmtpEndpoint(host, port, Security.PLAIN, null);
  }

  /**
   * An implicit-TLS endpoint whose certificate is in a PKCS#12 trust store.
   *
   * @param host a loopback host
   * @param port the port
   * @param trustStore a PKCS#12 file
   * @param password its password
   * @return the endpoint
   * @throws IllegalArgumentException if the trust store cannot be read
   */
  public static SmtpEndpoint implicitTls(String host, int port, Path trustStore, char[] password) {
    try (InputStream in = Files.newInputStream(trustStore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      return new SmtpEndpoint(host, port, Security.IMPLICIT_TLS, ks);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read trust store " + trustStore + ": " + e.getMessage(), e);
    }
  }

  /**
   * Returns a TLS context that trusts exactly the trust store's certificates.
   *
   * @return the context
   * @throws IllegalStateException for a plain endpoint
   */
  public SSLContext sslContext() {
    if (trustStore == null) {
      throw new IllegalStateException("a plain endpoint has no TLS context");
    }
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  /**
   * Returns a short label for reports.
   *
   * @return {@code plain} or {@code tls}
   */
  public String label() {
    return security == Security.PLAIN ? "plain" : "tls";
  }

  @Override
  public String toString() {
    return label() + "://" + host + ":" + port;
  }
}
