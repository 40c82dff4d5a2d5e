package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.spi.EmailMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail sent through {@link SmtpTransport} with a {@link DkimSigner} is captured at the fake SMTP
 * server exactly as it crossed the wire (dot-stuffed by Angus on DATA), unstuffed as a receiving
 * server does, and verified by dkimpy, an independent implementation.
 */
class SmtpTransportDkimTest {
  private static final String DOMAIN = "example.test";
  private static final String SELECTOR = "mail2026";
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

  /** The body has lines Angus must dot-stuff: a lone dot, two dots, a dot and a space. */
  private static EmailMessage message() {
    return EmailMessage.builder(EmailAddress.parse("alice@example.org"))
        .subject("【漫游】您的验证码 482913 ✉️")
        .text(".\n..two dots\n. a dot and a space\nYour code is 482913.\n.\n")
        .html("<p>Your code is <b>482913</b>.</p>\n.\n<p>..</p>\n")
        .build();
  }

  private static DkimSigner signer(KeyPair pair, Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("dkim.pem"), DkimSignerTest.pem(pair), StandardCharsets.US_ASCII);
    return DkimSigner.fromPemFile(DOMAIN, SELECTOR, key);
  }

  /** RFC 5321 section 4.5.2: the receiver deletes the first dot of every line that starts with one. */
  static byte[] unstuff(byte[] wire) {
    String s = new String(wire, StandardCharsets.ISO_8859_1);
    StringBuilder out = new StringBuilder(s.length());
    for (String line : s.split("(?<=\r\n)", -1)) {
      out.append(line.startsWith(".") ? line.substring(1) : line);
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] sendAndCapture(DkimSigner signer) throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.builder().start()) {
      SmtpSettings settings = SmtpSettings.builder().host("127.0.0.1").port(server.port())
          .security(SmtpSecurity.PLAIN).from("Roamio 漫游 <noreply@example.test>").timeout(Duration.ofSeconds(5))
          .dkim(signer).build();
      try (SmtpTransport transport = SmtpTransport.create(settings)) {
        transport.send(message());
      }
      assertThat(server.rawMessages()).hasSize(1);
      return server.rawMessages().get(0);
    }
  }

  private static void assertVerifies(byte[] wire, String record) throws Exception {
    String onWire = new String(wire, StandardCharsets.ISO_8859_1);
    assertThat(onWire).as("Angus dot-stuffed the lines that start with a dot")
        .contains("\r\n..\r\n").contains("\r\n...two dots\r\n").contains("\r\n.. a dot and a space\r\n");
    byte[] received = unstuff(wire);
    String text = new String(received, StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("DKIM-Signature: v=1; a=").contains(" d=" + DOMAIN + "; s=" + SELECTOR + ";")
        .contains("h=from:to:subject:date:message-id:mime-version:content-type;");
    DkimPy.Result result = DkimPy.verify(received, SELECTOR + "._domainkey." + DOMAIN, record);
    assertThat(result.passed()).as(result.output()).isTrue();

    // the verifier is not vacuous: one changed body byte fails it
    byte[] tampered = text.replace("Your code is 482913.", "Your code is 482914.").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(DkimPy.verify(tampered, SELECTOR + "._domainkey." + DOMAIN, record).passed()).isFalse();
  }

  @Test
  @DisplayName("DKIM rsa-sha256: a mail sent through SmtpTransport, dot-stuffed on the wire and unstuffed, verifies with dkimpy")
  void rsaSignedMailVerifies(@TempDir Path dir) throws Exception {
    DkimSigner signer = signer(rsa, dir);
    assertVerifies(sendAndCapture(signer), signer.publicKeyRecord().orElseThrow());
  }

  @Test
  @DisplayName("DKIM ed25519-sha256 (RFC 8463): a mail sent through SmtpTransport verifies with dkimpy")
  void ed25519SignedMailVerifies(@TempDir Path dir) throws Exception {
    assertVerifies(sendAndCapture(signer(ed25519, dir)), DkimSignerTest.record(ed25519.getPublic()));
  }

  @Test
  @DisplayName("Without a signer the transport sends no DKIM-Signature")
  void unsignedWithoutSigner() throws Exception {
    try (FakeSmtpServer server = FakeSmtpServer.builder().start()) {
      SmtpSettings settings = SmtpSettings.builder().host("127.0.0.1").port(server.port())
          .security(SmtpSecurity.PLAIN).from("noreply@example.test").build();
      try (SmtpTransport transport = SmtpTransport.create(settings)) {
        transport.send(message());
      }
      assertThat(server.messages().get(0)).doesNotContain("DKIM-Signature");
    }
  }
}
