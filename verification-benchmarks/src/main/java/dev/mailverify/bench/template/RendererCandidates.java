package dev.mailverify.bench.template;

import dev.mailverify.template.MustacheTemplateRenderer;

import dev.mailverify.bench.RealisticMailRenderer;
import dev.mailverify.core.spi.TemplateRenderer;
import java.util.List;

/**
 * The template renderers the benchmarks know, by name: a benchmark with a
 * {@code @Param("plain-text") String renderer} gets its renderer here.
 *
 * <ul>
 *   <li>{@code plain-text}: core's default, text only;
 *   <li>{@code realistic-html}: {@link RealisticMailRenderer}, text plus about 2 KB of HTML, the
 *       floor a template engine can reach;
 *   <li>{@code mustache}: {@code verification-template}'s {@link MustacheTemplateRenderer} with its
 *       bundled HTML + text templates.
 * </ul>
 */
public final class RendererCandidates {

  /** Every name {@link #named(String)} accepts. */
  public static final List<String> NAMES = List.of("plain-text", "realistic-html", "mustache");

  private RendererCandidates() {}

  /**
   * Returns a renderer by name.
   *
   * @param name one of {@link #NAMES}
   * @return the renderer
   * @throws IllegalArgumentException for an unknown name
   */
  public static TemplateRenderer named(String name) {
    return switch (name) {
      case "plain-text" -> TemplateRenderer.plainText();
      case "realistic-html" -> new RealisticMailRenderer();
      case "mustache" -> MustacheTemplateRenderer.builder().build();
      default -> throw new IllegalArgumentException("unknown renderer '" + name + "'; known: " + NAMES);
    };
  }
}
