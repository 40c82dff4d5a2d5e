package dev.mailverify.template;

import dev.mailverify.core.spi.TemplateRenderer;
import dev.mailverify.test.TemplateRendererContract;

/**
 * The Mustache renderer with its bundled templates passes the renderer kit: REGISTER, LOGIN,
 * RESET_PASSWORD and CHANGE_EMAIL in zh-CN and en, HTML escaped (C21).
 */
class MustacheTemplateRendererContractTest extends TemplateRendererContract {
  @Override
  protected TemplateRenderer createRenderer() {
    return MustacheTemplateRenderer.builder()
        .baseUrl("https://roamio.example")
        .supportUrl("https://roamio.example/help")
        .build();
  }
}
