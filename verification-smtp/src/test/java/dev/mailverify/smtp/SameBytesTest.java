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

  private static String withoutMessageId(String mail) {
    return mail.replaceFirst("\r\nMessage-ID: <[^>]+>\r\n", "\r\n");
  }

  @ParameterizedTest(name = "html={0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("C20 the file transport and SMTP produce the same bytes for the same message, Message-ID aside")
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
      assertThat(withoutMessageId(data)).isEqualTo(withoutMessageId(file));
      assertThat(data).startsWith("Date: Tue, 24 Nov 2026 16:30:00 +0800\r\n");
    }
  }
}
