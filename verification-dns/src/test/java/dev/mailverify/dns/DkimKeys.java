package dev.mailverify.dns;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/** DKIM keys as a test writes them: the private key as PEM, the public key as its DNS TXT record. */
final class DkimKeys {
  private DkimKeys() {}

  /** The private key as PKCS#8 PEM, as {@code openssl genpkey} writes it. */
  static String pem(KeyPair pair) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** The TXT record publishing the public key: {@code v=DKIM1; k=rsa; p=...} or {@code k=ed25519}. */
  static String record(PublicKey key) {
    if (key.getAlgorithm().equals("RSA")) {
      return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }
    byte[] spki = key.getEncoded(); // the raw 32-byte key ends the SubjectPublicKeyInfo
    return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
  }
}
