package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A null where none is allowed is a NullPointerException naming the parameter; misuse fails fast. */
class BadInputTest {
  private final Fixture f = new Fixture();

  @Test
  @DisplayName("nulls are refused with the parameter's name")
  void nullsNamed() {
    assertThatThrownBy(() -> f.service.sendVerificationCode(null, VerificationType.REGISTER, Duration.ofMinutes(5)))
        .isInstanceOf(NullPointerException.class).hasMessage("email");
    assertThatThrownBy(() -> f.service.sendVerificationCode("a@example.com", null, Duration.ofMinutes(5)))
        .isInstanceOf(NullPointerException.class).hasMessage("type");
    assertThatThrownBy(() -> f.service.sendVerificationCode("a@example.com", VerificationType.REGISTER, null))
        .isInstanceOf(NullPointerException.class).hasMessage("ttl");
    assertThatThrownBy(() -> f.service.sendVerificationCode(null))
        .isInstanceOf(NullPointerException.class).hasMessage("request");
    assertThatThrownBy(() -> f.service.verifyCode(null, VerificationType.REGISTER, "1"))
        .isInstanceOf(NullPointerException.class).hasMessage("email");
    assertThatThrownBy(() -> f.service.redeemToken(null, VerificationType.REGISTER))
        .isInstanceOf(NullPointerException.class).hasMessage("token");
    assertThatThrownBy(() -> f.service.redeemToken("t", null))
        .isInstanceOf(NullPointerException.class).hasMessage("type");
    assertThatThrownBy(() -> VerificationCodeService.builder().clock(null))
        .isInstanceOf(NullPointerException.class).hasMessage("clock");
  }

  @Test
  @DisplayName("builder: the transport is required; a bad value fails in the setter, naming it")
  void builderMisuse() {
    assertThatThrownBy(() -> VerificationCodeService.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("transport is required");
    assertThatThrownBy(() -> VerificationCodeService.builder().appName(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appName");
    assertThatThrownBy(() -> VerificationCodeService.builder().secret(new byte[8]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
  }

  @Test
  @DisplayName("types and policies name the field and its range")
  void valuesNameTheField() {
    assertThatThrownBy(() -> VerificationType.of("Bad Name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[a-z][a-z0-9_-]{0,31}");
    assertThatThrownBy(() -> VerificationPolicy.builder().maxAttempts(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts must be 1-20");
    assertThatThrownBy(() -> VerificationPolicy.builder().cooldown(Duration.ofMillis(500)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cooldown");
    assertThatThrownBy(() -> VerificationPolicy.builder().tokenTtl(Duration.ofDays(2)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenTtl");
    assertThatThrownBy(() -> new Quota(0, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit must be at least 1");
  }
}
