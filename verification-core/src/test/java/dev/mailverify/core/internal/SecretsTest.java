package dev.mailverify.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.CodeAlphabet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SecretsTest {
  private final Secrets secrets = new Secrets(new byte[32], List.of());

  @ParameterizedTest(name = "C1: every symbol of {0} is equally likely (no modulo bias)")
  @EnumSource(CodeAlphabet.class)
  @DisplayName("C1: codes are uniform over the alphabet")
  void uniform(CodeAlphabet alphabet) {
    String symbols = alphabet.symbols();
    int codes = 60_000;
    int length = 10;
    int[] counts = new int[symbols.length()];
    for (int i = 0; i < codes; i++) {
      String code = secrets.newCode(symbols, length);
      assertThat(code).hasSize(length);
      for (char c : code.toCharArray()) {
        counts[symbols.indexOf(c)]++;
      }
    }
    double expected = (double) codes * length / symbols.length();
    double sigma = Math.sqrt(expected * (1 - 1.0 / symbols.length()));
    for (int i = 0; i < counts.length; i++) {
      assertThat(Math.abs(counts[i] - expected)).as("symbol %s: %d, expected %.0f", symbols.charAt(i), counts[i],
          expected).isLessThan(6 * sigma);
    }
  }
}
