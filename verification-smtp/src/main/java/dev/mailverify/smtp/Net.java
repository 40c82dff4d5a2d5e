package dev.mailverify.smtp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/** Name resolution bounded by a timeout, and the TLS socket factory both SMTP paths share. */
final class Net {
  /** Protocols offered, newest first; older ones are never used. */
  static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  /** What the JDK calls the RFC 6125 host name check Angus applies; the probe uses the same. */
  static final String IDENTITY_ALGORITHM = "LDAPS";

  private Net() {}

  /**
   * Resolves a host within a timeout (the JDK's own lookup has none). Names under {@code .invalid}
   * fail at once, as RFC 6761 asks, without asking DNS.
   *
   * @throws UnknownHostException when the name does not resolve
   * @throws SocketTimeoutException when resolving takes longer than the timeout
   */
  static InetAddress[] resolve(String host, Duration timeout) throws IOException {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("invalid") || h.endsWith(".invalid") || h.endsWith(".invalid.")) {
      throw new UnknownHostException(host + ": names under .invalid never resolve (RFC 6761)");
    }
    FutureTask<InetAddress[]> task = new FutureTask<>(() -> InetAddress.getAllByName(host));
    Thread thread = new Thread(task, "mailverify-smtp-dns");
    thread.setDaemon(true);
    thread.start();
    try {
      return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      throw new SocketTimeoutException("resolving the host took longer than " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      task.cancel(true);
      throw new InterruptedIOException("interrupted while resolving the host");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      throw new UnknownHostException(host + ": " + cause);
    }
  }

  /**
   * Returns the socket factory for the settings: one trusting only the settings' certificates, or
   * the JDK's default trust (its cacerts, or {@code javax.net.ssl.trustStore}). Either way the trust
   * manager is wrapped in a {@link DescribingTrustManager}, so that a refused certificate says which
   * names it holds and which was expected.
   */
  static SSLSocketFactory customSocketFactory(SmtpSettings settings) {
    List<X509Certificate> certificates = settings.trustedCertificates();
    try {
      KeyStore trustStore = null;
      if (!certificates.isEmpty()) {
        trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        int i = 0;
        for (X509Certificate certificate : certificates) {
          trustStore.setCertificateEntry("trusted-" + i++, certificate);
        }
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore);
      TrustManager[] managers = tmf.getTrustManagers();
      for (int i = 0; i < managers.length; i++) {
        if (managers[i] instanceof X509ExtendedTrustManager x) {
          managers[i] = new DescribingTrustManager(x);
        }
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, managers, null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("the trusted certificates cannot be used: " + e.getMessage(), e);
    }
  }

  static SSLSocketFactory socketFactory(SmtpSettings settings) {
    return customSocketFactory(settings);
  }

  /** The offered protocols this JVM supports, as Angus's space-separated property value. */
  static String protocols() {
    List<String> supported;
    try {
      supported = Arrays.asList(SSLContext.getDefault().getSupportedSSLParameters().getProtocols());
    } catch (GeneralSecurityException e) {
      return String.join(" ", TLS_PROTOCOLS);
    }
    List<String> out = new ArrayList<>();
    for (String p : TLS_PROTOCOLS) {
      if (supported.contains(p)) {
        out.add(p);
      }
    }
    return String.join(" ", out.isEmpty() ? TLS_PROTOCOLS : out);
  }

  /** The EHLO name: the configured one, or this machine's name, looked up once and bounded. */
  static String ehloName(SmtpSettings settings) {
    String configured = settings.ehloName();
    return configured != null ? configured : localHostName();
  }

  /** This machine's name, looked up on first use (bounded by 2 s) and then remembered. */
  private static volatile @Nullable String localName;

  /**
   * This machine's name for EHLO, looked up once per JVM. Two threads that ask at once may both
   * look it up; both get the same answer.
   */
  static String localHostName() {
    String name = localName;
    if (name == null) {
      name = lookUpLocalName(Duration.ofSeconds(2));
      localName = name;
    }
    return name;
  }

  /**
   * Looks the machine's name up in a helper thread, bounded by {@code timeout} (a reverse lookup may
   * hang without DNS). The task is a method of this class, which is initialised by the time it runs:
   * no class initialisation is in progress that the helper would have to wait for.
   *
   * @return the name, or {@code localhost} when the lookup fails or takes too long
   */
  static String lookUpLocalName(Duration timeout) {
    FutureTask<String> task = new FutureTask<>(Net::localNameNow);
    Thread thread = new Thread(task, "mailverify-smtp-local-name");
    thread.setDaemon(true);
    thread.start();
    try {
      return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "localhost";
    } catch (ExecutionException | TimeoutException e) {
      task.cancel(true);
      return "localhost";
    }
  }

  /**
   * The best name {@link InetAddress#getLocalHost()} gives: the canonical name when it is a real
   * one (not {@code localhost}), else the configured host name, else an address literal.
   */
  static String localNameNow() throws UnknownHostException {
    InetAddress local = InetAddress.getLocalHost();
    String canonical = local.getCanonicalHostName();
    if (isRealName(canonical, local)) {
      return canonical;
    }
    String configured = local.getHostName();
    if (isRealName(configured, local)) {
      return configured;
    }
    return local instanceof java.net.Inet6Address ? "[IPv6:" + local.getHostAddress() + "]"
        : "[" + local.getHostAddress() + "]";
  }

  private static boolean isRealName(@Nullable String name, InetAddress local) {
    return name != null && !name.isBlank() && !name.equalsIgnoreCase("localhost")
        && !name.toLowerCase(Locale.ROOT).startsWith("localhost.") && !name.equals(local.getHostAddress())
        && name.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }
}
