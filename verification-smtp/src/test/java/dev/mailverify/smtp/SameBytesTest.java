package dev.mailverify.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.spi.EmailMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** One MIME writer: the file transport and SMTP put the same bytes on disk and into DATA. */
class SameBytesTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T08:30:00Z"), ZoneId.of("Asia/Shanghai"));

  @ParameterizedTest(name = "html={0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("C20, C25: the file transport and SMTP write the same bytes for the same message, its Message-ID included")
  void fileAndSmtpWriteTheSameBytes(boolean withHtml, @TempDir Path dir) throws Exception {
    EmailMessage.Builder b = EmailMessage.builder(EmailAddress.parse("user0@example.com"))
        .from(new Mailbox("noreply@roamio.example", "Roamio 旅行"))
        .subject("【Roamio 旅行】您的验证码 · Your verification code")
        .text("您好：\n\n您的验证码是 845031，10 分钟内有效。\nYour code is 845031.\n")
        .header("X-Mailverify-Type", "register").code("845031");
    if (withHtml) {
      b.html("<p>您的验证码：<b style=\"font-size:32px\">845031</b></p>\n");
    }
    EmailMessage message = b.build();

    dev.mailverify.core.transport.FileTransport.create(dir, CLOCK).send(message);
    String file;
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> written = s.toList();
      assertThat(written).hasSize(1);
      file = Files.readString(written.get(0), StandardCharsets.US_ASCII);
    }

    try (FakeSmtpServer server = FakeSmtpServer.builder()
            .auth(FailureClassificationTest.USER, FailureClassificationTest.SECRET).start();
        SmtpTransport smtp = SmtpTransport.create(FailureClassificationTest.settings(server.port()).build(), CLOCK)) {
      smtp.send(message);
      String data = server.messages().get(0);
      assertThat(data).isEqualTo(file);
      assertThat(data).startsWith("Date: Tue, 24 Nov 2026 16:30:00 +0800\r\n")
          .contains("\r\nMessage-ID: " + message.messageId() + "\r\n");
      // a retry later sends the same bytes again: the message carries its Message-ID
      smtp.send(message);
      assertThat(server.messages().get(1)).contains("\r\nMessage-ID: " + message.messageId() + "\r\n");
    }
  }

  @org.junit.jupiter.api.Test
  @DisplayName("C25: a mail with its own date is written byte for byte the same at any later time; a sender-less Message-ID takes the sender's domain")
  void sameMessageSameBytes() {
    EmailMessage message = EmailMessage.builder(EmailAddress.parse("user0@example.com"))
        .subject("Your code").text("Your code is 845031.\n").code("845031")
        .date(Instant.parse("2026-11-24T08:30:00Z")).build();
    assertThat(message.messageId()).endsWith("@mailverify.invalid>");
    Mailbox sender = new Mailbox("noreply@roamio.example", null);
    byte[] first = dev.mailverify.core.spi.MimeWriter.write(message, sender, java.time.ZonedDateTime.now(CLOCK));
    byte[] later = dev.mailverify.core.spi.MimeWriter.write(message, sender,
        java.time.ZonedDateTime.now(Clock.offset(CLOCK, java.time.Duration.ofMinutes(3))));
    assertThat(later).isEqualTo(first);
    assertThat(new String(first, StandardCharsets.US_ASCII))
        .contains("\r\nMessage-ID: " + message.messageId().replace("mailverify.invalid", "roamio.example") + "\r\n")
        .startsWith("Date: Tue, 24 Nov 2026 16:30:00 +0800\r\n");
  }
}
