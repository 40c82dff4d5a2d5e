package dev.mailverify.template;

import static dev.mailverify.template.Contexts.CODE;
import static dev.mailverify.template.Contexts.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BundledTemplatesTest {
  private static final List<VerificationType> TYPES = List.of(VerificationType.REGISTER, VerificationType.LOGIN,
      VerificationType.RESET_PASSWORD, VerificationType.CHANGE_EMAIL, VerificationType.of("delete-account"));
  private static final List<Locale> LOCALES = List.of(Locale.ENGLISH, Locale.US, Locale.SIMPLIFIED_CHINESE,
      Locale.CHINESE, Locale.TRADITIONAL_CHINESE);
  private static final String HOSTILE = "<script>alert(\"x\")</script> & 'Co' `=`";

  private final MustacheTemplateRenderer renderer = MustacheTemplateRenderer.builder()
      .baseUrl("https://roamio.example")
      .supportUrl("https://roamio.example/help?topic=codes&lang=en")
      .build();

  static Stream<Arguments> typesAndLocales() {
    List<Arguments> all = new ArrayList<>();
    for (VerificationType type : TYPES) {
      for (Locale locale : LOCALES) {
        all.add(Arguments.of(type, locale));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("typesAndLocales")
  @DisplayName("every bundled mail has a subject without the code and the code in text and HTML")
  void everyTypeAndLocaleRenders(VerificationType type, Locale locale) {
    RenderedMail mail = renderer.render(context(type, locale));

    assertThat(mail.subject()).isNotBlank().doesNotContain(CODE).doesNotContain("{{").doesNotContain("\n");
    assertThat(mail.text()).contains(CODE).doesNotContain("{{").doesNotContain("}}")
        .containsIgnoringCase(locale.getLanguage().equals("zh") ? "分钟内有效" : "valid for 10 minutes")
        .contains(locale.getLanguage().equals("zh") ? "请忽略本邮件" : "ignore this e-mail")
        .contains("a***@example.com")
        .doesNotContain("ada.lovelace")
        .doesNotContainIgnoringCase("HTML client");
    assertThat(mail.html()).isNotNull();
    assertThat(mail.html()).startsWith("<!DOCTYPE html>")
        .contains(">" + CODE + "</td>")
        .contains(locale.getLanguage().equals("zh") ? "分钟</strong>内有效" : "valid for <strong>10 minutes</strong>")
        .contains(locale.getLanguage().equals("zh") ? "请忽略本邮件" : "ignore this e-mail")
        .contains("href=\"https://roamio.example/help?topic&#61;codes&amp;lang&#61;en\"")
        .doesNotContain("{{").doesNotContain("}}")
        .doesNotContain("ada.lovelace");
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("typesAndLocales")
  @DisplayName("C21 hostile values are HTML-escaped in every bundled HTML part and kept as typed in text")
  void hostileValuesAreEscaped(VerificationType type, Locale locale) {
    TemplateContext context = TemplateContext.builder(type, CODE, EmailAddress.parse("'ada&co@example.com")).locale(locale).validity(Duration.ofMinutes(10)).appName(HOSTILE).values(Map.of("extra", HOSTILE)).build();

    RenderedMail mail = renderer.render(context);

    assertThat(mail.html())
        .doesNotContain("<script")
        .doesNotContain(HOSTILE)
        .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39; &#96;&#61;&#96;")
        .contains("&#39;***@example.com");
    assertThat(mail.text()).contains(HOSTILE);
    assertThat(mail.subject()).contains(HOSTILE);
  }

  @Test
  @DisplayName("without app name and links the bundled mails still read well")
  void rendersWithoutOptionalValues() {
    MustacheTemplateRenderer plain = MustacheTemplateRenderer.builder().build();

    RenderedMail en = plain.render(context(VerificationType.LOGIN, Locale.ENGLISH, CODE, null, Map.of()));
    RenderedMail zh = plain.render(context(VerificationType.LOGIN, Locale.SIMPLIFIED_CHINESE, CODE, null, Map.of()));

    assertThat(en.subject()).isEqualTo("Your login code");
    assertThat(en.text()).contains("Use this code to log in:").doesNotContain("Need help").doesNotContain("http");
    assertThat(en.html()).doesNotContain("<a ").doesNotContain(" at :");
    assertThat(zh.subject()).isEqualTo("登录验证码");
    assertThat(zh.text()).contains("您正在登录，验证码是：").doesNotContain("「");
  }

  @Test
  @DisplayName("subjects name the purpose and the app in both languages")
  void subjects() {
    assertThat(renderer.render(context(VerificationType.REGISTER, Locale.ENGLISH)).subject())
        .isEqualTo("Confirm your e-mail address for Roamio");
    assertThat(renderer.render(context(VerificationType.RESET_PASSWORD, Locale.SIMPLIFIED_CHINESE)).subject())
        .isEqualTo("【Roamio】重置密码验证码");
    assertThat(renderer.render(context(VerificationType.of("delete-account"), Locale.SIMPLIFIED_CHINESE)).subject())
        .isEqualTo("【Roamio】邮箱验证码");
  }

  @Test
  @DisplayName("the HTML is mail-client safe: tables and inline styles, no script, style sheet, image or form")
  void htmlIsMailClientSafe() throws IOException {
    for (Path file : bundledFiles()) {
      String source = Files.readString(file, StandardCharsets.UTF_8);
      String name = file.getFileName().toString();
      assertThat(source).as(name).doesNotContain("{{{").doesNotContain("{{&").doesNotContain("{{>*");
      if (name.endsWith(".html.mustache")) {
        String lower = source.toLowerCase(Locale.ROOT);
        assertThat(lower).as(name).doesNotContain("<script").doesNotContain("<img").doesNotContain("<style")
            .doesNotContain("<link").doesNotContain("<form").doesNotContain("src=").doesNotContain("javascript:")
            .doesNotContain("url(");
      }
      if (name.endsWith(".subject.mustache")) {
        assertThat(source).as(name).doesNotContain("code}}").hasLineCount(1);
      }
    }
    for (VerificationType type : TYPES) {
      String html = renderer.render(context(type, Locale.ENGLISH)).html();
      assertThat(html).contains("role=\"presentation\"").contains("<table").contains("style=\"");
    }
  }

  @Test
  @DisplayName("there is a subject, text and HTML template for every built-in type, generic and the C33 notice (address_changed), in en and zh")
  void everyBundledTemplateExists() throws IOException {
    List<String> names = bundledFiles().stream().map(p -> p.getFileName().toString()).toList();
    for (String type : List.of("register", "login", "reset_password", "change_email", "generic", "address_changed")) {
      for (String locale : List.of("en", "zh")) {
        for (String part : List.of("subject", "txt", "html")) {
          assertThat(names).contains(type + "." + locale + "." + part + ".mustache");
        }
      }
    }
    assertThat(names).contains("layout.en.html.mustache", "layout.zh.html.mustache").hasSize(38);
  }

  @Test
  @DisplayName("the purpose wording follows the type and the language")
  void purposeWording() {
    assertThat(renderer.render(context(VerificationType.CHANGE_EMAIL, Locale.ENGLISH)).text())
        .contains("Use this code to confirm your new e-mail address at Roamio:")
        .contains("this address (a***@example.com) becomes the e-mail address of your account");
    assertThat(renderer.render(context(VerificationType.REGISTER, Locale.SIMPLIFIED_CHINESE)).text())
        .contains("您正在「Roamio」完成注册，验证码是：");
    assertThat(renderer.render(context(VerificationType.of("delete-account"), Locale.ENGLISH)).text())
        .contains("Use this code to verify your e-mail address at Roamio:");
  }

  @Test
  @DisplayName("validity reads naturally: 1 minute, 90 minutes, 2 hours, 10 分钟")
  void validityInWords() {
    assertThat(render(Duration.ofMinutes(1), Locale.ENGLISH)).contains("valid for 1 minute and");
    assertThat(render(Duration.ofSeconds(61), Locale.ENGLISH)).contains("valid for 2 minutes");
    assertThat(render(Duration.ofMinutes(90), Locale.ENGLISH)).contains("valid for 90 minutes");
    assertThat(render(Duration.ofHours(2), Locale.ENGLISH)).contains("valid for 2 hours");
    assertThat(render(Duration.ofHours(1), Locale.ENGLISH)).contains("valid for 1 hour and");
    assertThat(render(Duration.ofMinutes(10), Locale.SIMPLIFIED_CHINESE)).contains("验证码 10 分钟内有效");
    assertThat(render(Duration.ofHours(24), Locale.SIMPLIFIED_CHINESE)).contains("验证码 24 小时内有效");
  }

  private String render(Duration validity, Locale locale) {
    return renderer.render(TemplateContext.builder(VerificationType.LOGIN, CODE, EmailAddress.parse("ada@example.com")).locale(locale).validity(validity).build()).text();
  }

  private static List<Path> bundledFiles() throws IOException {
    try {
      Path dir = Path.of(TemplateSources.class.getResource(TemplateSources.BUNDLED_ROOT).toURI());
      try (Stream<Path> files = Files.list(dir)) {
        return files.sorted().toList();
      }
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }
}
