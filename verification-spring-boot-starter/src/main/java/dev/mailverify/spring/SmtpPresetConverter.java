package dev.mailverify.spring;

import dev.mailverify.smtp.SmtpPreset;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.core.convert.converter.Converter;

/**
 * Binds {@code mailverify.smtp.preset} (and each failover server's) to {@link SmtpPreset}: any case,
 * with - or _. An unknown name is refused with every known one, which Spring Boot's start-up failure
 * prints next to the property's name.
 */
final class SmtpPresetConverter implements Converter<String, SmtpPreset> {
  @Override
  public SmtpPreset convert(String source) {
    String key = source.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (SmtpPreset preset : SmtpPreset.values()) {
      if (preset.name().equals(key)) {
        return preset;
      }
    }
    throw new IllegalArgumentException("unknown preset '" + source + "'; known presets: " + known());
  }

  static String known() {
    return Arrays.stream(SmtpPreset.values()).map(v -> v.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .collect(Collectors.joining(", "));
  }
}
