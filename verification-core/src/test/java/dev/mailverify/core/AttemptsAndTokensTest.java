package dev.mailverify.core;

import static dev.mailverify.core.Fixture.EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.test.Race;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Attempts (C6, C7), races through the whole service (C8) and tokens (C9). */
class AttemptsAndTokensTest {

  @Test
  @DisplayName("C6: 5 wrong tries, then Locked even for the right code")
  void lockedAfterFiveWrongTries() {
    Fixture f = new Fixture();
    f.send();
    String code = f.code();
    for (int remaining = 4; remaining >= 0; remaining--) {
      assertThat(f.verify(Fixture.wrong(code))).isEqualTo(new VerifyResult.Invalid(remaining));
    }
    assertThat(f.verify(code)).isInstanceOf(VerifyResult.Locked.class);
  }

  @Test
  @DisplayName("C7: re-sending does not reset the guessing budget of 20 failures per hour")
  void failureBudgetAcrossCodes() {
    Fixture f = new Fixture(b -> b.defaultPolicy(VerificationPolicy.defaults().toBuilder()
        .perAddressQuota(Quota.perHour(100)).build()));
    for (int round = 0; round < 4; round++) {
      f.send();
      String code = f.code();
      for (int i = 0; i < 5; i++) {
        assertThat(f.verify(Fixture.wrong(code))).isInstanceOf(VerifyResult.Invalid.class);
      }
      f.clock.advance(Duration.ofSeconds(61));
    }
    f.send();
    assertThat(f.verify(f.code())).as("21st try, the right code, refused: 20 failures this hour")
        .isInstanceOf(VerifyResult.Locked.class);
    f.clock.advance(Duration.ofHours(1));
    f.send();
    assertThat(f.verify(f.code()).isVerified()).as("an hour later the budget is back").isTrue();
  }

  @Test
  @DisplayName("C7: correct codes and lookups without a pending code do not use the failure budget")
  void successesDoNotUseBudget() {
    Fixture f = new Fixture(b -> b.defaultPolicy(VerificationPolicy.defaults().toBuilder()
        .cooldown(Duration.ZERO).perAddressQuota(Quota.perHour(100))
        .failedAttemptsQuota(new Quota(2, Duration.ofHours(1))).build()));
    for (int i = 0; i < 10; i++) {
      assertThat(f.verify("123456")).isInstanceOf(VerifyResult.NotFound.class);
      f.send();
      assertThat(f.verify(f.code()).isVerified()).isTrue();
    }
  }

  @Test
  @DisplayName("C8: 100 threads guessing wrong through the service - exactly 5 evaluated, the rest Locked")
  void raceWrongThroughService() throws Exception {
    Fixture f = new Fixture(b -> b.defaultPolicy(VerificationPolicy.defaults().toBuilder()
        .failedAttemptsQuota(Quota.perHour(1000)).build()));
    f.send();
    String wrong = Fixture.wrong(f.code());
    List<VerifyResult> results = race(100, i -> f.verify(wrong));
    assertThat(results.stream().filter(r -> r instanceof VerifyResult.Invalid)).hasSize(5);
    assertThat(results.stream().filter(r -> r instanceof VerifyResult.Locked)).hasSize(95);
  }

  @Test
  @DisplayName("C8: 50 threads with the right code through the service - exactly one token")
  void raceRightThroughService() throws Exception {
    Fixture f = new Fixture();
    f.send();
    String code = f.code();
    List<VerifyResult> results = race(50, i -> f.verify(code));
    assertThat(results.stream().filter(VerifyResult::isVerified)).hasSize(1);
  }

  @Test
  @DisplayName("C8: 1 right and 99 wrong at once - at most one success, and never after the lock")
  void raceMixedThroughService() throws Exception {
    for (int round = 0; round < 10; round++) {
      Fixture f = new Fixture();
      f.send();
      String code = f.code();
      int right = round * 11 % 100;
      List<VerifyResult> results = race(100, i -> f.verify(i == right ? code : Fixture.wrong(code)));
      long ok = results.stream().filter(VerifyResult::isVerified).count();
      long invalid = results.stream().filter(r -> r instanceof VerifyResult.Invalid).count();
      assertThat(ok).isLessThanOrEqualTo(1);
      assertThat(ok + invalid).isLessThanOrEqualTo(5);
      if (ok == 1) {
        assertThat(invalid).isLessThanOrEqualTo(4);
      }
    }
  }

  @Test
  @DisplayName("C9: a token is 256 bits of URL-safe base64, valid 15 minutes, redeemed once")
  void tokenRedeemedOnce() {
    Fixture f = new Fixture();
    f.send();
    VerifyResult.Verified v = (VerifyResult.Verified) f.verify(f.code());
    assertThat(v.token()).matches("[A-Za-z0-9_-]{43}");
    assertThat(v.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(15)));
    assertThat(f.service.redeemToken(v.token(), VerificationType.REGISTER)).contains(EMAIL);
    assertThat(f.service.redeemToken(v.token(), VerificationType.REGISTER)).isEmpty();
  }

  @Test
  @DisplayName("C9: a token is bound to its type: another type gets nothing, the right one still works")
  void tokenBoundToType() {
    Fixture f = new Fixture();
    f.send();
    String token = ((VerifyResult.Verified) f.verify(f.code())).token();
    assertThat(f.service.redeemToken(token, VerificationType.RESET_PASSWORD)).isEmpty();
    assertThat(f.service.redeemToken(token, VerificationType.REGISTER)).contains(EMAIL);
  }

  @Test
  @DisplayName("C9: a token gives nothing after its expiry")
  void tokenExpires() {
    Fixture f = new Fixture();
    f.send();
    String token = ((VerifyResult.Verified) f.verify(f.code())).token();
    f.clock.advance(Duration.ofMinutes(15).plusMillis(1));
    assertThat(f.service.redeemToken(token, VerificationType.REGISTER)).isEmpty();
  }

  @Test
  @DisplayName("C9: malformed and unknown tokens give nothing and never throw")
  void badTokens() {
    Fixture f = new Fixture();
    for (String t : new String[] {"", "x", "a".repeat(43), "a".repeat(10_000), "../../etc/passwd", "\r\n"}) {
      assertThat(f.service.redeemToken(t, VerificationType.REGISTER)).isEmpty();
    }
  }

  @Test
  @DisplayName("C9: 50 threads redeeming one token at once - exactly one gets the address")
  void raceRedeem() throws Exception {
    Fixture f = new Fixture();
    f.send();
    String token = ((VerifyResult.Verified) f.verify(f.code())).token();
    List<Optional<String>> results = race(50, i -> f.service.redeemToken(token, VerificationType.REGISTER));
    assertThat(results.stream().filter(Optional::isPresent)).hasSize(1);
  }

  @Test
  @DisplayName("C9, C18: redeemToken returns the address as verified, trimmed with its domain lower-cased")
  void redeemReturnsNormalized() {
    Fixture f = new Fixture();
    f.send("  Ada.Lovelace@EXAMPLE.com ", VerificationType.REGISTER);
    String code = f.code("ada.lovelace@example.com");
    String token = ((VerifyResult.Verified) f.service.verifyCode(" Ada.Lovelace@Example.COM",
        VerificationType.REGISTER, code)).token();
    assertThat(f.service.redeemToken(token, VerificationType.REGISTER)).contains("Ada.Lovelace@example.com");
  }

  static <T> List<T> race(int threads, Race.Task<T> task) throws Exception {
    return Race.run(threads, task);
  }
}
