package dev.mailverify.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Server certificates made at test time with the JDK's own {@code keytool}, so that no key or
 * certificate is committed and CI needs nothing installed. One per subject name, cached per JVM.
 */
final class TestCertificates {
  static final String PASSWORD = "changeit";
  private static final Map<String, TestCertificates> CACHE = new ConcurrentHashMap<>();

  final Path keyStoreFile;
  final KeyStore trustStore;
  final X509Certificate certificate;
  final SSLContext serverContext;

  private TestCertificates(Path keyStoreFile, KeyStore trustStore, SSLContext serverContext) throws KeyStoreException {
    this.keyStoreFile = keyStoreFile;
    this.trustStore = trustStore;
    this.certificate = (X509Certificate) trustStore.getCertificate("server");
    this.serverContext = serverContext;
  }

  /** A self-signed certificate for {@code localhost} and 127.0.0.1. */
  static TestCertificates localhost() {
    return forSubject("localhost", "dns:localhost,ip:127.0.0.1");
  }

  /** A self-signed certificate for a name the tests never connect to. */
  static TestCertificates otherHost() {
    return forSubject("wrong.example.test", "dns:wrong.example.test");
  }

  private static TestCertificates forSubject(String cn, String san) {
    return CACHE.computeIfAbsent(cn, name -> create(name, san));
  }

  private static TestCertificates create(String cn, String san) {
    try {
      Path dir = Files.createTempDirectory("mailverify-certs");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve(cn + ".p12");
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname",
          "secp256r1", "-dname", "CN=" + cn, "-ext", "SAN=" + san, "-validity", "3", "-keystore", file.toString(),
          "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt")
          .redirectErrorStream(true).start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.destroyForcibly();
        throw new IllegalStateException("keytool failed: " + out);
      }
      file.toFile().deleteOnExit();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(file)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      Certificate cert = keys.getCertificate("server");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("server", cert);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASSWORD.toCharArray());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return new TestCertificates(file, trust, ctx);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Writes the certificate as PEM, as a private CA's {@code ca.pem} would be. */
  Path pemFile() throws IOException, GeneralSecurityException {
    Certificate cert = trustStore.getCertificate("server");
    String pem = "-----BEGIN CERTIFICATE-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
    Path f = Files.createTempFile("mailverify-ca", ".pem");
    f.toFile().deleteOnExit();
    Files.writeString(f, pem, StandardCharsets.US_ASCII);
    return f;
  }
}
