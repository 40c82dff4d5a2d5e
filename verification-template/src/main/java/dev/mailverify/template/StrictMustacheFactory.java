package dev.mailverify.template;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.DefaultMustacheVisitor;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.codes.ValueCode;
import com.github.mustachejava.reflect.MapObjectHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A mustache.java factory for one {@link TemplatePart}, stricter than the default:
 *
 * <ul>
 *   <li>values are looked up in maps only (no reflection on the values);
 *   <li>a {@code {{variable}}} without a value fails with a {@link TemplateException} naming the
 *       template, the line and the variable, instead of rendering as empty text; sections
 *       ({@code {{#name}}...{{/name}}}) stay the way to show something only when a value exists;
 *   <li>HTML: every value is HTML-escaped, and {@code {{{name}}}} and {@code {{&name}}} are
 *       refused when the template is compiled (C21);
 *   <li>subject: {@code code} cannot be used at all, so the code never shows in lock-screen
 *       previews and mail logs;
 *   <li>dynamic partials ({@code {{>*name}}}), whose template a value would choose, are refused.
 * </ul>
 *
 * <p>Thread-safe once built: compiled templates are cached by name and may be executed from
 * many threads at once.
 */
final class StrictMustacheFactory extends DefaultMustacheFactory {
  private static final String CODE = "code";

  private final TemplatePart part;

  StrictMustacheFactory(TemplateSources sources, TemplatePart part) {
    super(sources);
    this.part = part;
    setObjectHandler(new MapObjectHandler());
  }

  @Override
  public MustacheVisitor createMustacheVisitor() {
    return new StrictVisitor(this);
  }

  @Override
  public void encode(String value, Writer writer) {
    try {
      if (part == TemplatePart.HTML) {
        writer.write(escapeHtml(value));
      } else {
        writer.write(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Escapes text for HTML element content and quoted or unquoted attribute values.
   *
   * @param value any text
   * @return the text with {@code & < > " ' ` =} replaced by character references
   */
  static String escapeHtml(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String replacement = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        case '`' -> "&#96;";
        case '=' -> "&#61;";
        default -> null;
      };
      if (replacement != null) {
        if (out == null) {
          out = new StringBuilder(value.length() + 16).append(value, 0, i);
        }
        out.append(replacement);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? value : out.toString();
  }

  private static String where(TemplateContext tc) {
    return "template " + tc.file() + " (line " + tc.line() + ")";
  }

  private final class StrictVisitor extends DefaultMustacheVisitor {
    StrictVisitor(DefaultMustacheFactory factory) {
      super(factory);
    }

    @Override
    public void value(TemplateContext tc, String variable, boolean encoded) {
      if (part == TemplatePart.HTML && !encoded) {
        throw new TemplateException(where(tc) + " uses an unescaped value ({{{" + variable + "}}} or {{&"
            + variable + "}}); every value in HTML must be escaped (C21): write {{" + variable + "}}",
            tc.file(), variable, List.of(), null);
      }
      checkSubject(tc, variable);
      list.add(new StrictValueCode(tc, df, variable, encoded));
    }

    @Override
    public void iterable(TemplateContext tc, String variable, Mustache mustache) {
      checkSubject(tc, variable);
      super.iterable(tc, variable, mustache);
    }

    @Override
    public void notIterable(TemplateContext tc, String variable, Mustache mustache) {
      checkSubject(tc, variable);
      super.notIterable(tc, variable, mustache);
    }

    @Override
    public void dynamicPartial(TemplateContext tc, String variable, String indent) {
      throw new TemplateException(where(tc) + " uses a dynamic partial {{>*" + variable
          + "}}; name partials literally, so a value can never choose a template", tc.file(), variable,
          List.of(), null);
    }

    private void checkSubject(TemplateContext tc, String variable) {
      if (part == TemplatePart.SUBJECT && (variable.equals(CODE) || variable.startsWith(CODE + "."))) {
        throw new TemplateException(where(tc) + " puts {{" + variable + "}} in the subject; the code must not"
            + " appear in subjects, which show on lock screens and in mail logs", tc.file(), variable,
            List.of(), null);
      }
    }
  }

  /** A {@code {{variable}}} that refuses to render a missing value as empty text. */
  private static final class StrictValueCode extends ValueCode {
    StrictValueCode(TemplateContext tc, DefaultMustacheFactory df, String variable, boolean encoded) {
      super(tc, df, variable, encoded);
    }

    @Override
    public Writer execute(Writer writer, List<Object> scopes) {
      if (!".".equals(name) && get(scopes) == null) {
        throw new TemplateException(where(tc) + " uses {{" + name + "}}, but no value named '" + name
            + "' was given. Available values: " + available(scopes) + ". Pass it with"
            + " SendRequest.builder(...).templateValue(\"" + name + "\", ...), or show it only when present"
            + " with {{#" + name + "}}...{{/" + name + "}}", tc.file(), name, List.of(), null);
      }
      return super.execute(writer, scopes);
    }

    private static String available(List<Object> scopes) {
      TreeSet<String> names = new TreeSet<>();
      for (Object scope : scopes) {
        if (scope instanceof Map<?, ?> map) {
          map.keySet().forEach(k -> names.add(String.valueOf(k)));
        }
      }
      return names.toString();
    }
  }
}
