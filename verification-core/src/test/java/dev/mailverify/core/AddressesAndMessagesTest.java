package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import dev.mailverify.core.spi.TemplateRenderer;
import dev.mailverify.core.transport.FileTransport;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Addresses (C18), header injection (C19), encoding (C20), template safety (C21). */
class AddressesAndMessagesTest {

  @ParameterizedTest(name = "C18: [{0}] is refused before any I/O")
  @ValueSource(strings = {"", "   ", "no-at-sign", "@example.com", "user@", "user@@example.com",
      "user@example.com\r\nBcc: victim@example.com", "user\n@example.com", "us er@example.com",
      "user@exa mple.com", "用户@example.com", "josé@example.com", ".user@example.com", "user.@example.com",
      "us..er@example.com", "user@localhost", "user@example..com", "user@-example.com", "user@example.com.",
      "user@[127.0.0.1]", "user@127.0.0.1", "\"quoted\"@example.com", "user\u0000@example.com",
      "user@example.com\u2028", "user@example.com\r\n", "\tuser@example.com"})
  void invalidAddresses(String raw) {
    Fixture f = new Fixture();
    SendResult r = f.send(raw, VerificationType.REGISTER);
    assertThat(r).isInstanceOf(SendResult.InvalidAddress.class);
    assertThat(((SendResult.InvalidAddress) r).message()).isNotBlank().doesNotContain("user@");
    assertThat(f.outbox.size()).isZero();
    assertThat(f.service.verifyCode(raw, VerificationType.REGISTER, "123456"))
        .isInstanceOf(VerifyResult.NotFound.class);
  }

  @Test
  @DisplayName("C18: InvalidAddress names the broken rule as a constant a controller can switch on")
  void invalidAddressReasons() {
    Map<String, InvalidAddressReason> cases = new LinkedHashMap<>();
    cases.put("   ", InvalidAddressReason.EMPTY);
    cases.put("@example.com", InvalidAddressReason.EMPTY);
    cases.put("no-at-sign", InvalidAddressReason.SYNTAX);
    cases.put("us..er@example.com", InvalidAddressReason.SYNTAX);
    cases.put("us er@example.com", InvalidAddressReason.SYNTAX);
    cases.put("a".repeat(65) + "@example.com", InvalidAddressReason.TOO_LONG);
    cases.put("a".repeat(300) + "@example.com", InvalidAddressReason.TOO_LONG);
    cases.put("user@example.com\r\nBcc: victim@example.com", InvalidAddressReason.CONTROL_CHARACTER);
    cases.put("用户@example.com", InvalidAddressReason.NON_ASCII_LOCAL_PART);
    cases.put("user@localhost", InvalidAddressReason.INVALID_DOMAIN);
    cases.put("user@127.0.0.1", InvalidAddressReason.INVALID_DOMAIN);
    cases.put("user@-example.com", InvalidAddressReason.INVALID_DOMAIN);
    Fixture f = new Fixture();
    cases.forEach((raw, reason) -> {
      SendResult r = f.send(raw, VerificationType.REGISTER);
      assertThat(r).as(raw).isInstanceOfSatisfying(SendResult.InvalidAddress.class,
          invalid -> assertThat(invalid.reason()).as(raw).isEqualTo(reason));
      assertThatThrownBy(() -> EmailAddress.parse(raw)).isInstanceOfSatisfying(InvalidAddressException.class,
          e -> assertThat(e.reason()).as(raw).isEqualTo(reason));
    });
    assertThat(f.outbox.size()).isZero();
  }

  @Test
  @DisplayName("C18: length limits are 64 for the local part and 254 for the whole address")
  void lengthLimits() {
    String local64 = "a".repeat(64);
    assertThat(EmailAddress.isValid(local64 + "@example.com")).isTrue();
    assertThat(EmailAddress.isValid("a" + local64 + "@example.com")).isFalse();
    String domain = ("b".repeat(63) + ".").repeat(3) + "c".repeat(40) + ".com"; // 236 chars
    String at254 = "a".repeat(254 - domain.length() - 1) + "@" + domain;
    assertThat(at254).hasSize(254);
    assertThat(EmailAddress.isValid(at254)).isTrue();
    assertThat(EmailAddress.isValid("a" + at254)).isFalse();
    assertThat(EmailAddress.isValid("a".repeat(100_000) + "@example.com")).isFalse();
  }

  @Test
  @DisplayName("C18: addresses are trimmed, the domain lower-cased and converted from IDN to ASCII")
  void normalization() {
    EmailAddress a = EmailAddress.parse("  Ada.Lovelace@Example.COM\u3000");
    assertThat(a.address()).isEqualTo("Ada.Lovelace@example.com");
    assertThat(a.key()).isEqualTo("ada.lovelace@example.com");
    assertThat(EmailAddress.parse("user@Bücher.example").address()).isEqualTo("user@xn--bcher-kva.example");
    assertThat(EmailAddress.parse("user@例子.测试").address()).startsWith("user@xn--");
    assertThat(EmailAddress.parse("first+tag@qq.com").address()).isEqualTo("first+tag@qq.com");
  }

  @Test
  @DisplayName("C18: the refusal never echoes the input")
  void refusalDoesNotEcho() {
    assertThatThrownBy(() -> EmailAddress.parse("secret-name\r\n@example.com"))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessageNotContaining("secret-name");
  }

