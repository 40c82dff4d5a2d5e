package dev.mailverify.core;

import static dev.mailverify.core.Fixture.EMAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.VerificationEvent.Action;
import dev.mailverify.core.VerificationEvent.Outcome;
import dev.mailverify.core.VerificationEvent.Reason;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** C17: what an event reports beyond its outcome is typed, and the audit detail says it in words. */
class TypedEventsTest {

  @Test
  @DisplayName("C10, C17: a rate-limited send carries the limit that refused it")
  void rateLimitedCarriesTheLimit() {
    Fixture f = new Fixture();
    f.send();
    f.send();
    VerificationEvent e = f.events().get(1);
    assertThat(e.outcome()).isEqualTo(Outcome.RATE_LIMITED);
    assertThat(e.limit()).isEqualTo(SendResult.Limit.COOLDOWN);
    assertThat(e.deliveryCategory()).isNull();
    assertThat(e.invalidAddressReason()).isNull();
    assertThat(e.reason()).isNull();
    assertThat(e.detail()).isEqualTo("COOLDOWN");
  }

  @Test
  @DisplayName("C18, C17: a refused address carries its InvalidAddressReason")
  void invalidAddressCarriesTheReason() {
    Fixture f = new Fixture();
    f.send("not an address", VerificationType.REGISTER);
    VerificationEvent e = f.events().get(0);
    assertThat(e.outcome()).isEqualTo(Outcome.INVALID_ADDRESS);
    assertThat(e.invalidAddressReason()).isEqualTo(InvalidAddressReason.SYNTAX);
    assertThat(e.limit()).isNull();
    assertThat(e.detail()).isEqualTo("SYNTAX");
  }

  @Test
  @DisplayName("C24, C17: a failed delivery carries its category and the SMTP reply code")
  void deliveryFailureCarriesCategoryAndReplyCode() {
    Fixture f = new Fixture();
    f.outbox.failNext(DeliveryException.builder(DeliveryException.Category.AUTHENTICATION, "535 refused")
        .replyCode(535).build());
    f.send();
    VerificationEvent e = f.events().get(0);
    assertThat(e.outcome()).isEqualTo(Outcome.DELIVERY_FAILED);
    assertThat(e.deliveryCategory()).isEqualTo(DeliveryException.Category.AUTHENTICATION);
    assertThat(e.replyCode()).isEqualTo(OptionalInt.of(535));
    assertThat(e.detail()).isEqualTo("AUTHENTICATION");
  }

  @Test
  @DisplayName("C2, C7, C17: verify reports malformed input, the failed-tries quota and an invalid address as reasons")
  void verifyReasons() {
    Fixture f = new Fixture();
    f.send();
    f.verify("12345x");
    f.service.verifyCode("not an address", VerificationType.REGISTER, "123456");
    VerificationEvent malformed = f.events().get(1);
    assertThat(malformed.outcome()).isEqualTo(Outcome.INVALID);
    assertThat(malformed.reason()).isEqualTo(Reason.MALFORMED_INPUT);
    assertThat(malformed.detail()).isEqualTo("malformed input");
    VerificationEvent invalid = f.events().get(2);
    assertThat(invalid.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(invalid.reason()).isEqualTo(Reason.INVALID_ADDRESS);
    assertThat(invalid.detail()).isEqualTo("invalid address");

    Fixture capped = new Fixture(b -> b.defaultPolicy(VerificationPolicy.builder()
        .failedAttemptsQuota(Quota.perHour(1)).build()));
    capped.send();
    capped.verify(Fixture.wrong(capped.code()));
    capped.verify(capped.code());
    VerificationEvent locked = capped.events().get(2);
    assertThat(locked.outcome()).isEqualTo(Outcome.LOCKED);
    assertThat(locked.reason()).isEqualTo(Reason.FAILED_ATTEMPTS_QUOTA);
    assertThat(locked.detail()).isEqualTo("failed-attempts quota");
  }

  @Test
  @DisplayName("C9, C17: a redeem for another or an invalid address reports why it failed")
  void redeemReasons() {
    Fixture f = new Fixture();
    f.send();
    String token = ((VerifyResult.Verified) f.verify(f.code())).token();
    f.service.redeem(token, VerificationType.REGISTER, "other@example.com");
    f.service.redeem(token, VerificationType.REGISTER, "not an address");
    assertThat(f.service.redeem(token, VerificationType.REGISTER, EMAIL)).isPresent();
    assertThat(f.events().subList(2, 5)).extracting(VerificationEvent::reason)
        .containsExactly(Reason.NO_TOKEN_FOR_ADDRESS, Reason.INVALID_EXPECTED_ADDRESS, null);
    assertThat(f.events().get(2).detail()).isEqualTo("unknown, used, expired or for another address");
    assertThat(f.events().get(3).detail()).isEqualTo("invalid expected address");
  }

  @Test
  @DisplayName("a hand-built event's note is its detail; a reply code outside 200-599 is refused, naming the field")
  void builder() {
    VerificationEvent e = VerificationEvent.builder(Instant.EPOCH, Action.DELIVER, VerificationType.REGISTER,
        Outcome.DELIVERY_FAILED).detail("relay said no").build();
    assertThat(e.detail()).isEqualTo("relay said no");
    assertThat(e.deliveryCategory()).isNull();
    assertThat(e.replyCode()).isEmpty();
    assertThatThrownBy(() -> VerificationEvent.builder(Instant.EPOCH, Action.SEND, VerificationType.REGISTER,
        Outcome.DELIVERY_FAILED).replyCode(99)).hasMessageContaining("replyCode");
  }
}
