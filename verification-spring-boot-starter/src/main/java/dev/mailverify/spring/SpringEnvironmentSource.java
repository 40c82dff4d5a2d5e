package dev.mailverify.spring;

import dev.mailverify.smtp.EnvironmentSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * Spring's {@link Environment} as the library's {@link EnvironmentSource}: the seed's variables
 * ({@code EMAIL_HOST}, ...) are read from wherever Spring finds them: the process environment,
 * system properties, or a {@code .env} file imported with
 * {@code spring.config.import=optional:file:.env[.properties]}. As dotenv does, one pair of
 * surrounding quotes is removed ({@code DEFAULT_FROM_EMAIL="Roamio <a@qq.com>"}), because a
 * {@code .env} file read as properties keeps them.
 */
final class SpringEnvironmentSource implements EnvironmentSource {
  private final Environment environment;

  SpringEnvironmentSource(Environment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public @Nullable String get(String name) {
    String v = environment.getProperty(name);
    if (v == null) {
      return null;
    }
    String stripped = v.strip();
    if (stripped.length() >= 2 && (stripped.startsWith("\"") && stripped.endsWith("\"")
        || stripped.startsWith("'") && stripped.endsWith("'"))) {
      return stripped.substring(1, stripped.length() - 1);
    }
    return v;
  }
}
