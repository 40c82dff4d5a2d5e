package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every signature made here is verified by dkimpy ({@link DkimPy}), an independent implementation. */
class DkimSignerTest {
  private static final String DOMAIN = "example.test";
  private static final String SELECTOR = "s2026";
  private static final String RECORD_NAME = SELECTOR + "._domainkey." + DOMAIN;

  private static KeyPair rsa;
  private static KeyPair ed25519;

  @BeforeEach
  void verifierInstalled() throws Exception {
    DkimPy.requireAvailable();
    if (rsa == null) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      rsa = g.generateKeyPair();
      ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }
  }

  static String pem(KeyPair pair) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  static String record(PublicKey key) {
    if (key.getAlgorithm().equals("RSA")) {
      return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }
    byte[] spki = key.getEncoded(); // the raw 32-byte key ends the SubjectPublicKeyInfo
    return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
  }

  private static DkimSigner signer(KeyPair pair, Path dir) throws Exception {
    Path file = dir.resolve("dkim.pem");
    Files.writeString(file, pem(pair), StandardCharsets.US_ASCII);
    return DkimSigner.fromPemFile(DOMAIN, SELECTOR, file);
  }

  private static byte[] crlf(String text) {
    return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static final String PLAIN = """
      From: Roamio <noreply@example.test>
      To: alice@example.org
      Subject: Your code
      Date: Sun, 29 Nov 2026 16:00:00 +0000
      Message-ID: <1.2.3@example.test>
      MIME-Version: 1.0
      Content-Type: text/plain; charset=UTF-8
      Content-Transfer-Encoding: 7bit

      Your code is 482913. It is valid for 10 minutes.
      """;

  /** Dot lines, a non-ASCII (RFC 2047) subject and display name, folding, odd white space, trailing empty lines. */
  private static final String AWKWARD = """
      From: =?UTF-8?B?5ryr5ri4IFJvYW1pbw==?= <noreply@example.test>
      To: =?UTF-8?B?5byg5LiJ?= <zhang@example.org>,
      \t bob@example.org
      Subject: =?UTF-8?B?44CQ5ryr5ri444CR5oKo55qE6aqM6K+B56CB?=
       =?UTF-8?B?IOKAlCB2YWxpZCAxMCBtaW51dGVz?=
      Date:   Sun, 29 Nov 2026 16:00:00 +0000
      Message-ID: <4.5.6@example.test>
      MIME-Version: 1.0
      Content-Type: multipart/alternative;
      \tboundary="b1"
      X-Not-Signed: anything

      --b1
      Content-Type: text/plain; charset=UTF-8
      Content-Transfer-Encoding: quoted-printable

      .
      ..starts with two dots
      . one dot and a space\t\t
      tabs\tand  spaces   inside and after   \s
      =E6=82=A8=E7=9A=84=E9=AA=8C=E8=AF=81=E7=A0=81 482913
      --b1--



      """;

  @Test
  @DisplayName("DKIM rsa-sha256 relaxed/relaxed: dkimpy verifies the signature with the published key")
  void rsaVerifies(@TempDir Path dir) throws Exception {
    DkimSigner signer = signer(rsa, dir);
    byte[] signed = signer.signedMessage(crlf(PLAIN));
    String header = new String(signed, StandardCharsets.US_ASCII);
    assertThat(header).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test; s=s2026;")
        .contains("h=from:to:subject:date:message-id:mime-version:content-type;");
    assertThat(header.lines().takeWhile(l -> !l.isEmpty())).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(998));
    assertThat(signer.publicKeyRecord()).contains(record(rsa.getPublic()));
    DkimPy.Result result = DkimPy.verify(signed, RECORD_NAME, signer.publicKeyRecord().orElseThrow());
    assertThat(result.passed()).as(result.output()).isTrue();
  }

  @Test
  @DisplayName("DKIM ed25519-sha256 (RFC 8463): dkimpy verifies the signature")
  void ed25519Verifies(@TempDir Path dir) throws Exception {
    DkimSigner signer = signer(ed25519, dir);
    assertThat(signer.algorithm()).isEqualTo("ed25519-sha256");
    byte[] signed = signer.signedMessage(crlf(PLAIN));
    DkimPy.Result result = DkimPy.verify(signed, RECORD_NAME, record(ed25519.getPublic()));
    assertThat(result.passed()).as(result.output()).isTrue();
  }

  @Test
  @DisplayName("DKIM: dot lines, encoded non-ASCII headers, folded and spaced headers and trailing empty lines verify, with both algorithms")
  void awkwardMessageVerifies(@TempDir Path dir) throws Exception {
    for (KeyPair pair : new KeyPair[] {rsa, ed25519}) {
      byte[] signed = signer(pair, dir).signedMessage(crlf(AWKWARD));
      DkimPy.Result result = DkimPy.verify(signed, RECORD_NAME, record(pair.getPublic()));
      assertThat(result.passed()).as(pair.getPublic().getAlgorithm() + ": " + result.output()).isTrue();
    }
  }

  @Test
  @DisplayName("DKIM: the signature survives SMTP dot-stuffing and unstuffing, and relaxed re-folding in transit")
  void survivesTransit(@TempDir Path dir) throws Exception {
    byte[] signed = signer(rsa, dir).signedMessage(crlf(AWKWARD));
    String wire = new String(signed, StandardCharsets.ISO_8859_1);
    String stuffed = wire.replace("\r\n.", "\r\n..");
    assertThat(stuffed).contains("\r\n...starts with two dots");
    String received = stuffed.replace("\r\n..", "\r\n.") // the receiving server unstuffs (RFC 5321 4.5.2)
        .replace("Subject: =?UTF-8", "Subject:    =?UTF-8"); // and a relay re-spaces a header
    DkimPy.Result result = DkimPy.verify(received.getBytes(StandardCharsets.ISO_8859_1), RECORD_NAME,
        record(rsa.getPublic()));
    assertThat(result.passed()).as(result.output()).isTrue();
  }

  @Test
  @DisplayName("DKIM: dkimpy rejects a changed body, a changed signed header and another key (the check is real)")
  void tamperingFails(@TempDir Path dir) throws Exception {
    String signed = new String(signer(rsa, dir).signedMessage(crlf(PLAIN)), StandardCharsets.US_ASCII);
    assertThat(DkimPy.verify(signed.replace("482913", "111111").getBytes(StandardCharsets.US_ASCII), RECORD_NAME,
        record(rsa.getPublic())).passed()).isFalse();
    assertThat(DkimPy.verify(signed.replace("Subject: Your code", "Subject: Your c0de").getBytes(StandardCharsets.US_ASCII),
        RECORD_NAME, record(rsa.getPublic())).passed()).isFalse();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    assertThat(DkimPy.verify(signed.getBytes(StandardCharsets.US_ASCII), RECORD_NAME,
        record(g.generateKeyPair().getPublic())).passed()).isFalse();
  }

  @Test
  @DisplayName("DKIM: matches() tells the published key of this private key from another key")
  void matchesPublishedKey(@TempDir Path dir) throws Exception {
    assertThat(signer(rsa, dir).matches(rsa.getPublic())).isTrue();
    assertThat(signer(rsa, dir).matches(ed25519.getPublic())).isFalse();
    assertThat(signer(ed25519, dir).matches(ed25519.getPublic())).isTrue();
    assertThat(signer(ed25519, dir).publicKeyRecord()).isEmpty();
  }

  @Test
  @DisplayName("C16: weak, PKCS#1 and missing keys are refused naming EMAIL_DKIM_KEY_FILE, and the key never shows")
  void badKeysRefused(@TempDir Path dir) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    assertThatThrownBy(() -> signer(g.generateKeyPair(), dir)).isInstanceOf(SmtpConfigurationException.class)
        .hasMessageContaining("2048");
    Path pkcs1 = Files.writeString(dir.resolve("old.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> DkimSigner.fromPemFile(DOMAIN, SELECTOR, pkcs1)).isInstanceOf(SmtpConfigurationException.class)
        .hasMessageContaining("openssl pkcs8");
    assertThatThrownBy(() -> DkimSigner.fromPemFile(DOMAIN, SELECTOR, dir.resolve("missing.pem")))
        .isInstanceOf(SmtpConfigurationException.class)
        .satisfies(e -> assertThat(((SmtpConfigurationException) e).variables()).containsExactly("EMAIL_DKIM_KEY_FILE"));
    assertThatThrownBy(() -> DkimSigner.builder().selector("bad selector")).hasMessageContaining("selector");
    assertThatThrownBy(() -> DkimSigner.builder().domain("no_domain")).hasMessageContaining("domain");
    DkimSigner signer = signer(rsa, dir);
    String body = pem(rsa).lines().skip(1).findFirst().orElseThrow();
    assertThat(signer.toString()).contains("[PROTECTED]").doesNotContain(body);
    assertThatThrownBy(() -> signer.sign(crlf("To: a@example.org\n\nhi\n"))).hasMessageContaining("From");
  }
}
