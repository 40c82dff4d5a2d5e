package dev.mailverify.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Signs outgoing mail with DKIM (RFC 6376): {@code rsa-sha256} with an RSA key of 2048 bits or
 * more, or {@code ed25519-sha256} (RFC 8463); canonicalisation {@code relaxed/relaxed}; the header
 * fields From, To, Subject, Date, Message-ID, MIME-Version and Content-Type (those present).
 *
 * <p>Input is the exact message as it goes on the wire before dot-stuffing: header fields, an
 * empty line and the body, every line ending in CRLF. Output is the {@code DKIM-Signature} header
 * field to put in front of it. The key is a PEM file in PKCS#8 form ({@code BEGIN PRIVATE KEY}),
 * as {@code openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048} or
 * {@code openssl genpkey -algorithm ed25519} write it.
 *
 * <pre>{@code
 * DkimSigner signer = DkimSigner.fromPemFile("example.com", "mail", Path.of("dkim.pem"));
 * byte[] signed = signer.signedMessage(messageBytes);
 * }</pre>
 *
 * <p>Thread-safe. The private key never appears in {@code toString} or in exception messages.
 */
public final class DkimSigner {
  /** The header fields signed by default, in this order (those present in the message). */
  public static final List<String> DEFAULT_HEADERS =
      List.of("From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type");

  private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");
  private static final Pattern DOMAIN = Pattern.compile("(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+[a-z0-9-]+");
  private static final int BASE64_LINE = 72;

  private final String domain;
  private final String selector;
  private final PrivateKey key;
  private final String algorithm;
  private final String jdkAlgorithm;
  private final List<String> headers;
  private final Clock clock;

