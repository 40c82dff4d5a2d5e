package dev.mailverify.spring;

import dev.mailverify.smtp.SmtpEnvironment;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * The seed's variable names ({@code USE_REAL_EMAIL}, {@code EMAIL_HOST}, ...) read from Spring's
 * {@link Environment}: the process environment, system properties, or a {@code .env} file imported
 * with {@code spring.config.import=optional:file:.env[.properties]}. Values are trimmed, and one pair
 * of surrounding quotes is removed as dotenv does ({@code DEFAULT_FROM_EMAIL="Roamio <a@qq.com>"}).
 */
final class SeedVariables {
  private final Environment environment;

  SeedVariables(Environment environment) {
    this.environment = environment;
  }

  @Nullable String get(String name) {
    String v = environment.getProperty(name);
    if (v == null) {
      return null;
    }
    v = v.strip();
    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      v = v.substring(1, v.length() - 1).strip();
    }
    return v.isEmpty() ? null : v;
  }

  /**
   * Reads a seed switch: 1/true/yes/on or 0/false/no/off, any case.
   *
   * @throws IllegalArgumentException naming the variable for any other value
   */
  @Nullable Boolean flag(String name) {
    String v = get(name);
    if (v == null) {
      return null;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on":
        return Boolean.TRUE;
      case "0", "false", "no", "off":
        return Boolean.FALSE;
      default:
        throw new IllegalArgumentException(name + " must be 1 or 0 (true/false, yes/no, on/off)");
    }
  }

  boolean realMail() {
    return Boolean.TRUE.equals(flag(SmtpEnvironment.USE_REAL_EMAIL));
  }
}
