package dev.mailverify.core;

import static dev.mailverify.core.Fixture.EMAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Codes: generation (C1), input checks (C2), expiry (C3), single use (C4), binding (C5). */
class CodesTest {

  @Test
  @DisplayName("C1: codes are 6 decimal digits by default and vary (SecureRandom)")
  void defaultCodesAreSixDigits() {
    Fixture f = new Fixture(b -> b.defaultPolicy(VerificationPolicy.defaults().toBuilder()
        .cooldown(Duration.ZERO).perAddressQuota(Quota.perHour(1000)).build())
        .perAddressTotalQuota(Quota.perHour(1000)));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      assertThat(f.send().isSent()).isTrue();
      String code = f.code();
      assertThat(code).matches("[0-9]{6}");
      seen.add(code);
    }
    assertThat(seen).hasSizeGreaterThan(190); // 200 draws from 10^6: a repeat or two at most
    assertThat(CodeAlphabet.DIGITS.bits(6)).isGreaterThanOrEqualTo(19.9);
  }

  @Test
  @DisplayName("C1: length 4-10 and an alphanumeric alphabet without look-alikes are options")
  void alphanumericCodes() {
    Fixture f = new Fixture(b -> b.policy(VerificationType.LOGIN, VerificationPolicy.builder()
        .codeLength(8).alphabet(CodeAlphabet.ALPHANUMERIC).build()));
    f.send(EMAIL, VerificationType.LOGIN);
    String code = f.code();
    assertThat(code).hasSize(8).matches("[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}");
    assertThat(CodeAlphabet.ALPHANUMERIC.symbols()).doesNotContain("0", "O", "1", "I", "L");
    // typed in lower case with a dash, it still verifies
    String typed = code.substring(0, 4).toLowerCase() + "-" + code.substring(4).toLowerCase();
    assertThat(f.service.verifyCode(EMAIL, VerificationType.LOGIN, typed).isVerified()).isTrue();
    assertThatThrownBy(() -> VerificationPolicy.builder().codeLength(3).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codeLength must be 4-10");
    assertThatThrownBy(() -> VerificationPolicy.builder().codeLength(11).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("C2: spaces and dashes are stripped before checking")
  void spacesAndDashesStripped() {
    Fixture f = new Fixture();
    f.send();
    String c = f.code();
    assertThat(f.verify(" " + c.substring(0, 3) + " - " + c.substring(3) + " ").isVerified()).isTrue();
  }

  @ParameterizedTest(name = "C2: strange input [{0}] never matches and never throws")
  @NullAndEmptySource
  @ValueSource(strings = {"１２３４５６", "١٢٣٤٥٦", "+123456", "-123456-", "12345", "1234567", "12345a",
      "123 456 7", "\u0000\u0000\u0000\u0000\u0000\u0000", "１2３4５6", "' OR 1=1 --"})
  void strangeInputNeverMatches(String input) {
    Fixture f = new Fixture();
    f.send();
    VerifyResult r = f.verify(input);
    assertThat(r).isInstanceOf(VerifyResult.Invalid.class);
    assertThat(f.verify(f.code()).isVerified()).as("the real code still works after one strange try").isTrue();
  }

  @Test
  @DisplayName("C2: a very long string never matches, never throws")
  void veryLongInput() {
    Fixture f = new Fixture();
    f.send();
    String huge = f.code().repeat(200_000);
    assertThat(f.verify(huge)).isInstanceOf(VerifyResult.Invalid.class);
  }

  @Test
  @DisplayName("C2: digits that look right but are full-width are refused even when they spell the code")
  void fullWidthSpellingOfTheRealCodeFails() {
    Fixture f = new Fixture();
    f.send();
    StringBuilder fullWidth = new StringBuilder();
    for (char ch : f.code().toCharArray()) {
      fullWidth.append((char) ('０' + (ch - '0')));
    }
    assertThat(f.verify(fullWidth.toString())).isInstanceOf(VerifyResult.Invalid.class);
  }

  @Test
  @DisplayName("C3: the code works at TTL-1ms")
  void worksJustBeforeExpiry() {
    Fixture f = new Fixture();
    f.send();
    f.clock.advance(Fixture.TEN_MINUTES.minusMillis(1));
    assertThat(f.verify(f.code()).isVerified()).isTrue();
  }

  @Test
  @DisplayName("C3: the code is expired at TTL+1ms")
  void expiredJustAfterTtl() {
    Fixture f = new Fixture();
    f.send();
    f.clock.advance(Fixture.TEN_MINUTES.plusMillis(1));
    assertThat(f.verify(f.code())).isInstanceOf(VerifyResult.Expired.class);
  }

  @Test
  @DisplayName("C3: wrong guesses never extend the code's life")
  void wrongGuessesDoNotExtend() {
    Fixture f = new Fixture();
    SendResult.Sent sent = (SendResult.Sent) f.send();
    assertThat(sent.expiresAt()).isEqualTo(f.clock.instant().plus(Fixture.TEN_MINUTES));
    f.clock.advance(Duration.ofMinutes(9));
    f.verify(Fixture.wrong(f.code()));
    f.clock.advance(Duration.ofMinutes(1).plusMillis(1));
    assertThat(f.verify(f.code())).isInstanceOf(VerifyResult.Expired.class);
  }

  @Test
  @DisplayName("C3: the default TTL is 10 minutes; a TTL outside 1 minute-24 hours is refused with the range")
  void ttlRange() {
    Fixture f = new Fixture();
    SendResult.Sent sent = (SendResult.Sent) f.service.sendVerificationCode(SendRequest.of(EMAIL,
        VerificationType.REGISTER));
    assertThat(sent.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(10)));
    assertThatThrownBy(() -> f.service.sendVerificationCode(EMAIL, VerificationType.LOGIN, Duration.ofSeconds(59)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1m (PT1M) and 24h (PT24H)");
    assertThatThrownBy(() -> f.service.sendVerificationCode(EMAIL, VerificationType.LOGIN,
        Duration.ofHours(24).plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(f.outbox.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("C4: a code works once")
  void codeWorksOnce() {
    Fixture f = new Fixture();
    f.send();
    String code = f.code();
    assertThat(f.verify(code).isVerified()).isTrue();
    assertThat(f.verify(code)).isInstanceOf(VerifyResult.NotFound.class);
  }

  @Test
  @DisplayName("C4: a resend issues a new code and the old one stops working")
  void resendReplacesCode() {
    Fixture f = new Fixture();
    f.send();
    String first = f.code();
    f.clock.advance(Duration.ofSeconds(61));
    f.send();
    String second = f.code();
    if (first.equals(second)) { // one chance in a million: draw again
      f.clock.advance(Duration.ofSeconds(61));
      f.send();
      second = f.code();
    }
    assertThat(f.verify(first)).isInstanceOf(VerifyResult.Invalid.class);
    assertThat(f.verify(second).isVerified()).isTrue();
  }

  @Test
  @DisplayName("C5: a REGISTER code fails for RESET_PASSWORD and for any other address")
  void codeBoundToTypeAndAddress() {
    Fixture f = new Fixture();
    f.send();
    String code = f.code();
    assertThat(f.service.verifyCode(EMAIL, VerificationType.RESET_PASSWORD, code))
        .isInstanceOf(VerifyResult.NotFound.class);
    assertThat(f.service.verifyCode("other@example.com", VerificationType.REGISTER, code))
        .isInstanceOf(VerifyResult.NotFound.class);
    assertThat(f.service.verifyCode("USER@Example.com", VerificationType.REGISTER, code).isVerified())
        .as("the same address in another case is the same address").isTrue();
  }
}
