package dev.mailverify.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplatePreviewTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return TemplatePreview.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("the preview writes an .html and a .txt file for every type and locale, and an index")
  void writesEveryTypeAndLocale() throws Exception {
    Path target = dir.resolve("preview");

    assertThat(run(target.toString())).isZero();

    try (Stream<Path> files = Files.list(target)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .hasSize(5 * 2 * 2 + 1)
          .contains("index.html", "register.en.html", "register.en.txt", "reset_password.zh-CN.html",
              "change_email.zh-CN.txt", "generic.en.html", "login.zh-CN.txt");
    }
    assertThat(Files.readString(target.resolve("login.zh-CN.txt"))).contains("482913").contains("登录");
    assertThat(Files.readString(target.resolve("index.html")))
        .contains("【Roamio】重置密码验证码").contains("href=\"login.en.html\"");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote 21 files");
  }

  @Test
  @DisplayName("the preview renders the app's own templates from a folder")
  void previewsOverrides() throws Exception {
    Path templates = Files.createDirectory(dir.resolve("templates"));
    Contexts.write(templates, "login.en.html.mustache", "<p>mine {{code}}</p>");
    Path target = dir.resolve("preview");

    assertThat(run(target.toString(), templates.toString())).isZero();

    assertThat(Files.readString(target.resolve("login.en.html"))).isEqualTo("<p>mine 482913</p>");
  }

  @Test
  @DisplayName("bad arguments print the usage and exit 2; a broken template exits 1")
  void badArguments() throws Exception {
    assertThat(run()).isEqualTo(2);
    assertThat(run(dir.toString(), dir.resolve("missing").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: TemplatePreview");

    Path templates = Files.createDirectory(dir.resolve("broken"));
    Contexts.write(templates, "login.zh.txt.mustache", "{{missing}} {{code}}");
    assertThat(run(dir.resolve("out").toString(), templates.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("login.zh.txt.mustache").contains("missing");
  }
}
