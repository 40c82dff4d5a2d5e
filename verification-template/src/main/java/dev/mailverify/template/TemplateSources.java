package dev.mailverify.template;

import com.github.mustachejava.MustacheResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where templates come from, in order: the application's folder, its class-path prefix, then the
 * templates bundled in this module. The first source that has a name wins, so an application
 * replaces a bundled template by giving a file the same name.
 *
 * <p>Names are plain relative paths ({@code login.en.html.mustache}, {@code layouts/mail.mustache});
 * absolute paths, {@code ..} and back-slashes are refused, so a partial can never read outside
 * its source. Files are UTF-8 (a byte-order mark is ignored).
 */
final class TemplateSources implements MustacheResolver {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
  static final String BUNDLED_ROOT = "bundled/";

  /** One place templates can come from. */
  interface Source {
    /** Returns the template's bytes, or {@code null} if this source has no such name. */
    byte @Nullable [] read(String name) throws IOException;

    /** Tells whether this source has the name, without reading it. */
    boolean has(String name);

    /** Describes the source for messages, for example {@code folder /srv/app/mail}. */
    String describe();
  }

  private final List<Source> sources;

  TemplateSources(List<Source> sources) {
    this.sources = List.copyOf(sources);
  }

  /** A folder on disk. */
  static Source folder(Path root) {
    Path base = root.toAbsolutePath().normalize();
    return new Source() {
      @Override
      public byte @Nullable [] read(String name) throws IOException {
        Path file = base.resolve(name).normalize();
        return file.startsWith(base) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
      }

      @Override
      public boolean has(String name) {
        Path file = base.resolve(name).normalize();
        return file.startsWith(base) && Files.isRegularFile(file);
      }

      @Override
      public String describe() {
        return "folder " + base;
      }
    };
  }

  /** Resources under a prefix of a class loader; {@code prefix} is empty or ends with '/'. */
  static Source classpath(ClassLoader loader, String prefix) {
    return new Source() {
      @Override
      public byte @Nullable [] read(String name) throws IOException {
        try (InputStream in = loader.getResourceAsStream(prefix + name)) {
          return in == null ? null : in.readAllBytes();
        }
      }

      @Override
      public boolean has(String name) {
        return loader.getResource(prefix + name) != null;
      }

      @Override
      public String describe() {
        return "class path " + (prefix.isEmpty() ? "/" : prefix);
      }
    };
  }

  /** The templates shipped in this module. */
  static Source bundled() {
    return new Source() {
      @Override
      public byte @Nullable [] read(String name) throws IOException {
        try (InputStream in = TemplateSources.class.getResourceAsStream(BUNDLED_ROOT + name)) {
          return in == null ? null : in.readAllBytes();
        }
      }

      @Override
      public boolean has(String name) {
        URL url = TemplateSources.class.getResource(BUNDLED_ROOT + name);
        return url != null;
      }

      @Override
      public String describe() {
        return "bundled templates";
      }
    };
  }

  /**
   * Finds the first source that has a template.
   *
   * @param name the template's file name
   * @return the source's description, or empty if no source has it
   */
  Optional<String> locate(String name) {
    checkName(name);
    for (Source source : sources) {
      if (source.has(name)) {
        return Optional.of(source.describe());
      }
    }
    return Optional.empty();
  }

  /** Called by mustache.java for top-level templates and for partials; {@code null} if missing. */
  @Override
  public @Nullable Reader getReader(String name) {
    checkName(name);
    for (Source source : sources) {
      byte[] bytes;
      try {
        bytes = source.read(name);
      } catch (IOException e) {
        throw new TemplateException("template " + name + " could not be read from " + source.describe()
            + ": " + e.getClass().getSimpleName(), name, e);
      }
      if (bytes != null) {
        return new StringReader(decode(bytes, name, source));
      }
    }
    return null;
  }

  private static String decode(byte[] bytes, String name, Source source) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new TemplateException("template " + name + " in " + source.describe()
          + " is not valid UTF-8; save it as UTF-8", name, e);
    }
  }

  private static void checkName(String name) {
    boolean safe = SAFE_NAME.matcher(name).matches();
    if (safe) {
      for (String segment : name.split("/")) {
        if (segment.equals(".") || segment.equals("..")) {
          safe = false;
          break;
        }
      }
    }
    if (!safe) {
      throw new TemplateException("template name '" + name + "' is not allowed: use a relative name made of"
          + " letters, digits, '.', '_', '-' and '/', without '..'", name, null);
    }
  }

  @Override
  public String toString() {
    return sources.stream().map(Source::describe).toList().toString();
  }
}
