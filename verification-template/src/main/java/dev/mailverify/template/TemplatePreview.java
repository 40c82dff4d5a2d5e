package dev.mailverify.template;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes every bundled mail, for every type and locale, to a folder as {@code .html} and
 * {@code .txt} files with an {@code index.html}, so a person can look at them in a browser.
 * Given a template folder, it previews the application's own templates the same way.
 *
 * <p>From the repository root:
 *
 * <pre>
 * ./mvnw -q -pl verification-template -am -Ppreview -DskipTests verify
 * </pre>
 *
 * <p>writes to {@code verification-template/target/template-preview}; add
 * {@code -Dpreview.dir=/some/folder} to choose the folder and
 * {@code -Dpreview.templates=/app/mail-templates} to preview overrides. On a plain class path:
 * {@code java dev.mailverify.template.TemplatePreview OUTPUT_FOLDER [TEMPLATE_FOLDER]}.
 *
 * <p>Not thread-safe and not meant for production code; it has no state.
 */
public final class TemplatePreview {
  /** The types previewed: the four built-in ones and the generic fallback. */
  static final List<VerificationType> TYPES = List.of(VerificationType.REGISTER, VerificationType.LOGIN,
      VerificationType.RESET_PASSWORD, VerificationType.CHANGE_EMAIL, VerificationType.of(Wording.GENERIC));

  /** The locales previewed. */
  static final List<Locale> LOCALES = List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE);

  private static final String USAGE = "usage: TemplatePreview OUTPUT_FOLDER [TEMPLATE_FOLDER]";

  private TemplatePreview() {}

  /**
   * Writes the previews; exits with status 2 on bad arguments, 1 if a template fails.
   *
   * @param args the output folder, optionally followed by a folder of the application's templates
   */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Writes the previews and reports what it did.
   *
   * @param args the output folder, optionally followed by a template folder; not null
   * @param out where to report the files written
   * @param err where to report errors
   * @return 0 on success, 1 if a template failed, 2 on bad arguments
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 1 || args.length > 2 || args[0] == null || args[0].isBlank()) {
      err.println(USAGE);
      return 2;
    }
    Path target = Path.of(args[0]);
    MustacheTemplateRenderer.Builder builder = MustacheTemplateRenderer.builder()
        .baseUrl("https://roamio.example")
        .supportUrl("https://roamio.example/help");
    if (args.length == 2 && args[1] != null && !args[1].isBlank()) {
      Path templates = Path.of(args[1]);
      if (!Files.isDirectory(templates)) {
        err.println("template folder does not exist: " + templates.toAbsolutePath());
        err.println(USAGE);
        return 2;
      }
      builder.templateFolder(templates);
    }
    try {
      List<String> written = write(builder.build(), target);
      out.println("wrote " + written.size() + " files to " + target.toAbsolutePath());
      out.println("open " + target.resolve("index.html").toAbsolutePath().toUri());
      return 0;
    } catch (TemplateException e) {
      err.println("template error: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Renders every type in every locale and writes the files.
   *
   * @param renderer the renderer
   * @param target the output folder, created if missing
   * @return the names of the files written, {@code index.html} last
   * @throws TemplateException if a template fails
   */
  static List<String> write(MustacheTemplateRenderer renderer, Path target) {
    StringBuilder index = new StringBuilder();
    index.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>mailverify template preview"
        + "</title></head>\n<body style=\"font-family:sans-serif; margin:32px;\">\n<h1>mailverify template preview</h1>\n"
        + "<table cellpadding=\"6\" border=\"1\" style=\"border-collapse:collapse;\">\n"
        + "<tr><th>type</th><th>locale</th><th>subject</th><th>parts</th></tr>\n");
    List<String> written = new java.util.ArrayList<>();
    try {
      Files.createDirectories(target);
      for (VerificationType type : TYPES) {
        for (Locale locale : LOCALES) {
          RenderedMail mail = renderer.render(sample(type, locale));
          String base = type.name() + "." + locale.toLanguageTag();
          Files.writeString(target.resolve(base + ".html"), mail.html(), StandardCharsets.UTF_8);
          Files.writeString(target.resolve(base + ".txt"), mail.text(), StandardCharsets.UTF_8);
          written.add(base + ".html");
          written.add(base + ".txt");
          index.append("<tr><td>").append(type.name()).append("</td><td>").append(locale.toLanguageTag())
              .append("</td><td>").append(StrictMustacheFactory.escapeHtml(mail.subject()))
              .append("</td><td><a href=\"").append(base).append(".html\">HTML</a> · <a href=\"")
              .append(base).append(".txt\">text</a></td></tr>\n");
        }
      }
      index.append("</table>\n<p>Sample values: app name Roamio, code 482913, valid 10 minutes,"
          + " recipient ada.lovelace@example.com.</p>\n</body>\n</html>\n");
      Files.writeString(target.resolve("index.html"), index, StandardCharsets.UTF_8);
      written.add("index.html");
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the preview to " + target.toAbsolutePath(), e);
    }
    return List.copyOf(written);
  }

  private static TemplateContext sample(VerificationType type, Locale locale) {
    return TemplateContext.builder(type, "482913", EmailAddress.parse("ada.lovelace@example.com")).locale(locale).validity(Duration.ofMinutes(10)).appName("Roamio").build();
  }
}
