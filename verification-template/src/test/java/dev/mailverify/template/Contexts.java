package dev.mailverify.template;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.TemplateContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds template contexts and template files for tests. */
final class Contexts {
  static final String CODE = "493027";

  private Contexts() {}

  static TemplateContext context(VerificationType type, Locale locale) {
    return context(type, locale, CODE, "Roamio", Map.of());
  }

  static TemplateContext context(VerificationType type, Locale locale, String code, @Nullable String appName,
      Map<String, String> values) {
    return TemplateContext.builder(type, code, EmailAddress.parse("ada.lovelace@example.com")).locale(locale).validity(Duration.ofMinutes(10)).appName(appName).values(values).build();
  }

  static Path write(Path folder, String name, String content) {
    try {
      Path file = folder.resolve(name);
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
