package dev.mailverify.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.spi.EmailMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .eml} files, written by the MIME writer the SMTP transport uses too (the SMTP module's
 * tests prove both give the same bytes and read them back with Jakarta Mail's parser).
 */
class FileTransportTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T08:30:00Z"), ZoneOffset.UTC);

  private static List<byte[]> sendAndRead(Path dir, EmailMessage... messages) throws Exception {
    FileTransport files = FileTransport.create(dir, CLOCK);
    for (EmailMessage m : messages) {
      files.send(m);
    }
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        out.add(Files.readAllBytes(p));
      }
    }
    return out;
  }

  private static String withoutMessageId(byte[] mail) {
    return new String(mail, StandardCharsets.US_ASCII).replaceAll("Message-ID: <[^>]+>\r\n", "");
  }

  @Test
  @DisplayName("an ASCII mail is one 7bit text/plain part, readable as is, with the clock's Date")
  void asciiMailIsSevenBit(@TempDir Path dir) throws Exception {
    EmailMessage m = EmailMessage.builder(EmailAddress.parse("alice@example.org"))
        .from(new Mailbox("noreply@roamio.example", "Roamio")).subject("Your code").text("Your code is 123456.\n")
        .code("123456").build();
    String mail = new String(sendAndRead(dir, m).get(0), StandardCharsets.US_ASCII);
    assertThat(mail).startsWith("Date: Tue, 24 Nov 2026 08:30:00 +0000\r\nFrom: Roamio <noreply@roamio.example>\r\n"
        + "To: alice@example.org\r\n")
        .contains("\r\nSubject: Your code\r\n")
        .containsPattern("\r\nMessage-ID: <[0-9a-f]{32}@roamio\\.example>\r\n")
        .contains("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
            + "Your code is 123456.\r\n")
        .endsWith("Your code is 123456.\r\n");
  }

  @Test
  @DisplayName("C20 a Chinese subject and sender name are encoded words on ASCII lines of at most 76 characters")
  void chineseHeadersAreEncodedWords(@TempDir Path dir) throws Exception {
    String subject = "【Roamio 旅行】您的验证码是多少？请在十分钟内输入下面的验证码完成注册，谢谢";
    EmailMessage m = EmailMessage.builder(EmailAddress.parse("bob@example.org"))
        .from(new Mailbox("noreply@roamio.example", "Roamio 旅行")).subject(subject)
        .text("您的验证码：845031").html("<p>您的验证码：<b>845031</b></p>").code("845031").build();
    byte[] bytes = sendAndRead(dir, m).get(0);
    String mail = new String(bytes, StandardCharsets.US_ASCII);
    for (byte b : bytes) {
      assertThat(b & 0xff).isLessThan(0x80);
    }
    for (String line : mail.split("\r\n", -1)) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(line.contains("=?") ? 76 : 998);
    }
    assertThat(mail).doesNotContain("\r\r").doesNotContainPattern("[^\r]\n")
        .contains("From: =?UTF-8?B?").contains("Content-Type: multipart/alternative; boundary=");
    // the subject's encoded words decode back to the subject
    int start = mail.indexOf("Subject: ") + "Subject: ".length();
    int end = mail.indexOf("\r\n", start);
    while (mail.startsWith(" ", end + 2)) {
      end = mail.indexOf("\r\n", end + 2);
    }
    StringBuilder decoded = new StringBuilder();
    java.io.ByteArrayOutputStream utf8 = new java.io.ByteArrayOutputStream();
    for (String word : mail.substring(start, end).split("\r\n ")) {
      assertThat(word).startsWith("=?UTF-8?B?").endsWith("?=");
      utf8.writeBytes(Base64.getDecoder().decode(word.substring(10, word.length() - 2)));
    }
    decoded.append(utf8.toString(StandardCharsets.UTF_8));
    assertThat(decoded.toString()).isEqualTo(subject);
  }

  @Test
  @DisplayName("the same message gives the same bytes every time, Message-ID aside (the boundary is stable)")
  void sameMessageSameBytes(@TempDir Path dir) throws Exception {
    EmailMessage m = EmailMessage.builder(EmailAddress.parse("carol@example.org"))
        .from(new Mailbox("noreply@roamio.example", null)).subject("Code").text("Code 1").html("<b>Code 1</b>")
        .build();
    List<byte[]> mails = sendAndRead(dir, m, m);
    assertThat(mails).hasSize(2);
    assertThat(withoutMessageId(mails.get(0))).isEqualTo(withoutMessageId(mails.get(1)));
  }

  @Test
  @DisplayName("a mail without a sender has no From header and a Message-ID on mailverify.invalid")
  void noSenderNoFrom(@TempDir Path dir) throws Exception {
    EmailMessage m = EmailMessage.builder(EmailAddress.parse("dave@example.org")).subject("Code").text("Code 2").build();
    String mail = new String(sendAndRead(dir, m).get(0), StandardCharsets.US_ASCII);
    assertThat(mail).doesNotContain("From:").containsPattern("Message-ID: <[0-9a-f]{32}@mailverify\\.invalid>");
  }
}
