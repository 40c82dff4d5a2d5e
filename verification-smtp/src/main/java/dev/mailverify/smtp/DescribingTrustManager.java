package dev.mailverify.smtp;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Checks a server's certificate exactly as the JDK's trust manager does (trust and host name) and,
 * when the check fails, says which names the certificate holds, who issued it and which name was
 * expected: the JDK's own message says only one side ("No subject alternative DNS name matching
 * smtp.example.org found"). The text reaches the failure's reason (issue 23).
 */
final class DescribingTrustManager extends X509ExtendedTrustManager {
  /** How every described failure starts; {@link FailureClassifier} looks for it. */
  static final String PREFIX = "the certificate names ";

  private final X509ExtendedTrustManager delegate;

  DescribingTrustManager(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw described(chain, socket instanceof SSLSocket s ? s.getHandshakeSession() : null, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw described(chain, engine == null ? null : engine.getHandshakeSession(), e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw described(chain, null, e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  private static CertificateException described(X509Certificate @Nullable [] chain, @Nullable SSLSession session,
      CertificateException e) {
    if (chain == null || chain.length == 0) {
      return e;
    }
    String expected = session instanceof ExtendedSSLSession ? session.getPeerHost() : null;
    X509Certificate leaf = chain[0];
    String text = PREFIX + names(leaf) + " (subject " + leaf.getSubjectX500Principal().getName() + ", issued by "
        + leaf.getIssuerX500Principal().getName() + ")"
        + (expected == null ? "" : ", the expected name is " + expected) + ": " + e.getMessage();
    return new CertificateException(text, e);
  }

  /** The subject alternative names, as {@code [DNS:a.example, IP:127.0.0.1]}, or {@code [none]}. */
  static String names(X509Certificate certificate) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> entry : alternatives) {
          if (entry.size() < 2) {
            continue;
          }
          Object type = entry.get(0);
          String label = Integer.valueOf(2).equals(type) ? "DNS" : Integer.valueOf(7).equals(type) ? "IP" : "other";
          out.add(label + ":" + entry.get(1));
        }
      }
    } catch (CertificateParsingException e) {
      out.add("(unreadable)");
    }
    return out.isEmpty() ? "[no subject alternative names]" : out.toString();
  }
}
