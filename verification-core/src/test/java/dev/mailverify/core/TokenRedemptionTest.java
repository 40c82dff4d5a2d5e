package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Redeeming the token a verification issued (C9): {@code redeem} tells what was verified, and with
 * an expected address consumes the token only for that address.
 */
class TokenRedemptionTest {

  private static VerifyResult.Verified verified(Fixture f, String email) {
    assertThat(f.send(email, VerificationType.REGISTER).isSent()).isTrue();
    return (VerifyResult.Verified) f.service.verifyCode(email, VerificationType.REGISTER, f.code(email));
  }

  @Test
  @DisplayName("C9: redeem returns what was verified - the address, the type and when")
  void redeemReturnsDetails() {
    Fixture f = new Fixture();
    VerifyResult.Verified v = verified(f, "Ann@Example.COM");
    java.time.Instant verifiedAt = f.clock.instant();
    f.clock.advance(Duration.ofMinutes(3));
    Optional<VerifiedEmail> proof = f.service.redeem(v.token(), VerificationType.REGISTER);
    assertThat(proof).hasValueSatisfying(p -> {
      assertThat(p.email()).isEqualTo("Ann@example.com");
      assertThat(p.type()).isEqualTo(VerificationType.REGISTER);
      assertThat(p.verifiedAt()).isEqualTo(verifiedAt);
      assertThat(p.toString()).doesNotContain("Ann@example.com");
    });
    assertThat(f.service.redeem(v.token(), VerificationType.REGISTER)).isEmpty();
  }

  @Test
  @DisplayName("C9: redeem with an expected address consumes the token only for that address")
  void redeemWithExpectedAddress() {
    Fixture f = new Fixture();
    VerifyResult.Verified v = verified(f, "ann@example.com");
    assertThat(f.service.redeem(v.token(), VerificationType.REGISTER, "anne@example.com")).isEmpty();
    assertThat(f.service.redeem(v.token(), VerificationType.REGISTER, "not an address")).isEmpty();
    assertThat(f.service.redeem(v.token(), VerificationType.LOGIN, "ann@example.com")).isEmpty();
    // the mistyped form did not burn it: the right address (in any case) still redeems, once
    assertThat(f.service.redeem(v.token(), VerificationType.REGISTER, " ANN@example.com "))
        .hasValueSatisfying(p -> assertThat(p.email()).isEqualTo("ann@example.com"));
    assertThat(f.service.redeem(v.token(), VerificationType.REGISTER, "ann@example.com")).isEmpty();
    assertThat(f.service.redeemToken(v.token(), VerificationType.REGISTER)).isEmpty();
  }
}
