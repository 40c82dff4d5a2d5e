package dev.mailverify.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.SendRequest;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceIntegrationTest {
  @TempDir
  Path folder;

  @Test
  @DisplayName("the service sends the rendered Chinese HTML + text mail and the code in it verifies")
  void sendAndVerifyWithTemplates() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    VerificationCodeService service = VerificationCodeService.builder()
        .transport(outbox)
        .renderer(MustacheTemplateRenderer.builder().supportUrl("https://roamio.example/help").build())
        .appName("Roamio")
        .build();

    SendResult sent = service.sendVerificationCode(SendRequest.builder("ada@example.com", VerificationType.REGISTER)
        .locale(Locale.SIMPLIFIED_CHINESE)
        .ttl(Duration.ofMinutes(15))
        .build());

    assertThat(sent).isInstanceOf(SendResult.Sent.class);
    EmailMessage mail = outbox.latestTo("ada@example.com").orElseThrow();
    String code = outbox.latestCode("ada@example.com").orElseThrow();
    assertThat(mail.subject()).isEqualTo("【Roamio】注册验证码");
    assertThat(mail.text()).contains(code).contains("15 分钟内有效");
    assertThat(mail.html()).contains(">" + code + "</td>").contains("联系客服");
    assertThat(service.verifyCode("ada@example.com", VerificationType.REGISTER, code))
        .isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("a template error reaches the caller as a MailVerifyException and nothing is sent")
  void templateErrorSendsNothing() {
    Contexts.write(folder, "login.en.txt.mustache", "Hi {{userName}} {{code}}");
    InMemoryOutbox outbox = MailTransport.inMemory();
    VerificationCodeService service = VerificationCodeService.builder()
        .transport(outbox)
        .renderer(MustacheTemplateRenderer.builder().templateFolder(folder).build())
        .build();

    assertThatThrownBy(() -> service.sendVerificationCode("ada@example.com", VerificationType.LOGIN,
        Duration.ofMinutes(5)))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("userName");
    assertThat(outbox.messages()).isEmpty();

    SendResult sent = service.sendVerificationCode(SendRequest.builder("ada@example.com", VerificationType.LOGIN)
        .templateValue("userName", "Ada").build());
    assertThat(sent).isInstanceOf(SendResult.Sent.class);
    assertThat(outbox.latestTo("ada@example.com").orElseThrow().text()).startsWith("Hi Ada ");
  }
}