  private DkimSigner(String domain, String selector, PrivateKey key, List<String> headers, Clock clock) {
    this.domain = domain;
    this.selector = selector;
    this.key = key;
    this.headers = headers;
    this.clock = clock;
    if (key instanceof RSAPrivateCrtKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw new SmtpConfigurationException("the DKIM RSA key has " + rsa.getModulus().bitLength()
            + " bits; it must have at least 2048 (RFC 8301)", List.of("EMAIL_DKIM_KEY_FILE"));
      }
      algorithm = "rsa-sha256";
      jdkAlgorithm = "SHA256withRSA";
    } else if ("EdDSA".equals(key.getAlgorithm()) || "Ed25519".equals(key.getAlgorithm())) {
      algorithm = "ed25519-sha256";
      jdkAlgorithm = "Ed25519";
    } else {
      throw new SmtpConfigurationException("the DKIM key must be RSA (2048 bits or more) or Ed25519, was "
          + key.getAlgorithm(), List.of("EMAIL_DKIM_KEY_FILE"));
    }
  }

  /**
   * Reads a signer's key from a PEM file (PKCS#8, {@code -----BEGIN PRIVATE KEY-----}).
   *
   * @param domain the signing domain ({@code d=}), normally the From address's domain
   * @param selector the selector ({@code s=}): the key is published at
   *     {@code <selector>._domainkey.<domain>}
   * @param keyFile the PEM file
   * @return the signer, signing the {@link #DEFAULT_HEADERS} with the system clock
   * @throws SmtpConfigurationException if the file cannot be read or holds no usable key (RSA
   *     below 2048 bits, PKCS#1, encrypted, another algorithm), naming {@code EMAIL_DKIM_KEY_FILE}
   * @throws IllegalArgumentException if the domain or selector is not a valid name
   */
  public static DkimSigner fromPemFile(String domain, String selector, Path keyFile) {
    Objects.requireNonNull(keyFile, "keyFile");
    String pem;
    try {
      pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new SmtpConfigurationException("cannot read the DKIM key file " + keyFile + " ("
          + e.getClass().getSimpleName() + ")", List.of("EMAIL_DKIM_KEY_FILE"));
    }
    return builder().domain(domain).selector(selector).privateKeyPem(pem).build();
  }

  /**
   * Returns a builder, for another header list or clock.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the signing domain ({@code d=}).
   *
   * @return the domain, lower case
   */
  public String domain() {
    return domain;
  }

  /**
   * Returns the selector ({@code s=}).
   *
   * @return the selector
   */
  public String selector() {
    return selector;
  }

  /**
   * Returns the DNS name where the public key must be published.
   *
   * @return {@code <selector>._domainkey.<domain>}
   */
  public String recordName() {
    return selector + "._domainkey." + domain;
  }

  /**
   * Returns the signature algorithm.
   *
   * @return {@code rsa-sha256} or {@code ed25519-sha256}
   */
  public String algorithm() {
    return algorithm;
  }

  /**
   * Returns the TXT record to publish at {@link #recordName()} for an RSA key, such as
   * {@code v=DKIM1; k=rsa; p=MIIBIjAN...}. For Ed25519 the JDK cannot derive the public key from
   * the private one: publish {@code v=DKIM1; k=ed25519; p=} followed by the base64 of the raw
   * 32-byte public key ({@code openssl pkey -in key.pem -pubout -outform DER | tail -c 32 | base64}).
   *
   * @return the record for an RSA key; empty for Ed25519
   */
  public Optional<String> publicKeyRecord() {
    if (key instanceof RSAPrivateCrtKey rsa) {
      try {
        PublicKey pub = KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        return Optional.of("v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pub.getEncoded()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("RSA is missing from this JDK", e);
      }
    }
    return Optional.empty();
  }

  /**
   * Tells whether a published public key belongs to this signer's private key, by signing a
   * random challenge and verifying it with the published key.
   *
   * @param publicKey the key from the DNS record
   * @return {@code true} when signatures made here verify with it
   */
  public boolean matches(PublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    byte[] challenge = new byte[32];
    new java.security.SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(jdkAlgorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(jdkAlgorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a key of another type or size cannot verify
    }
  }

  /**
   * Computes the {@code DKIM-Signature} header field for a message.
   *
   * @param message the message as sent before dot-stuffing: header fields, an empty line, the
   *     body; lines end in CRLF; header fields are ASCII
   * @return the header field, folded, ending in CRLF, to put in front of the message
   * @throws IllegalArgumentException if the message has no From header field
   */
  public String sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    int bodyStart = bodyStart(message);
    List<String> fields = headerFields(message, bodyStart < 0 ? message.length : bodyStart - 2);
    byte[] body = bodyStart < 0 ? new byte[0] : java.util.Arrays.copyOfRange(message, bodyStart, message.length);
    String bodyHash = Base64.getEncoder().encodeToString(sha256(relaxedBody(body)));

    // the fields to sign: each configured name as many times as it occurs, the last one first
    StringBuilder canonical = new StringBuilder();
    List<String> signedNames = new ArrayList<>();
    boolean from = false;
    for (String name : headers) {
      List<String> matching = new ArrayList<>();
      for (String field : fields) {
        int colon = field.indexOf(':');
        if (colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase(name)) {
          matching.add(field);
        }
      }
      for (int i = matching.size() - 1; i >= 0; i--) {
        canonical.append(relaxedHeader(matching.get(i))).append("\r\n");
        signedNames.add(name.toLowerCase(Locale.ROOT));
        from |= name.equalsIgnoreCase("From");
      }
    }
    if (!from) {
      throw new IllegalArgumentException("the message has no From header field, which DKIM must sign");
    }
    String unsigned = "DKIM-Signature: v=1; a=" + algorithm + "; c=relaxed/relaxed; d=" + domain + "; s="
        + selector + ";\r\n\tt=" + clock.instant().getEpochSecond() + "; h=" + String.join(":", signedNames)
        + ";\r\n\tbh=" + bodyHash + ";\r\n\tb=";
    canonical.append(relaxedHeader(unsigned));
    byte[] signature;
    try {
      Signature s = Signature.getInstance(jdkAlgorithm);
      s.initSign(key);
      if (jdkAlgorithm.equals("Ed25519")) {
        // RFC 8463 section 3: Ed25519 signs the SHA-256 hash of the canonical header data
        s.update(sha256(canonical.toString().getBytes(StandardCharsets.US_ASCII)));
      } else {
        s.update(canonical.toString().getBytes(StandardCharsets.US_ASCII));
      }
      signature = s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with " + algorithm + " failed (" + e.getClass().getSimpleName() + ")", e);
    }
    String b = Base64.getEncoder().encodeToString(signature);
    StringBuilder out = new StringBuilder(unsigned);
    for (int i = 0; i < b.length(); i += BASE64_LINE) {
      if (i > 0) {
        out.append("\r\n\t ");
      }
      out.append(b, i, Math.min(b.length(), i + BASE64_LINE));
    }
    return out.append("\r\n").toString();
  }

  /**
   * Returns the message with its {@code DKIM-Signature} header field in front.
   *
   * @param message as for {@link #sign(byte[])}
   * @return the signed message
   */
  public byte[] signedMessage(byte[] message) {
    byte[] header = sign(message).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[header.length + message.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(message, 0, out, header.length, message.length);
    return out;
  }

  /**
   * Tells whether a signature of this domain aligns with a From address in DMARC's relaxed mode:
   * the From domain is the signing domain or a subdomain of it.
   */
  static boolean aligned(String signingDomain, String fromAddress) {
    String from = fromAddress.substring(fromAddress.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    String d = signingDomain.toLowerCase(Locale.ROOT);
    return from.equals(d) || from.endsWith("." + d);
  }

  @Override
  public String toString() {
    return "DkimSigner[d=" + domain + ", s=" + selector + ", a=" + algorithm + ", key=[PROTECTED]]";
  }

  /** The index after the CRLF CRLF that ends the header, or -1 when there is none. */
  private static int bodyStart(byte[] m) {
    if (m.length >= 2 && m[0] == '\r' && m[1] == '\n') {
      return 2;
    }
    for (int i = 0; i + 3 < m.length; i++) {
      if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  /** The header fields, each unfolded only in the sense of being one string with its CRLFs. */
  private static List<String> headerFields(byte[] m, int end) {
    String header = new String(m, 0, Math.max(0, end), StandardCharsets.ISO_8859_1);
    List<String> fields = new ArrayList<>();
    StringBuilder current = null;
    for (String line : header.split("\r\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
        current.append("\r\n").append(line);
      } else {
        if (current != null) {
          fields.add(current.toString());
        }
        current = new StringBuilder(line);
      }
    }
    if (current != null) {
      fields.add(current.toString());
    }
    return fields;
  }

  /** RFC 6376 section 3.4.2, without the final CRLF. */
  static String relaxedHeader(String field) {
    int colon = field.indexOf(':');
    String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    String value = field.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
    return name + ":" + value;
  }

  /** RFC 6376 section 3.4.4. */
  static byte[] relaxedBody(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
    int pendingEmptyLines = 0;
    int lineStart = 0;
    int n = body.length;
    while (lineStart < n) {
      int end = lineStart;
      while (end < n && !(body[end] == '\r' && end + 1 < n && body[end + 1] == '\n')) {
        end++;
      }
      boolean terminated = end < n;
      // compress runs of WSP to one SP, drop WSP at the end of the line
      ByteArrayOutputStream line = new ByteArrayOutputStream(end - lineStart);
      boolean space = false;
      for (int i = lineStart; i < end; i++) {
        byte c = body[i];
        if (c == ' ' || c == '\t') {
          space = true;
        } else {
          if (space) {
            line.write(' ');
            space = false;
          }
          line.write(c);
        }
      }
      if (line.size() == 0) {
        pendingEmptyLines++;
      } else {
        for (; pendingEmptyLines > 0; pendingEmptyLines--) {
          out.write('\r');
          out.write('\n');
        }
        out.writeBytes(line.toByteArray());
        out.write('\r');
        out.write('\n');
      }
      lineStart = terminated ? end + 2 : n;
    }
    return out.toByteArray();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * Configures a {@link DkimSigner}. Each setter validates its argument at once; calling a setter
   * twice keeps the last value; {@link #build()} checks that domain, selector and key are set.
   */
  public static final class Builder {
    private String domain = "";
    private String selector = "";
    private @org.jspecify.annotations.Nullable PrivateKey key;
    private List<String> headers = DEFAULT_HEADERS;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets the signing domain ({@code d=}).
     *
     * @param value a domain name such as {@code example.com}
     * @return this builder
     * @throws IllegalArgumentException if it is not a domain name
     */
    public Builder domain(String value) {
      String d = Objects.requireNonNull(value, "domain").strip().toLowerCase(Locale.ROOT);
      if (!DOMAIN.matcher(d).matches()) {
        throw new IllegalArgumentException("domain must be a domain name such as example.com, was '" + value + "'");
      }
      domain = d;
      return this;
    }

    /**
     * Sets the selector ({@code s=}).
     *
     * @param value letters, digits, hyphens and dots, such as {@code mail} or {@code s2026}
     * @return this builder
     * @throws IllegalArgumentException if it is not a valid selector
     */
    public Builder selector(String value) {
      String s = Objects.requireNonNull(value, "selector").strip();
      if (!SELECTOR.matcher(s).matches()) {
        throw new IllegalArgumentException("selector must be letters, digits, hyphens and dots, was '" + value + "'");
      }
      selector = s;
      return this;
    }

    /**
     * Sets the private key from PEM text (PKCS#8, {@code -----BEGIN PRIVATE KEY-----}).
     *
     * @param pem the PEM text
     * @return this builder
     * @throws SmtpConfigurationException if the text holds no PKCS#8 RSA or Ed25519 key
     */
    public Builder privateKeyPem(String pem) {
      Objects.requireNonNull(pem, "privateKeyPem");
      if (pem.contains("BEGIN RSA PRIVATE KEY")) {
        throw new SmtpConfigurationException("the DKIM key is in PKCS#1 form (BEGIN RSA PRIVATE KEY); convert it with "
            + "'openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem'", List.of("EMAIL_DKIM_KEY_FILE"));
      }
      if (pem.contains("ENCRYPTED PRIVATE KEY")) {
        throw new SmtpConfigurationException("the DKIM key is encrypted; write it unencrypted with "
            + "'openssl pkcs8 -topk8 -nocrypt'", List.of("EMAIL_DKIM_KEY_FILE"));
      }
      int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
      int end = pem.indexOf("-----END PRIVATE KEY-----");
      if (begin < 0 || end < begin) {
        throw new SmtpConfigurationException("the DKIM key file holds no '-----BEGIN PRIVATE KEY-----' block (PKCS#8 PEM)",
            List.of("EMAIL_DKIM_KEY_FILE"));
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
      } catch (IllegalArgumentException e) {
        throw new SmtpConfigurationException("the DKIM key's PEM block is not valid base64", List.of("EMAIL_DKIM_KEY_FILE"));
      }
      for (String algorithm : List.of("RSA", "Ed25519")) {
        try {
          key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
          return this;
        } catch (GeneralSecurityException e) {
          // try the next algorithm
        }
      }
      throw new SmtpConfigurationException("the DKIM key is neither an RSA nor an Ed25519 PKCS#8 key",
          List.of("EMAIL_DKIM_KEY_FILE"));
    }

    /**
     * Sets the private key.
     *
     * @param value an RSA key of 2048 bits or more, or an Ed25519 key
     * @return this builder
     */
    public Builder privateKey(PrivateKey value) {
      key = Objects.requireNonNull(value, "privateKey");
      return this;
    }

    /**
     * Sets the header fields to sign (those present in a message are signed, in this order).
     *
     * @param names field names; must include From
     * @return this builder
     * @throws IllegalArgumentException if From is missing or a name is blank or has a colon
     */
    public Builder signedHeaders(List<String> names) {
      List<String> copy = List.copyOf(Objects.requireNonNull(names, "signedHeaders"));
      if (copy.stream().noneMatch(n -> n.equalsIgnoreCase("From"))) {
        throw new IllegalArgumentException("signedHeaders must include From (RFC 6376 section 5.4)");
      }
      for (String n : copy) {
        if (n.isBlank() || n.indexOf(':') >= 0 || n.chars().anyMatch(c -> c <= ' ' || c > '~')) {
          throw new IllegalArgumentException("signedHeaders contains an invalid field name '" + n + "'");
        }
      }
      headers = copy;
      return this;
    }

    /**
     * Sets the clock for the signature's timestamp ({@code t=}).
     *
     * @param value the clock; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Builds the signer.
     *
     * @return the signer
     * @throws IllegalStateException if domain, selector or key is missing
     * @throws SmtpConfigurationException if the key is RSA below 2048 bits or of another algorithm
     */
    public DkimSigner build() {
      if (domain.isEmpty()) {
        throw new IllegalStateException("domain is required");
      }
      if (selector.isEmpty()) {
        throw new IllegalStateException("selector is required");
      }
      if (key == null) {
        throw new IllegalStateException("privateKey is required");
      }
      return new DkimSigner(domain, selector, key, headers, clock);
    }
  }
}
