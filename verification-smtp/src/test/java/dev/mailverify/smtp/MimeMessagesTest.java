package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.spi.EmailMessage;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MIME bytes the transport writes itself, read back with Jakarta Mail's own parser: every
 * subject, display name, header and body comes back exactly (text in canonical CRLF form), and the
 * wire format keeps the rules receivers rely on (ASCII headers, line lengths, CRLF only).
 */
class MimeMessagesTest {
  private static final Session SESSION = Session.getInstance(new Properties());
  private static final Instant NOW = Instant.parse("2026-11-24T08:30:00Z");
  private static final Mailbox DEFAULT_FROM = new Mailbox("noreply@roamio.example", "Roamio 旅行");

  private static MimeMessages.Prepared build(EmailMessage m) {
    return MimeMessages.build(SESSION, m, DEFAULT_FROM, NOW, ZoneOffset.UTC, null);
  }

  private static MimeMessage parse(MimeMessages.Prepared prepared) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    prepared.writeTo(out, new String[] {"Bcc", "Content-Length"});
    assertThat(out.toByteArray()).isEqualTo(prepared.bytes());
    return new MimeMessage(SESSION, new ByteArrayInputStream(prepared.bytes()));
  }

  /** Text as it travels: every line end (CR, LF, CRLF) as CRLF. */
  private static String canonical(String text) {
    return text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
  }

  @Test
  @DisplayName("C20 a realistic Chinese mail reads back exactly, with the encodings a receiver expects")
  void realisticChineseMail() throws Exception {
    String text = "您好：\n\n您正在完成注册，请输入下面的验证码。\n\n    845031\n\n验证码 10 分钟内有效，请勿告诉任何人。\n";
    String html = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><body><p style=\"font-size:15px\">您正在完成注册，请输入下面的验证码。</p>"
        + "<div style=\"font-size:32px;letter-spacing:8px\">845031</div></body></html>\n";
    EmailMessage m = EmailMessage.builder(EmailAddress.parse("user0@example.com"))
        .subject("【Roamio 旅行】您的验证码 · Your verification code").text(text).html(html)
        .header("X-Mailverify-Type", "register").code("845031").build();

    MimeMessages.Prepared prepared = build(m);
    MimeMessage parsed = parse(prepared);

    assertThat(parsed.getSubject()).isEqualTo(m.subject());
    InternetAddress from = (InternetAddress) parsed.getFrom()[0];
    assertThat(from.getPersonal()).isEqualTo("Roamio 旅行");
    assertThat(from.getAddress()).isEqualTo("noreply@roamio.example");
    assertThat(parsed.getRecipients(Message.RecipientType.TO)).extracting(a -> ((InternetAddress) a).getAddress())
        .containsExactly("user0@example.com");
    assertThat(parsed.getHeader("X-Mailverify-Type")[0]).isEqualTo("register");
    assertThat(parsed.getSentDate().toInstant()).isEqualTo(NOW);
    assertThat(parsed.getMessageID()).isEqualTo(prepared.getMessageID()).matches("<[0-9a-f]{32}@roamio\\.example>");
    assertThat(parsed.getHeader("MIME-Version")[0]).isEqualTo("1.0");
    MimeMultipart alternative = (MimeMultipart) parsed.getContent();
    assertThat(parsed.getContentType()).startsWith("multipart/alternative");
    assertThat(alternative.getCount()).isEqualTo(2);
    BodyPart textPart = alternative.getBodyPart(0);
    BodyPart htmlPart = alternative.getBodyPart(1);
    assertThat(textPart.getContentType()).isEqualTo("text/plain; charset=UTF-8");
    assertThat(htmlPart.getContentType()).isEqualTo("text/html; charset=UTF-8");
    assertThat(textPart.getHeader("Content-Transfer-Encoding")[0]).isEqualTo("base64");
    assertThat(htmlPart.getHeader("Content-Transfer-Encoding")[0]).isIn("quoted-printable", "base64");
    assertThat(textPart.getContent()).isEqualTo(canonical(text));
    assertThat(htmlPart.getContent()).isEqualTo(canonical(html));
    assertWireRules(prepared.bytes());
  }

  @Test
  @DisplayName("an ASCII mail is 7bit, with plain headers; a text-only mail is a single text/plain part")
  void asciiMail() throws Exception {
    EmailMessage m = EmailMessage.builder(EmailAddress.parse("bob@example.org"))
        .from(new Mailbox("security@example.net", "Security Team"))
        .subject("Your code").text("Your code is 123456.\nIt is valid for 10 minutes.").build();

    MimeMessages.Prepared prepared = build(m);
    String raw = new String(prepared.bytes(), StandardCharsets.US_ASCII);
    MimeMessage parsed = parse(prepared);

    assertThat(raw).contains("\r\nFrom: Security Team <security@example.net>\r\n").contains("\r\nSubject: Your code\r\n")
        .contains("\r\nContent-Transfer-Encoding: 7bit\r\n").doesNotContain("=?");
    assertThat(parsed.getContentType()).isEqualTo("text/plain; charset=UTF-8");
    assertThat(parsed.getContent()).isEqualTo("Your code is 123456.\r\nIt is valid for 10 minutes.\r\n");
    assertThat(prepared.getFrom()).extracting(a -> ((InternetAddress) a).getAddress())
        .containsExactly("security@example.net");
    assertThat(prepared.getAllRecipients()).extracting(a -> ((InternetAddress) a).getAddress())
        .containsExactly("bob@example.org");
    assertWireRules(prepared.bytes());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Roamio, Inc.", "\"Quoted\" \\ name", "=?UTF-8?B?SGk=?=", "漫游 Roamio 团队", "🔐 Security",
      "a.b", "<weird>", "N"})
  @DisplayName("C20 a display name that needs quotes or encoding reads back exactly")
  void displayNames(String name) throws Exception {
    EmailMessage m = EmailMessage.builder(EmailAddress.parse("carol@example.org"))
        .from(new Mailbox("roamio@example.com", name)).subject("x").text("y").build();

    MimeMessages.Prepared prepared = build(m);
    InternetAddress from = (InternetAddress) parse(prepared).getFrom()[0];

    assertThat(from.getPersonal()).isEqualTo(name);
    assertThat(from.getAddress()).isEqualTo("roamio@example.com");
    assertWireRules(prepared.bytes());
  }

  @Test
  @DisplayName("a long ASCII subject is folded at spaces and unfolds to the same text")
  void longAsciiSubjectIsFolded() throws Exception {
    String subject = "Your Roamio verification code is inside this message and it is valid for ten minutes only,"
        + " so please use it soon";
    MimeMessages.Prepared prepared = build(EmailMessage.builder(EmailAddress.parse("d@example.org"))
        .subject(subject).text("t").build());

    String raw = new String(prepared.bytes(), StandardCharsets.US_ASCII);
    assertThat(raw).contains("\r\nSubject: Your Roamio verification code is inside this message and it is\r\n valid");
    assertThat(parse(prepared).getSubject()).isEqualTo(subject);
    assertWireRules(prepared.bytes());
  }

  @Test
  @DisplayName("C20 random subjects, names, headers and bodies (CJK, emoji, '=?', long lines, CR/LF mixes, controls) read back exactly")
  void randomMessagesRoundTrip() throws Exception {
    SplittableRandom random = new SplittableRandom(20261124);
    Map<String, Integer> encodings = new java.util.TreeMap<>();
    for (int i = 0; i < 400; i++) {
      String subject = headerText(random, 1 + random.nextInt(300));
      String name = random.nextInt(4) == 0 ? null : headerText(random, 1 + random.nextInt(80)).strip();
      Map<String, String> headers = new LinkedHashMap<>();
      if (random.nextBoolean()) {
        headers.put("X-Mailverify-Test-Header-" + i, headerText(random, random.nextInt(200)));
      }
      String text = body(random, 1 + random.nextInt(3000));
      String html = random.nextBoolean() ? null : body(random, 1 + random.nextInt(5000));
      EmailMessage.Builder b = EmailMessage.builder(EmailAddress.parse("user" + i + "@example.com"))
          .from(name == null || name.isEmpty() ? null : new Mailbox("sender@example.net", name))
          .subject(subject.isBlank() ? "x" + subject : subject).text(text).html(html);
      headers.forEach(b::header);
      EmailMessage m = b.build();

      MimeMessages.Prepared prepared = build(m);
      String context = "message " + i;
      MimeMessage parsed = parse(prepared);

      assertThat(parsed.getSubject()).as(context).isEqualTo(m.subject());
      InternetAddress from = (InternetAddress) parsed.getFrom()[0];
      Mailbox expectedFrom = m.from() != null ? m.from() : DEFAULT_FROM;
      assertThat(from.getAddress()).as(context).isEqualTo(expectedFrom.address());
      assertThat(from.getPersonal()).as(context).isEqualTo(expectedFrom.displayName());
      for (Map.Entry<String, String> h : m.headers().entrySet()) {
        String raw = parsed.getHeader(h.getKey())[0];
        assertThat(MimeUtility.decodeText(MimeUtility.unfold(raw))).as(context + " " + h.getKey()).isEqualTo(h.getValue());
      }
      if (html == null) {
        String content = (String) parsed.getContent();
        assertThat(content).as(context).isIn(canonical(text), canonical(text) + "\r\n");
      } else {
        MimeMultipart alternative = (MimeMultipart) parsed.getContent();
        assertThat(alternative.getBodyPart(0).getContent()).as(context).isEqualTo(canonical(text));
        assertThat(alternative.getBodyPart(1).getContent()).as(context).isEqualTo(canonical(html));
      }
      assertWireRules(prepared.bytes());
      String raw = new String(prepared.bytes(), StandardCharsets.US_ASCII);
      for (String encoding : List.of("7bit", "quoted-printable", "base64")) {
        if (raw.contains("Content-Transfer-Encoding: " + encoding + "\r\n")) {
          encodings.merge(encoding, 1, Integer::sum);
        }
      }
      encodings.merge(raw.contains("\r\nSubject: =?UTF-8?B?") ? "encoded subject" : "plain subject", 1, Integer::sum);
    }
    assertThat(encodings).as("the random mails exercise every path").containsOnlyKeys("7bit", "quoted-printable",
        "base64", "encoded subject", "plain subject").allSatisfy((k, n) -> assertThat(n).as(k).isGreaterThan(10));
  }

  private static final String[] HEADER_PIECES = {"code", " ", "  ", "Roamio", "验证码", "您的", "🔐", "é", "=?", "?=",
      "=", "\"", "\\", "<", ">", ",", "@", ".", "(", ")", ":", ";", "\u00a0", "x".repeat(120), "-", "_", "?", "💌✉"};
  private static final String[] BODY_PIECES = {"Your code is 123456.", " ", "   ", "\t", "\n", "\r\n", "\r", "\n\n",
      "验证码", "您好：", "🔐", "é", "=", "=3D", ".", "\n.\n", "\nFrom me\n", "--", "\n--=_mv_", "<b>123456</b>",
      "a".repeat(1100), "b".repeat(75), "c".repeat(76), "\u0001", "\u0000", " \n", "\t\r\n", "\u007f", "\u0085"};

  private static String headerText(SplittableRandom random, int length) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < length) {
      sb.append(HEADER_PIECES[random.nextInt(HEADER_PIECES.length)]);
    }
    String s = sb.length() > 998 ? sb.substring(0, 990) : sb.toString();
    return s.isEmpty() || !Character.isHighSurrogate(s.charAt(s.length() - 1)) ? s : s.substring(0, s.length() - 1);
  }

  private static final String[] ASCII_PIECES = {"Your code is 123456.", " ", "\n", "\r\n", "\r", ".", "\n.\n", "=",
      "--", "\t", "<b>123456</b>", "b".repeat(75), "a".repeat(1100)};
  private static final String[] CJK_PIECES = {"验证码", "您好：", "您正在完成注册，请输入下面的验证码。", "🔐", "\n", " ", "123456"};

  /** A body in one of three styles: ASCII (mostly 7bit), mostly CJK (base64), or anything (mostly quoted-printable). */
  private static String body(SplittableRandom random, int length) {
    String[] pieces = switch (random.nextInt(3)) {
      case 0 -> ASCII_PIECES;
      case 1 -> CJK_PIECES;
      default -> BODY_PIECES;
    };
    StringBuilder sb = new StringBuilder();
    while (sb.length() < length) {
      String piece = pieces[random.nextInt(pieces.length)];
      if (pieces == ASCII_PIECES && piece.length() > 1000 && random.nextInt(4) != 0) {
        continue; // an overlong line makes a body quoted-printable; keep most ASCII bodies 7bit
      }
      sb.append(piece);
    }
    return sb.toString();
  }

  /**
   * ASCII only; CRLF line ends only; lines of at most 998 bytes; header lines with encoded words,
   * quoted-printable and base64 lines at most 76.
   */
  static void assertWireRules(byte[] bytes) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      assertThat(bytes[i] & 0xff).as("byte %d is ASCII", i).isLessThan(0x80);
      if (bytes[i] == '\n') {
        assertThat(i > 0 && bytes[i - 1] == '\r').as("LF at %d follows CR", i).isTrue();
      }
      if (bytes[i] == '\r') {
        assertThat(i + 1 < bytes.length && bytes[i + 1] == '\n').as("CR at %d is followed by LF", i).isTrue();
        lines.add(new String(bytes, start, i - start, StandardCharsets.US_ASCII));
        start = i + 2;
      }
    }
    assertThat(start).as("the message ends with CRLF").isEqualTo(bytes.length);
    String boundary = null;
    boolean inHeader = true;
    String encoding = "";
    for (String line : lines) {
      assertThat(line.length()).as("line length: %s", line).isLessThanOrEqualTo(998);
      if (inHeader && line.startsWith("Content-Type: multipart/alternative; boundary=\"")) {
        boundary = line.substring(line.indexOf('"') + 1, line.length() - 1);
      }
      if (inHeader && line.isEmpty()) {
        inHeader = false;
        continue;
      }
      if (boundary != null && (line.equals("--" + boundary) || line.equals("--" + boundary + "--"))) {
        inHeader = true;
        continue;
      }
      if (inHeader) {
        if (line.contains("=?")) {
          assertThat(line.length()).as("encoded-word line: %s", line).isLessThanOrEqualTo(76);
        }
        if (line.startsWith("Content-Transfer-Encoding: ")) {
          encoding = line.substring("Content-Transfer-Encoding: ".length());
        }
      } else if (!encoding.equals("7bit")) {
        assertThat(line.length()).as("%s line: %s", encoding, line).isLessThanOrEqualTo(76);
      }
    }
  }

  @Test
  @DisplayName("the Date header is written in the clock's zone")
  void dateInClockZone() throws Exception {
    MimeMessages.Prepared prepared = MimeMessages.build(SESSION, EmailMessage.builder(EmailAddress.parse("e@example.org"))
        .subject("s").text("t").build(), DEFAULT_FROM, NOW, ZoneId.of("Asia/Shanghai"), null);
    assertThat(new String(prepared.bytes(), StandardCharsets.US_ASCII))
        .startsWith("Date: Tue, 24 Nov 2026 16:30:00 +0800\r\n");
    assertThat(parse(prepared).getSentDate().toInstant()).isEqualTo(NOW);
  }
}
