package dev.mailverify.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one constant-time comparison every store uses (C15). */
class PendingCodeTest {
  private static byte[] mac(int fill) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  @Test
  @DisplayName("C15: a stored MAC matches when any candidate equals it, wherever it is in the list")
  void matchesAnyCandidate() {
    assertThat(PendingCode.macMatchesAny(mac(1), List.of(mac(2), mac(1)))).isTrue();
    assertThat(PendingCode.macMatchesAny(mac(1), List.of(mac(1), mac(2)))).isTrue();
    assertThat(PendingCode.macMatchesAny(mac(1), List.of(mac(2), mac(3)))).isFalse();
    assertThat(PendingCode.macMatchesAny(mac(1), List.of())).isFalse();
    assertThat(new PendingCode(mac(4), Instant.EPOCH, 5, 0).matchesAny(List.of(mac(4)))).isTrue();
  }

  @Test
  @DisplayName("C15: a missing record (null) never matches, not even a candidate of 32 zero bytes")
  void missingRecordNeverMatches() {
    assertThat(PendingCode.macMatchesAny(null, List.of(mac(0), mac(1)))).isFalse();
    assertThat(PendingCode.macMatchesAny(mac(0), List.of(mac(0)))).isTrue();
  }

  @Test
  @DisplayName("C15: a candidate of another length never matches")
  void otherLengthNeverMatches() {
    assertThat(PendingCode.macMatchesAny(mac(1), List.of(Arrays.copyOf(mac(1), 16)))).isFalse();
    assertThatThrownBy(() -> PendingCode.macMatchesAny(mac(1), null)).hasMessageContaining("candidates");
  }
}
