package dev.mailverify.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RealisticMailRendererTest {

  private final RealisticMailRenderer renderer = new RealisticMailRenderer();

  private static TemplateContext context(Locale locale, String app) {
    return TemplateContext.builder(VerificationType.REGISTER, "482913", EmailAddress.parse("zhang.wei@example.com")).locale(locale).validity(Duration.ofMinutes(10)).appName(app).build();
  }

  @Test
  @DisplayName("a Chinese mail has a UTF-8 subject, the code in both parts and about 2 KB of HTML")
  void chineseMailIsRealistic() {
    RenderedMail mail = renderer.render(context(Locale.SIMPLIFIED_CHINESE, "Roamio 旅行"));

    assertThat(mail.subject()).contains("验证码").contains("Roamio 旅行");
    assertThat(mail.text()).contains("482913").contains("10 分钟");
    assertThat(mail.html()).contains("482913").contains("lang=\"zh-CN\"");
    assertThat(mail.html().getBytes(StandardCharsets.UTF_8).length).isBetween(1800, 3200);
  }

  @Test
  @DisplayName("an English mail says the same in English")
  void englishMail() {
    RenderedMail mail = renderer.render(context(Locale.ENGLISH, "Roamio"));

    assertThat(mail.subject()).startsWith("Your Roamio verification code");
    assertThat(mail.text()).contains("482913").contains("valid for 10 minutes");
    assertThat(mail.html()).contains("lang=\"en\"").contains("Sent to zhang.wei@example.com");
  }

  @Test
  @DisplayName("values are escaped in the HTML part")
  void escapesValues() {
    RenderedMail mail = renderer.render(context(Locale.ENGLISH, "<b>Tom & Jerry's</b>"));

    assertThat(mail.html()).contains("&lt;b&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;").doesNotContain("<b>Tom");
  }
}