  @Test
  @DisplayName("C19: CR or LF in a subject, display name or header value is refused")
  void headerInjectionRefused() {
    EmailAddress to = EmailAddress.parse("user@example.com");
    assertThatThrownBy(() -> EmailMessage.builder(to).subject("Hi\r\nBcc: x@example.com").text("t").build())
        .isInstanceOf(HeaderInjectionException.class).hasMessageContaining("subject");
    assertThatThrownBy(() -> EmailMessage.builder(to).subject("Hi").text("t").header("X-Tag", "a\nb").build())
        .isInstanceOf(HeaderInjectionException.class).hasMessageContaining("X-Tag");
    assertThatThrownBy(() -> new Mailbox("a@example.com", "Evil\r\nBcc: x@example.com"))
        .isInstanceOf(HeaderInjectionException.class);
    assertThatThrownBy(() -> Mailbox.parse("Evil\nName <a@example.com>"))
        .isInstanceOf(HeaderInjectionException.class);
    assertThatThrownBy(() -> VerificationCodeService.builder().from("Roamio\r\n <noreply@example.com>"))
        .isInstanceOf(HeaderInjectionException.class);
    assertThatThrownBy(() -> EmailMessage.builder(to).subject("Hi").text("t").header("Subject", "x").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be overridden");
  }

  @Test
  @DisplayName("C19: a renderer that puts CR/LF in the subject fails the send; nothing is stored or sent")
  void injectedSubjectFromRenderer() {
    TemplateRenderer evil = c -> new RenderedMail("Code\r\nBcc: attacker@example.com", "code " + c.code(), null);
    Fixture f = new Fixture(b -> b.renderer(evil));
    assertThatThrownBy(() -> f.send()).isInstanceOf(HeaderInjectionException.class);
    assertThat(f.outbox.size()).isZero();
    assertThat(f.verify("123456")).isInstanceOf(VerifyResult.NotFound.class);
  }

  @Test
  @DisplayName("C20: the .eml has ASCII headers; the Chinese subject and display name decode back")
  void encodedHeadersRoundTrip(@TempDir Path dir) throws Exception {
    FileTransport files = FileTransport.create(dir, java.time.Clock.fixed(java.time.Instant.parse(
        "2026-05-01T08:00:00Z"), ZoneOffset.UTC));
    String subject = "漫游 Roamio 注册验证码：请在十分钟内完成验证，不要告诉任何人。这是一个很长的主题，用来测试折行。";
    EmailMessage m = EmailMessage.builder(EmailAddress.parse("user@example.com"))
        .from(Mailbox.parse("漫游 Roamio <noreply@roamio.example>"))
        .subject(subject)
        .text("您的验证码是 493817")
        .html("<p>您的验证码是 <b>493817</b></p>")
        .header("X-Campaign", "sign-up")
        .build();
    files.send(m);
    List<Path> written;
    try (Stream<Path> s = Files.list(dir)) {
      written = s.filter(p -> p.toString().endsWith(".eml")).toList();
    }
    assertThat(written).hasSize(1);
    byte[] raw = Files.readAllBytes(written.get(0));
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    String headers = text.substring(0, text.indexOf("\r\n\r\n"));
    assertThat(headers.chars()).allMatch(c -> c < 128);
    assertThat(headers.lines()).as(headers).allMatch(l -> l.length() <= 78);

    MimeMessage parsed;
    try (InputStream in = Files.newInputStream(written.get(0))) {
      parsed = new MimeMessage(Session.getInstance(new Properties()), in);
    }
    assertThat(parsed.getSubject()).isEqualTo(subject);
    InternetAddress from = (InternetAddress) parsed.getFrom()[0];
    assertThat(from.getPersonal()).isEqualTo("漫游 Roamio");
    assertThat(from.getAddress()).isEqualTo("noreply@roamio.example");
    assertThat(parsed.getHeader("Message-ID")[0]).endsWith("@roamio.example>");
    assertThat(parsed.getHeader("X-Campaign")[0]).isEqualTo("sign-up");
    assertThat(parsed.getSentDate()).isEqualTo(java.util.Date.from(java.time.Instant.parse("2026-05-01T08:00:00Z")));
    MimeMultipart alt = (MimeMultipart) parsed.getContent();
    assertThat(alt.getContentType()).startsWith("multipart/alternative");
    assertThat(alt.getBodyPart(0).getContent()).isEqualTo("您的验证码是 493817");
    assertThat(alt.getBodyPart(1).getContentType()).startsWith("text/html");
    assertThat((String) alt.getBodyPart(1).getContent()).contains("<b>493817</b>");
  }

  @Test
  @DisplayName("C21: the core's default renderer produces no HTML, so no value can become markup")
  void defaultRendererHasNoHtml() {
    TemplateContext c = TemplateContext.builder(VerificationType.REGISTER, "493817", EmailAddress.parse("user@example.com")).locale(Locale.ENGLISH).validity(Duration.ofMinutes(10)).appName("<script>alert(1)</script>").values(java.util.Map.of("name", "<b>x</b>")).build();
    RenderedMail r = TemplateRenderer.plainText().render(c);
    assertThat(r.html()).isNull();
    assertThat(r.text()).contains("493817").contains("10 minutes").contains("did not ask");
    RenderedMail zh = TemplateRenderer.plainText().render(TemplateContext.builder(VerificationType.RESET_PASSWORD, "493817", EmailAddress.parse("user@example.com")).locale(Locale.SIMPLIFIED_CHINESE).validity(Duration.ofMinutes(10)).appName("漫游").values(java.util.Map.of()).build());
    assertThat(zh.subject()).isEqualTo("漫游 验证码");
    assertThat(zh.text()).contains("493817").contains("重置密码").contains("10 分钟");
    assertThat(zh.subject()).doesNotContain("493817");
  }
}
