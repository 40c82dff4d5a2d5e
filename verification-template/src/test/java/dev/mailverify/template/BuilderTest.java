package dev.mailverify.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.RenderedMail;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuilderTest {
  @TempDir
  Path folder;

  @Test
  @DisplayName("every setter rejects null, naming the parameter")
  void nullsRejected() {
    MustacheTemplateRenderer.Builder b = MustacheTemplateRenderer.builder();
    assertThatThrownBy(() -> b.baseUrl(null)).isInstanceOf(NullPointerException.class).hasMessage("baseUrl");
    assertThatThrownBy(() -> b.supportUrl(null)).isInstanceOf(NullPointerException.class).hasMessage("supportUrl");
    assertThatThrownBy(() -> b.templateFolder(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("templateFolder");
    assertThatThrownBy(() -> b.classpathTemplates(null)).isInstanceOf(NullPointerException.class).hasMessage("prefix");
    assertThatThrownBy(() -> b.classpathTemplates("x", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("loader");
    assertThatThrownBy(() -> b.defaultLocale(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("defaultLocale");
    assertThatThrownBy(() -> b.purpose(null, Locale.ENGLISH, "x")).isInstanceOf(NullPointerException.class)
        .hasMessage("type");
    assertThatThrownBy(() -> MustacheTemplateRenderer.builder().build().render(null))
        .isInstanceOf(NullPointerException.class).hasMessage("context");
  }

  @Test
  @DisplayName("a setter may be called again: the last call wins")
  void lastCallWins() {
    Contexts.write(folder, "register.en.subject.mustache", "From the folder");
    MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder()
        .baseUrl("https://a.example").baseUrl("https://b.example")
        .supportUrl("https://help-a.example").supportUrl("https://help-b.example")
        .classpathTemplates("no-such-templates").templateFolder(folder)
        .defaultLocale(Locale.ENGLISH).defaultLocale(Locale.CHINESE)
        .purpose(VerificationType.of("x"), Locale.ENGLISH, "do x").purpose(VerificationType.of("x"), Locale.ENGLISH,
            "do y")
        .build();
    RenderedMail register = renderer.render(Contexts.context(VerificationType.REGISTER, Locale.ENGLISH));
    assertThat(register.subject()).isEqualTo("From the folder");
    assertThat(register.text()).contains("https://b.example").doesNotContain("https://a.example")
        .contains("https://help-b.example").doesNotContain("help-a");
    assertThat(renderer.render(Contexts.context(VerificationType.of("x"), Locale.ENGLISH)).text())
        .contains("do y").doesNotContain("do x");
    assertThat(renderer.render(Contexts.context(VerificationType.LOGIN, Locale.JAPANESE)).subject())
        .as("the last default locale, Chinese, serves a locale without templates").containsPattern("[\\u4e00-\\u9fff]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"javascript:alert(1)", "ftp://files.example", "/relative/path", "roamio.example",
      "https://user:secret@roamio.example", "https://", "http://exa mple.com", "mailto:help@roamio.example"})
  @DisplayName("C21 links must be absolute http(s) URLs with a host and no user information")
  void badUrlsRejected(String url) {
    assertThatThrownBy(() -> MustacheTemplateRenderer.builder().baseUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("baseUrl must")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> MustacheTemplateRenderer.builder().supportUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("supportUrl must");
  }

  @Test
  @DisplayName("a good URL is kept as given")
  void goodUrl() {
    assertThat(MustacheTemplateRenderer.builder().baseUrl("HTTPS://Roamio.example/app?x=1").build().toString())
        .contains("baseUrl=HTTPS://Roamio.example/app?x=1");
  }

  @Test
  @DisplayName("a template folder must exist")
  void folderMustExist() {
    assertThatThrownBy(() -> MustacheTemplateRenderer.builder().templateFolder(folder.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("existing folder");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc", "mail/../../x", "a\\b", "mail templates"})
  @DisplayName("a class-path prefix cannot climb out or hold odd characters")
  void badPrefix(String prefix) {
    assertThatThrownBy(() -> MustacheTemplateRenderer.builder().classpathTemplates(prefix))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("locales need a language; purposes need words without control characters")
  void localeAndPurposeChecks() {
    assertThatThrownBy(() -> MustacheTemplateRenderer.builder().defaultLocale(Locale.ROOT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MustacheTemplateRenderer.builder().purpose(VerificationType.LOGIN, Locale.ROOT, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MustacheTemplateRenderer.builder().purpose(VerificationType.LOGIN, Locale.ENGLISH, " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MustacheTemplateRenderer.builder()
        .purpose(VerificationType.LOGIN, Locale.ENGLISH, "log\nin")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the locale chain goes from most to least specific, then the default locale")
  void localeChain() {
    assertThat(MustacheTemplateRenderer.localeTags(Locale.forLanguageTag("zh-Hant-TW"), Locale.ENGLISH))
        .containsExactly("zh-Hant-TW", "zh-Hant", "zh-TW", "zh", "en");
    assertThat(MustacheTemplateRenderer.localeTags(Locale.SIMPLIFIED_CHINESE, Locale.SIMPLIFIED_CHINESE))
        .containsExactly("zh-CN", "zh");
    assertThat(MustacheTemplateRenderer.localeTags(Locale.ROOT, Locale.US)).containsExactly("en-US", "en");
  }

  @Test
  @DisplayName("toString names sources and links only")
  void toStringShowsConfiguration() {
    assertThat(MustacheTemplateRenderer.builder().supportUrl("https://roamio.example/help").build().toString())
        .isEqualTo("MustacheTemplateRenderer[sources=[bundled templates], defaultLocale=en, baseUrl=null,"
            + " supportUrl=https://roamio.example/help]");
  }
}
