package dev.mailverify.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.CodeAlphabet;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
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

  @Test
  @DisplayName("C14: the stored MAC is HMAC-SHA256(secret, type NUL address NUL code), encoded as US-ASCII")
  void macIsHmacOfTypeAddressAndCode() throws Exception {
    byte[] secret = new byte[32];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) (i * 7 + 1);
    }
    Secrets keyed = new Secrets(secret, List.of());
    Mac reference = Mac.getInstance("HmacSHA256");
    reference.init(new SecretKeySpec(secret, "HmacSHA256"));
    String longAddress = "a".repeat(600) + "@example.com"; // longer than the reused buffer
    for (CodeKey key : List.of(
        new CodeKey(VerificationType.REGISTER, "user@example.com"),
        new CodeKey(VerificationType.of("reset_password"), longAddress),
        new CodeKey(VerificationType.LOGIN, "用户@例子.cn"))) {
      byte[] expected = reference.doFinal((key.type().name() + "\0" + key.address() + "\0" + "123456")
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(keyed.mac(key, "123456")).as("%s", key).isEqualTo(expected);
      assertThat(keyed.candidates(key, "123456")).singleElement()
          .isEqualTo(expected);
    }
  }
}
