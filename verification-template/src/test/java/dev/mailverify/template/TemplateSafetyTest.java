package dev.mailverify.template;

import static dev.mailverify.template.Contexts.CODE;
import static dev.mailverify.template.Contexts.context;
import static dev.mailverify.template.Contexts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.MailVerifyException;
import dev.mailverify.core.VerificationType;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateSafetyTest {
  @TempDir
  Path folder;

  private MustacheTemplateRenderer withFolder() {
    return MustacheTemplateRenderer.builder().templateFolder(folder).build();
  }

  @Test
  @DisplayName("a variable without a value fails naming the template and the variable, never renders empty")
  void missingVariableNamesTemplateAndVariable() {
    write(folder, "login.en.txt.mustache", "Hello {{userName}},\nyour code is {{code}}\n");
    MustacheTemplateRenderer renderer = withFolder();

    assertThatThrownBy(() -> renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH)))
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e).isInstanceOf(MailVerifyException.class);
          assertThat(e.templateName()).contains("login.en.txt.mustache");
          assertThat(e.variable()).contains("userName");
          assertThat(e.getMessage())
              .contains("template login.en.txt.mustache (line 1) uses {{userName}}")
              .contains("no value named 'userName'")
              .contains("[appName, code, purpose, recipient, type, validity, validityMinutes]")
              .doesNotContain(CODE);
        });
    assertThat(renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH, CODE, null,
        Map.of("userName", "Ada"))).text()).isEqualTo("Hello Ada,\nyour code is " + CODE + "\n");
  }

  @Test
  @DisplayName("an optional value used outside a section fails when absent: appName without an app name")
  void optionalValueOutsideSection() {
    write(folder, "login.en.html.mustache", "<p>{{code}}</p>\n<p>{{appName}}</p>");
    MustacheTemplateRenderer renderer = withFolder();

    assertThatThrownBy(() -> renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH, CODE, null, Map.of())))
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e.templateName()).contains("login.en.html.mustache");
          assertThat(e.variable()).contains("appName");
          assertThat(e.getMessage()).contains("(line 2)");
        });
  }

  @Test
  @DisplayName("a missing variable inside the layout names the layout")
  void missingVariableInPartialNamesPartial() {
    write(folder, "layout.en.html.mustache", "<b>{{code}}</b>\n{{$heading}}{{/heading}} {{tenant}}");
    MustacheTemplateRenderer renderer = withFolder();

    assertThatThrownBy(() -> renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH)))
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e.templateName()).contains("layout.en.html.mustache");
          assertThat(e.variable()).contains("tenant");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"<p>{{{code}}}</p>", "<p>{{&code}}</p>", "<p>{{code}} {{{userName}}}</p>"})
  @DisplayName("C21 unescaped values ({{{x}}} or {{&x}}) are refused in HTML templates when the renderer is built")
  void unescapedHtmlRefused(String template) {
    write(folder, "login.en.html.mustache", template);

    assertThatThrownBy(this::withFolder)
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e.templateName()).contains("login.en.html.mustache");
          assertThat(e.getMessage()).contains("unescaped").contains("C21");
        });
  }

  @Test
  @DisplayName("unescaped values are allowed in the plain-text part, where nothing is HTML")
  void unescapedTextAllowed() {
    write(folder, "login.en.txt.mustache", "{{{code}}} & {{&appName}} <ok>");

    assertThat(withFolder().render(context(VerificationType.LOGIN, Locale.ENGLISH)).text())
        .isEqualTo(CODE + " & Roamio <ok>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Your code: {{code}}", "{{#code}}has a code{{/code}}", "{{^code}}x{{/code}}"})
  @DisplayName("the code is refused in subjects, which show on lock screens and in logs")
  void codeInSubjectRefused(String template) {
    write(folder, "register.en.subject.mustache", template);

    assertThatThrownBy(this::withFolder)
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e.templateName()).contains("register.en.subject.mustache");
          assertThat(e.variable()).contains("code");
          assertThat(e.getMessage()).contains("must not appear in subjects");
        });
  }

  @Test
  @DisplayName("a body that leaves out the code fails instead of sending a mail without it")
  void bodyWithoutCodeRefused() {
    write(folder, "login.en.txt.mustache", "Hello, here is nothing.");
    MustacheTemplateRenderer renderer = withFolder();

    assertThatThrownBy(() -> renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH)))
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e.templateName()).contains("login.en.txt.mustache");
          assertThat(e.getMessage()).contains("does not show the code");
        });
  }

  @Test
  @DisplayName("C19 a subject that renders a line break fails")
  void multiLineSubjectRefused() {
    write(folder, "login.en.subject.mustache", "Hi {{userName}}\n");
    MustacheTemplateRenderer renderer = withFolder();

    assertThatThrownBy(() -> renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH, CODE, null,
        Map.of("userName", "Ada\r\nBcc: victim@example.com"))))
        .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.getMessage()).contains("line break"));
    assertThat(renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH, CODE, null,
        Map.of("userName", "Ada"))).subject()).isEqualTo("Hi Ada");
  }

  @Test
  @DisplayName("a request value cannot replace a built-in value such as the code")
  void builtInNamesReserved() {
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder().build();

    assertThatThrownBy(() -> renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH, CODE, null,
        Map.of("code", "000000"))))
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e.variable()).contains("code");
          assertThat(e.getMessage()).contains("built-in");
        });
    assertThatThrownBy(() -> renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH, CODE, null,
        Map.of("supportUrl", "https://evil.example"))))
        .isInstanceOf(TemplateException.class);
  }

  @Test
  @DisplayName("dynamic partials, whose template a value would choose, are refused")
  void dynamicPartialRefused() {
    write(folder, "login.en.html.mustache", "<p>{{code}}</p>{{>*userName}}");

    assertThatThrownBy(this::withFolder)
        .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.getMessage()).contains("dynamic partial"));
  }

  @Test
  @DisplayName("a partial cannot reach outside its source with ..")
  void partialPathTraversalRefused() {
    write(folder.getParent(), folder.getFileName() + "-secret.mustache", "secret");
    write(folder, "login.en.html.mustache", "<p>{{code}}</p>{{> ../" + folder.getFileName() + "-secret}}");

    assertThatThrownBy(this::withFolder)
        .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.getMessage()).contains("not allowed"));
  }

  @Test
  @DisplayName("partials are found like templates, so apps can share pieces")
  void partialsResolveThroughSources() {
    write(folder, "footer.mustache", "<footer>{{#appName}}{{appName}}{{/appName}}</footer>");
    write(folder, "login.en.html.mustache", "<p>{{code}}</p>{{> footer}}");

    assertThat(withFolder().render(context(VerificationType.LOGIN, Locale.ENGLISH)).html())
        .isEqualTo("<p>" + CODE + "</p><footer>Roamio</footer>");
  }

  @Test
  @DisplayName("a missing partial and a syntax error fail at build naming the template")
  void brokenTemplatesFailAtBuild() {
    write(folder, "login.en.html.mustache", "<p>{{code}}</p>{{> nowhere}}");
    assertThatThrownBy(this::withFolder)
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e.templateName()).contains("login.en.html.mustache");
          assertThat(e.getMessage()).contains("partial").contains("nowhere.mustache");
        });

    write(folder, "login.en.html.mustache", "<p>{{#code}}{{code}}</p>");
    assertThatThrownBy(this::withFolder)
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e.templateName()).contains("login.en.html.mustache");
          assertThat(e.getMessage()).contains("could not be compiled");
        });
  }

  @Test
  @DisplayName("a template that is not UTF-8 fails naming the file")
  void notUtf8() throws Exception {
    java.nio.file.Files.write(folder.resolve("login.en.subject.mustache"), new byte[] {(byte) 0xB5, (byte) 0xC7});

    assertThatThrownBy(this::withFolder)
        .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.getMessage())
            .contains("login.en.subject.mustache").contains("not valid UTF-8"));
  }

  @Test
  @DisplayName("the HTML escaper replaces & < > \" ' ` = and leaves everything else")
  void escaper() {
    assertThat(StrictMustacheFactory.escapeHtml("a&b<c>d\"e'f`g=h 验证 ✓"))
        .isEqualTo("a&amp;b&lt;c&gt;d&quot;e&#39;f&#96;g&#61;h 验证 ✓");
    assertThat(StrictMustacheFactory.escapeHtml("482913")).isEqualTo("482913");
  }
}
