package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.MailVerifyException;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.MimeWriter;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.eclipse.angus.mail.smtp.SMTPOutputStream;

/**
 * The hand-written MIME writer, proven with random input: Jakarta Mail's parser (an independent
 * decoder) reads back the same subject, display name, text and HTML; every line is ASCII and at
 * most 998 octets; and a DKIM signature survives SMTP dot-stuffing (Angus's own
 * {@link SMTPOutputStream}) and unstuffing byte for byte, with a sample verified by dkimpy.
 */
class MimePropertiesTest {
  private static final Session SESSION = Session.getInstance(new Properties());
  private static final ZonedDateTime DATE = ZonedDateTime.parse("2026-11-29T16:00:00+08:00");
  private static KeyPair rsa;

  @BeforeContainer
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    rsa = g.generateKeyPair();
  }

  private static Arbitrary<String> codePoints(int minLength, int maxLength, boolean lineBreaks) {
    Arbitrary<Integer> ascii = Arbitraries.integers().between(0x20, 0x7e);
    Arbitrary<Integer> latin = Arbitraries.integers().between(0xa0, 0xff);
    Arbitrary<Integer> cjk = Arbitraries.integers().between(0x4e00, 0x9fff);
    Arbitrary<Integer> emoji = Arbitraries.integers().between(0x1f300, 0x1faff);
    Arbitrary<Integer> specials = Arbitraries.of((int) '.', (int) '"', (int) '\\', (int) '=', (int) '?', (int) '<',
        (int) '>', (int) ',', (int) ';', (int) ':', (int) '@', (int) '(', (int) ')', (int) '\t', (int) ' ');
    Arbitrary<String> one = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(10, ascii), net.jqwik.api.Tuple.of(2, latin), net.jqwik.api.Tuple.of(3, cjk),
        net.jqwik.api.Tuple.of(2, emoji), net.jqwik.api.Tuple.of(3, specials)).map(Character::toString);
    Arbitrary<String> token = one;
    if (lineBreaks) {
      Arbitrary<String> breaks = Arbitraries.of("\r\n", "\n", "\r", "\r\n.\r\n", "\n.\n", "\n..\n", "\n.", ".\n",
          "\r\n\r\n", "\n \n", "From \n");
      Arbitrary<String> longLine = Arbitraries.integers().between(900, 2100)
          .flatMap(n -> Arbitraries.of("a", "é", "验", " ", "😀").map(s -> s.repeat(n)));
      token = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(30, one), net.jqwik.api.Tuple.of(4, breaks),
          net.jqwik.api.Tuple.of(1, longLine));
    }
    return token.list().ofMinSize(minLength).ofMaxSize(maxLength).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<EmailMessage> messages() {
    Arbitrary<String> subject = codePoints(1, 120, false).filter(s -> !s.isBlank() && !s.contains("\t"));
    Arbitrary<String> name = codePoints(1, 40, false).filter(s -> !s.isBlank() && !s.contains("\t"));
    Arbitrary<String> text = codePoints(1, 300, true).filter(s -> !s.isEmpty());
    Arbitrary<String> html = codePoints(1, 300, true).filter(s -> !s.isEmpty()).injectNull(0.3);
    return Combinators.combine(subject, name, text, html).as((s, n, t, h) ->
        EmailMessage.builder(EmailAddress.parse("alice@example.org"))
            .from(new Mailbox("noreply@example.test", n.strip()))
            .subject(s).text(t).html(h).build());
  }

  private static String canonical(String body) {
    return body.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
  }

  @Property(tries = 300)
  @Label("C20: random Unicode subjects, names and bodies parse back to the same values with Jakarta Mail")
  void parsesBack(@ForAll("messages") EmailMessage message) throws Exception {
    byte[] bytes = MimeWriter.write(message, null, DATE);
    MimeMessage parsed = new MimeMessage(SESSION, new ByteArrayInputStream(bytes));
    assertThat(parsed.getSubject() == null ? "" : parsed.getSubject()).isEqualTo(message.subject());
    InternetAddress from = (InternetAddress) parsed.getFrom()[0];
    assertThat(from.getAddress()).isEqualTo("noreply@example.test");
    assertThat(from.getPersonal()).isEqualTo(message.from().displayName());
    String text;
    String html = null;
    Object content = parsed.getContent();
    if (content instanceof Multipart multipart) {
      text = (String) multipart.getBodyPart(0).getContent();
      BodyPart htmlPart = multipart.getBodyPart(1);
      assertThat(htmlPart.getContentType()).startsWith("text/html");
      html = (String) htmlPart.getContent();
      assertThat(text).isEqualTo(canonical(message.text()));
    } else {
      text = (String) content;
      // a single-part body ends the message, which ends with CRLF (SMTP DATA needs one before the
      // dot): in 7bit and quoted-printable that line end is part of the body; base64 ignores it
      String expected = canonical(message.text());
      if (!"base64".equals(parsed.getEncoding()) && !expected.endsWith("\r\n")) {
        expected += "\r\n";
      }
      assertThat(text).isEqualTo(expected);
    }
    if (message.html() != null) {
      assertThat(html).isEqualTo(canonical(message.html()));
    } else {
      assertThat(html).isNull();
    }
  }

  @Property(tries = 300)
  @Label("C20: every byte is ASCII, every line ends in CRLF and has at most 998 octets")
  void asciiAndShortLines(@ForAll("messages") EmailMessage message) {
    byte[] bytes = MimeWriter.write(message, null, DATE);
    int line = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      assertThat(b & 0xff).as("byte %d", i).isLessThan(0x80);
      if (b == '\n') {
        assertThat(i > 0 && bytes[i - 1] == '\r').as("LF at %d ends a CRLF", i).isTrue();
        line = 0;
      } else if (b == '\r') {
        assertThat(i + 1 < bytes.length && bytes[i + 1] == '\n').as("CR at %d starts a CRLF", i).isTrue();
      } else {
        line++;
        assertThat(line).as("line length at %d", i).isLessThanOrEqualTo(998);
      }
    }
  }

  @Property(tries = 200)
  @Label("C19: CR or LF in a subject or display name is refused, never folded into a header")
  void headerInjectionRefused(@ForAll("messages") EmailMessage message,
      @ForAll("breaksAndControls") String injected) {
    String evil = message.subject() + injected + "Bcc: victim@example.org";
    assertThatThrownBy(() -> EmailMessage.builder(EmailAddress.parse("alice@example.org")).subject(evil).text("t")
        .build()).isInstanceOf(MailVerifyException.class);
    assertThatThrownBy(() -> new Mailbox("noreply@example.test", "Roamio" + injected + "Bcc: victim@example.org"))
        .isInstanceOf(MailVerifyException.class);
  }

  @Provide
  Arbitrary<String> breaksAndControls() {
    return Arbitraries.of("\r\n", "\n", "\r", "\r\n ", "\u0000", "\u0085", "\u2028");
  }

  /** What Angus writes between DATA and the final dot. */
  static byte[] dotStuffed(byte[] message) throws Exception {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    try (SMTPOutputStream out = new SMTPOutputStream(wire)) {
      out.write(message);
      out.ensureAtBOL();
    }
    return wire.toByteArray();
  }

  private static byte[] signed(EmailMessage message) {
    return DkimSigner.builder().domain("example.test").selector("prop").privateKeyPem(DkimSignerTest.pem(rsa)).build()
        .signedMessage(MimeWriter.write(message, null, DATE));
  }

  @Property(tries = 300)
  @Label("DKIM: dot-stuffing on DATA and unstuffing at the receiver give back the signed bytes exactly")
  void dotStuffingRoundTrip(@ForAll("messages") EmailMessage message) throws Exception {
    byte[] signed = signed(message);
    byte[] wire = dotStuffed(signed);
    String onWire = new String(wire, StandardCharsets.ISO_8859_1);
    assertThat(onWire).doesNotContain("\r\n.\r\n"); // no early end of DATA
    assertThat(Arrays.equals(SmtpTransportDkimTest.unstuff(wire), signed)).isTrue();
  }

  @Example
  @Label("DKIM: dkimpy verifies 20 random signed messages after dot-stuffing and unstuffing")
  void dkimpyVerifiesSample() throws Exception {
    DkimPy.requireAvailable();
    List<byte[]> received = new ArrayList<>();
    messages().sampleStream().limit(20).forEach(message -> {
      try {
        received.add(SmtpTransportDkimTest.unstuff(dotStuffed(signed(message))));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    DkimPy.Result result = DkimPy.verifyAll(received, "prop._domainkey.example.test",
        DkimSignerTest.record(rsa.getPublic()));
    assertThat(result.passed()).as(result.output()).isTrue();
    assertThat(result.output().lines().filter(l -> l.startsWith("PASS "))).hasSize(20);
  }
}
