package dev.mailverify.core.spi;

import dev.mailverify.test.TemplateRendererContract;

/** The built-in plain-text renderer passes the renderer kit for every type, in Chinese and English. */
class PlainTextRendererContractTest extends TemplateRendererContract {
  @Override
  protected TemplateRenderer createRenderer() {
    return TemplateRenderer.plainText();
  }
}
