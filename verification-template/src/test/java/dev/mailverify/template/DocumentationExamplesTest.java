package dev.mailverify.template;

import static dev.mailverify.template.Contexts.CODE;
import static dev.mailverify.template.Contexts.context;
import static dev.mailverify.template.Contexts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.SendRequest;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateRenderer;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/templates.md, run as written. */
class DocumentationExamplesTest {
  @TempDir
  Path folder;

  @Test
  @DisplayName("docs: the service example sends an English register mail with links")
  void useIt() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    TemplateRenderer renderer = MustacheTemplateRenderer.builder()
        .baseUrl("https://roamio.example")
        .supportUrl("https://roamio.example/help")
        .build();
    VerificationCodeService service = VerificationCodeService.builder()
        .transport(outbox)
        .renderer(renderer)
        .appName("Roamio")
        .defaultLocale(Locale.SIMPLIFIED_CHINESE)
        .build();

    SendResult sent = service.sendVerificationCode(SendRequest.builder("ada@example.com", VerificationType.REGISTER)
        .locale(Locale.ENGLISH)
        .build());

    assertThat(sent).isInstanceOf(SendResult.Sent.class);
    var mail = outbox.latestTo("ada@example.com").orElseThrow();
    assertThat(mail.subject()).isEqualTo("Confirm your e-mail address for Roamio");
    assertThat(mail.html()).contains("href=\"https://roamio.example/help\"").contains("href=\"https://roamio.example\"");
  }

  @Test
  @DisplayName("docs: the complete login.en.html replacement and the layout extension for a custom type")
  void overrideExamples() {
    write(folder, "login.en.html.mustache", """
        <!DOCTYPE html>
        <html lang="en">
        <body style="margin:0; padding:24px; font-family:Arial, sans-serif;">
          <p>Hi {{userName}},</p>
          <p>Your {{#appName}}{{appName}} {{/appName}}login code:</p>
          <p style="font-size:32px; font-weight:bold; letter-spacing:4px;">{{code}}</p>
          <p>It is valid for {{validity}}. If you did not try to log in, ignore this e-mail.</p>
        </body>
        </html>
        """);
    write(folder, "delete-account.en.html.mustache", """
        {{<layout.en.html.mustache}}
        {{$heading}}Delete your account{{/heading}}
        {{$ignore}}If you did not ask to delete your account, ignore this e-mail: nothing will be deleted.{{/ignore}}
        {{/layout.en.html.mustache}}
        """);
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder()
        .templateFolder(folder)
        .purpose(VerificationType.of("delete-account"), Locale.ENGLISH, "delete your account")
        .purpose(VerificationType.of("delete-account"), Locale.CHINESE, "注销账户")
        .build();

    RenderedMail login = renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH, CODE, "Roamio",
        Map.of("userName", "Ada")));
    assertThat(login.html()).contains("<p>Hi Ada,</p>", "<p>Your Roamio login code:</p>", ">" + CODE + "</p>",
        "valid for 10 minutes");
    assertThatThrownBy(() -> renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH)))
        .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.variable()).contains("userName"));

    RenderedMail delete = renderer.render(context(VerificationType.of("delete-account"), Locale.ENGLISH));
    assertThat(delete.html()).contains(">Delete your account</td>", "Use this code to delete your account at Roamio:",
        "nothing will be deleted.", ">" + CODE + "</td>");
    assertThat(renderer.render(context(VerificationType.of("delete-account"), Locale.SIMPLIFIED_CHINESE)).text())
        .contains("您正在「Roamio」注销账户");
  }
}
