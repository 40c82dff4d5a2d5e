package dev.mailverify.template;

import static dev.mailverify.template.Contexts.CODE;
import static dev.mailverify.template.Contexts.context;
import static dev.mailverify.template.Contexts.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.RenderedMail;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverrideAndFallbackTest {
  private static final Locale FRENCH_CANADA = Locale.forLanguageTag("fr-CA");
  private static final Locale GERMAN = Locale.GERMAN;

  @TempDir
  Path folder;

  @Test
  @DisplayName("a file in the template folder replaces the bundled template of the same name, and only that part")
  void folderOverridesBundled() {
    write(folder, "login.en.html.mustache", "<p>Custom {{code}} for {{appName}}</p>");
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder().templateFolder(folder).build();

    RenderedMail mail = renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH));

    assertThat(mail.html()).isEqualTo("<p>Custom " + CODE + " for Roamio</p>");
    assertThat(mail.subject()).isEqualTo("Your login code for Roamio");
    assertThat(mail.text()).contains("Use this code to log in at Roamio:");
  }

  @Test
  @DisplayName("templates under a class-path prefix replace bundled ones (context class loader)")
  void classpathOverridesBundled() {
    // src/test/resources/mail-templates/login.en.subject.mustache
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder().classpathTemplates("/mail-templates/").build();

    assertThat(renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH)).subject())
        .isEqualTo("Sign in to Roamio (from the class path)");
    assertThat(renderer.render(context(VerificationType.REGISTER, Locale.ENGLISH)).subject())
        .isEqualTo("Confirm your e-mail address for Roamio");
  }

  @Test
  @DisplayName("the folder is searched before the class path, the class path before the bundled templates")
  void folderBeforeClasspathBeforeBundled() throws IOException {
    Path jar = Files.createDirectory(folder.resolve("classes"));
    Path dir = Files.createDirectory(folder.resolve("dir"));
    write(jar, "mail/login.en.subject.mustache", "class path login");
    write(jar, "mail/register.en.subject.mustache", "class path register");
    write(dir, "login.en.subject.mustache", "folder login");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder()
          .templateFolder(dir)
          .classpathTemplates("mail", loader)
          .build();

      assertThat(renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH)).subject()).isEqualTo("folder login");
      assertThat(renderer.render(context(VerificationType.REGISTER, Locale.ENGLISH)).subject())
          .isEqualTo("class path register");
      assertThat(renderer.render(context(VerificationType.CHANGE_EMAIL, Locale.ENGLISH)).subject())
          .isEqualTo("Confirm your new e-mail address for Roamio");
      assertThat(renderer.toString()).contains("folder " + dir.toAbsolutePath(), "class path mail/",
          "bundled templates");
    }
  }

  @Test
  @DisplayName("lookup order: type in fr-CA, fr, default de, then generic in fr-CA, fr, de")
  void fallbackOrder() throws IOException {
    List<String> order = List.of("login.fr-CA", "login.fr", "login.de", "generic.fr-CA", "generic.fr", "generic.de");
    for (String name : order) {
      write(folder, name + ".subject.mustache", "subject from " + name);
    }
    write(folder, "generic.de.txt.mustache", "Code: {{code}}");
    write(folder, "generic.de.html.mustache", "<p>{{code}}</p>");

    for (String expected : order) {
      MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder()
          .templateFolder(folder).defaultLocale(GERMAN).build();
      assertThat(renderer.render(context(VerificationType.LOGIN, FRENCH_CANADA)).subject())
          .isEqualTo("subject from " + expected);
      if (!expected.equals("generic.de")) {
        Files.delete(folder.resolve(expected + ".subject.mustache"));
      }
    }
  }

  @Test
  @DisplayName("zh-CN falls back to zh, zh-TW to zh, an unknown language to the default locale")
  void bundledLocaleFallback() {
    write(folder, "login.zh-CN.subject.mustache", "简体中文（中国）登录");
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder().templateFolder(folder).build();

    assertThat(renderer.render(context(VerificationType.LOGIN, Locale.SIMPLIFIED_CHINESE)).subject())
        .isEqualTo("简体中文（中国）登录");
    assertThat(renderer.render(context(VerificationType.LOGIN, Locale.CHINESE)).subject())
        .isEqualTo("【Roamio】登录验证码");
    assertThat(renderer.render(context(VerificationType.LOGIN, Locale.TRADITIONAL_CHINESE)).subject())
        .isEqualTo("【Roamio】登录验证码");
    assertThat(renderer.render(context(VerificationType.LOGIN, Locale.JAPANESE)).subject())
        .isEqualTo("Your login code for Roamio");

    MustacheTemplateRenderer chineseDefault = MustacheTemplateRenderer.builder()
        .defaultLocale(Locale.SIMPLIFIED_CHINESE).build();
    RenderedMail japanese = chineseDefault.render(context(VerificationType.LOGIN, Locale.JAPANESE));
    assertThat(japanese.subject()).isEqualTo("【Roamio】登录验证码");
    assertThat(japanese.text()).contains("验证码 10 分钟内有效");
  }

  @Test
  @DisplayName("a custom type gets the generic templates unless the app supplies its own")
  void customTypes() {
    write(folder, "delete-account.en.subject.mustache", "Delete your {{appName}} account");
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder()
        .templateFolder(folder)
        .purpose(VerificationType.of("delete-account"), Locale.ENGLISH, "delete your account")
        .purpose(VerificationType.of("close-account"), Locale.CHINESE, "注销账户")
        .build();

    RenderedMail custom = renderer.render(context(VerificationType.of("delete-account"), Locale.ENGLISH));
    assertThat(custom.subject()).isEqualTo("Delete your Roamio account");
    assertThat(custom.text()).contains("Use this code to delete your account at Roamio:").contains(CODE);

    RenderedMail chinese = renderer.render(context(VerificationType.of("close-account"), Locale.SIMPLIFIED_CHINESE));
    assertThat(chinese.subject()).isEqualTo("【Roamio】邮箱验证码");
    assertThat(chinese.text()).contains("您正在「Roamio」注销账户，验证码是：");
    assertThat(chinese.html()).contains("您正在「Roamio」注销账户，请使用以下验证码：");

    RenderedMail other = renderer.render(context(VerificationType.of("export-data"), Locale.ENGLISH));
    assertThat(other.subject()).isEqualTo("Your verification code for Roamio");
    assertThat(other.text()).contains("Use this code to verify your e-mail address at Roamio:");
  }

  @Test
  @DisplayName("an app template for the type in the default locale comes before the generic template")
  void typeInDefaultLocaleBeforeGeneric() {
    write(folder, "delete-account.en.subject.mustache", "Delete your {{appName}} account");
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder().templateFolder(folder).build();

    RenderedMail mail = renderer.render(context(VerificationType.of("delete-account"), Locale.SIMPLIFIED_CHINESE));

    assertThat(mail.subject()).isEqualTo("Delete your Roamio account");
    assertThat(mail.text()).as("each part is looked up on its own").contains("您正在「Roamio」验证您的邮箱地址");
  }

  @Test
  @DisplayName("replacing the layout restyles every mail of that language")
  void layoutOverride() {
    write(folder, "layout.en.html.mustache",
        "<html><body style=\"background:#000\"><h1>{{$heading}}Hi{{/heading}}</h1><b>{{code}}</b>{{$ignore}}{{/ignore}}</body></html>");
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder().templateFolder(folder).build();

    assertThat(renderer.render(context(VerificationType.RESET_PASSWORD, Locale.ENGLISH)).html())
        .startsWith("<html><body style=\"background:#000\"><h1>Reset your password</h1><b>" + CODE + "</b>");
    assertThat(renderer.render(context(VerificationType.LOGIN, Locale.SIMPLIFIED_CHINESE)).html())
        .contains("PingFang SC");
  }

  @Test
  @DisplayName("templates are compiled once and cached: editing a file after the first render changes nothing")
  void compiledTemplatesAreCached() throws IOException {
    Path file = write(folder, "login.en.subject.mustache", "first");
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder().templateFolder(folder).build();
    assertThat(renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH)).subject()).isEqualTo("first");

    Files.writeString(file, "second");

    assertThat(renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH)).subject()).isEqualTo("first");
    assertThat(MustacheTemplateRenderer.builder().templateFolder(folder).build()
        .render(context(VerificationType.LOGIN, Locale.ENGLISH)).subject()).isEqualTo("second");
  }

  @Test
  @DisplayName("app templates see the send request's extra values")
  void extraValues() {
    write(folder, "login.en.txt.mustache", "Hi {{userName}}, your code is {{code}} ({{validityMinutes}} min, {{type}})");
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder().templateFolder(folder).build();

    RenderedMail mail = renderer.render(context(VerificationType.LOGIN, Locale.ENGLISH, CODE, "Roamio",
        Map.of("userName", "Ada")));

    assertThat(mail.text()).isEqualTo("Hi Ada, your code is " + CODE + " (10 min, login)");
  }

  @Test
  @DisplayName("a missing template fails at build with every name tried")
  void missingDefaultTemplateFailsAtBuild() {
    assertThatThrownBy(() -> MustacheTemplateRenderer.builder().defaultLocale(Locale.FRENCH).build())
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e.triedNames()).containsExactly("register.fr.subject.mustache", "generic.fr.subject.mustache");
          assertThat(e.getMessage()).contains("no subject template for type 'register' and locale fr")
              .contains("register.fr.subject.mustache, generic.fr.subject.mustache")
              .contains("bundled templates");
          assertThat(e.templateName()).isEmpty();
        });
  }

  @Test
  @DisplayName("a template missing at render time fails with the names tried, in order")
  void missingTemplateAtRender() throws IOException {
    for (String part : List.of("subject", "txt", "html")) {
      write(folder, "generic.fr." + part + ".mustache", part.equals("subject") ? "Code" : "Code {{code}}");
    }
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder()
        .templateFolder(folder).defaultLocale(Locale.FRENCH).build();
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }

    assertThatThrownBy(() -> renderer.render(context(VerificationType.of("export-data"), FRENCH_CANADA)))
        .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.triedNames()).containsExactly(
            "export-data.fr-CA.subject.mustache", "export-data.fr.subject.mustache",
            "generic.fr-CA.subject.mustache", "generic.fr.subject.mustache"));
  }
}
