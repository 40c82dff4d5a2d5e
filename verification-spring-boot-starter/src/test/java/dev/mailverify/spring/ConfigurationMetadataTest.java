package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.smtp.SmtpPreset;
import dev.mailverify.smtp.SmtpSecurity;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The IDE hints name what the library has: every preset and security mode, and nothing else. */
class ConfigurationMetadataTest {
  private static List<String> hintValues(String property) throws Exception {
    String json;
    try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream(
        "/META-INF/additional-spring-configuration-metadata.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int start = json.indexOf("\"name\": \"" + property + "\"");
    assertThat(start).as("a hint for " + property).isNotNegative();
    int end = json.indexOf("]", start);
    List<String> values = new ArrayList<>();
    Matcher m = Pattern.compile("\"value\": \"([^\"]+)\"").matcher(json.substring(start, end));
    while (m.find()) {
      values.add(m.group(1));
    }
    return values;
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
  }

  @Test
  @DisplayName("mailverify.smtp.preset hints are exactly SmtpPreset's values")
  void presetHintsAreThePresets() throws Exception {
    assertThat(hintValues("mailverify.smtp.preset")).containsExactlyInAnyOrderElementsOf(names(SmtpPreset.values()));
  }

  @Test
  @DisplayName("mailverify.smtp.security hints are exactly SmtpSecurity's values")
  void securityHintsAreTheModes() throws Exception {
    assertThat(hintValues("mailverify.smtp.security")).containsExactlyInAnyOrderElementsOf(names(SmtpSecurity.values()));
  }
}
