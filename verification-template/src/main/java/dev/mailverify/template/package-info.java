/**
 * HTML + text verification mails rendered with Mustache. The entry point is
 * {@link dev.mailverify.template.MustacheTemplateRenderer#builder()}; plug the renderer into the
 * service with {@code VerificationCodeService.builder().renderer(renderer)}.
 *
 * <p>Templates are found by name, {@code <type>.<locale>.<part>.mustache} (for example
 * {@code reset_password.zh.html.mustache}), first in the application's folder, then under its
 * class-path prefix, then among the bundled ones. Every value is HTML-escaped in the HTML part
 * (contract C21); a template that names a value nobody supplied fails with a
 * {@link dev.mailverify.template.TemplateException} naming the template and the variable.
 * {@link dev.mailverify.template.TemplatePreview} writes every bundled mail to a folder to look
 * at in a browser.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless it says so; a {@code null}
 * where none is allowed throws {@link java.lang.NullPointerException} naming the parameter.
 */
@NullMarked
package dev.mailverify.template;

import org.jspecify.annotations.NullMarked;
