package dev.mailverify.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.DeliveryContext;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.MimeWriter;
import dev.mailverify.core.spi.OutboxEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OutboxEntryTest {
  private static final Instant T0 = Instant.parse("2026-01-01T08:00:00Z");

  private static OutboxEntry entry() {
    EmailAddress to = EmailAddress.parse("User@Example.COM");
    EmailMessage m = EmailMessage.builder(to)
        .from(new Mailbox("noreply@example.com", "注册服务"))
        .subject("您的验证码")
        .text("验证码 654321，10 分钟内有效。")
        .html("<p>验证码 <b>654321</b></p>")
        .header("List-Unsubscribe", "<mailto:unsubscribe@example.com>")
        .code("654321")
        .date(T0)
        .notAfter(T0.plusSeconds(600))
        .build();
    return OutboxEntry.of(m, new DeliveryContext(CodeKey.of(VerificationType.of("invite_member"), to),
        "2001:db8::1", T0));
  }

  @Test
  @DisplayName("C31: the stored form reads back equal, and the mail's wire bytes (Message-ID and Date included)"
      + " are the same on the instance that reads it")
  void roundTripKeepsTheBytes() {
    OutboxEntry e = entry();

    OutboxEntry back = OutboxEntry.fromBytes(e.toBytes());

    assertThat(back).isEqualTo(e);
    assertThat(back.id()).isEqualTo(e.id());
    assertThat(back.message().messageId()).isEqualTo(e.message().messageId());
    ZonedDateTime sendTime = ZonedDateTime.of(2030, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC); // ignored: Date is set
    assertThat(MimeWriter.write(back.message(), null, sendTime))
        .isEqualTo(MimeWriter.write(e.message(), null, sendTime.plusHours(1)));
    assertThat(back.context().codeKey()).isEqualTo(e.context().codeKey());
    assertThat(back.context().clientKey()).isEqualTo("2001:db8::1");
  }

  @Test
  @DisplayName("C31: a mail without code, sender, HTML or expiry round-trips too")
  void minimalRoundTrip() {
    EmailMessage m = EmailMessage.builder(EmailAddress.parse("a@example.com")).subject("s").text("t").build();
    OutboxEntry e = OutboxEntry.of(m, DeliveryContext.of(T0));
    assertThat(OutboxEntry.fromBytes(e.toBytes())).isEqualTo(e);
  }

  @Test
  @DisplayName("C16: toString shows neither the code nor the body, and masks the address")
  void toStringHidesSecrets() {
    String s = entry().toString();
    assertThat(s).doesNotContain("654321").doesNotContain("验证码").doesNotContain("user@example.com");
  }

  @Test
  @DisplayName("C31: truncated bytes or an unknown format version are refused with a message that shows no content")
  void corruptBytesAreRefused() {
    byte[] bytes = entry().toBytes();
    assertThatThrownBy(() -> OutboxEntry.fromBytes(Arrays.copyOf(bytes, bytes.length / 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt");
    byte[] future = bytes.clone();
    future[0] = 9;
    assertThatThrownBy(() -> OutboxEntry.fromBytes(future))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format 9")
        .satisfies(t -> assertThat(t.getMessage()).doesNotContain("654321"));
  }
}
