/**
 * mailverify templates: a Mustache {@link dev.mailverify.core.spi.TemplateRenderer} with bundled
 * HTML and plain-text verification mails in Simplified Chinese and English.
 *
 * <p>Callers use {@link dev.mailverify.template.MustacheTemplateRenderer}; it is the only
 * exported package. Application templates are read through the class loader or folder the
 * application configures, never by this module on its own.
 */
@SuppressWarnings("requires-automatic") // mustache.java ships no module-info, only Automatic-Module-Name
module dev.mailverify.template {
  requires transitive dev.mailverify.core;
  requires com.github.mustachejava;
  requires com.github.benmanes.caffeine;
  requires static org.jspecify;

  exports dev.mailverify.template;
}
