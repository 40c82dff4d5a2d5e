package dev.mailverify.smtp;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where configuration variables come from: the process environment, a map (tests), a {@code .env}
 * file, or a chain of these. A small function so that tests never need real environment
 * variables.
 *
 * <pre>{@code
 * // the environment wins over the .env file
 * EnvironmentSource source = EnvironmentSource.system().orElse(EnvironmentSource.dotenv(Path.of(".env")));
 * MailTransport transport = SmtpEnvironment.createTransport(source, SmtpEnvironment.Mode.DEVELOPMENT);
 * }</pre>
 */
@FunctionalInterface
public interface EnvironmentSource {

  /**
   * Returns a variable's value.
   *
   * @param name the variable name; not null
   * @return the value, or {@code null} when the variable is not set
   */
  @Nullable String get(String name);

  /**
   * Returns a source that asks this one first and {@code fallback} for what this one lacks.
   *
   * @param fallback the lower-priority source; not null
   * @return the combined source
   */
  default EnvironmentSource orElse(EnvironmentSource fallback) {
    Objects.requireNonNull(fallback, "fallback");
    return name -> {
      String value = get(name);
      return value != null ? value : fallback.get(name);
    };
  }

  /**
   * Reads the process environment ({@link System#getenv(String)}).
   *
   * @return the process environment
   */
  static EnvironmentSource system() {
    return System::getenv;
  }

  /**
   * Reads a map, copied now.
   *
   * @param variables names to values; not null, no null keys or values
   * @return a source over a copy of the map
   */
  static EnvironmentSource of(Map<String, String> variables) {
    Map<String, String> copy = Map.copyOf(Objects.requireNonNull(variables, "variables"));
    return copy::get;
  }

  /**
   * Reads a {@code .env} file now (with dotenv-java), returning only what the file declares.
   *
   * @param file the file, for example {@code Path.of(".env")}; not null
   * @return a source over the file's variables
   * @throws SmtpConfigurationException when the file does not exist, cannot be read or has a
   *     malformed line; the message names the file and never shows a line, which may hold a secret
   */
  static EnvironmentSource dotenv(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new SmtpConfigurationException("the .env file " + file.toAbsolutePath()
          + " does not exist; check the path, or load it from the application's working directory", List.of());
    }
    return readDotenv(file);
  }

  /**
   * Reads a {@code .env} file now if it exists; a missing file gives an empty source.
   *
   * @param file the file; not null
   * @return a source over the file's variables, or an empty source
   * @throws SmtpConfigurationException when the file exists but cannot be read or is malformed
   */
  static EnvironmentSource dotenvIfPresent(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.exists(file)) {
      return name -> null;
    }
    return dotenv(file);
  }

  private static EnvironmentSource readDotenv(Path file) {
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    Map<String, String> values = new HashMap<>();
    try {
      Dotenv dotenv = Dotenv.configure()
          .directory(parent == null ? "." : parent.toString())
          .filename(absolute.getFileName().toString())
          .load();
      for (DotenvEntry entry : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
        values.put(entry.getKey(), entry.getValue());
      }
    } catch (DotenvException e) {
      // dotenv-java's message quotes the offending line, which may hold a password: drop it
      throw new SmtpConfigurationException("the .env file " + absolute
          + " could not be read or has a malformed line (expected NAME=value; the line is not shown"
          + " because it may hold a secret)", List.of());
    }
    Map<String, String> copy = Map.copyOf(values);
    return copy::get;
  }
}
