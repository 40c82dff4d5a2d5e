package dev.mailverify.core.spi;

import dev.mailverify.core.internal.PlainTextRenderer;

/**
 * Turns a {@link TemplateContext} into a subject and bodies. Implementations must be thread-safe
 * and must escape every value they put into HTML (contract C21).
 *
 * <p>Core ships {@link #plainText()} (English and Simplified Chinese, text only); the
 * {@code verification-template} module ships Mustache HTML + text templates.
 */
@FunctionalInterface
public interface TemplateRenderer {

  /**
   * Renders one mail.
   *
   * @param context what to render; not null
   * @return the subject and bodies, with the code in every body
   * @throws dev.mailverify.core.MailVerifyException if a template is missing or broken
   */
  RenderedMail render(TemplateContext context);

  /**
   * Renders the notice of a change of address, sent to the old address with a "this wasn't me"
   * link (C33). The notice carries no code. The default is the built-in plain-text notice, in
   * English or Simplified Chinese; {@code verification-template} renders bundled HTML and text.
   *
   * @param context what to render; not null
   * @return the subject and bodies, with the revert link in every body
   * @throws dev.mailverify.core.MailVerifyException if a template is missing or broken
   */
  default RenderedMail renderAddressChanged(AddressChangeContext context) {
    return plainText().renderAddressChanged(context); // the built-in renderer overrides this method
  }

  /**
   * Returns the built-in plain-text renderer: English, or Simplified Chinese for any {@code zh}
   * locale.
   *
   * @return the renderer
   */
  static TemplateRenderer plainText() {
    return PlainTextRenderer.INSTANCE;
  }
}
