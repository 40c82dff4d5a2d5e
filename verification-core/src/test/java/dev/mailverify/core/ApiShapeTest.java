package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.spi.RecipientCheck;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The 1.0 API additions: redeem with details and an expected address, the cross-type cap, recipient checks, builders. */
class ApiShapeTest {

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

  @Test
  @DisplayName("C11: at most 10 sends per address per hour across all types, however many types are made up")
  void perAddressCapAcrossTypes() {
    Fixture f = new Fixture();
    for (int i = 0; i < 10; i++) {
      assertThat(f.send(Fixture.EMAIL, VerificationType.of("made-up-" + i)).isSent()).as("send %d", i).isTrue();
    }
    SendResult eleventh = f.send(Fixture.EMAIL, VerificationType.of("made-up-10"));
    assertThat(eleventh).isInstanceOfSatisfying(SendResult.RateLimited.class,
        r -> assertThat(r.limit()).isEqualTo(SendResult.Limit.ADDRESS_TOTAL_QUOTA));
    assertThat(f.send("USER@example.com", VerificationType.LOGIN)).isInstanceOf(SendResult.RateLimited.class);
    assertThat(f.send("other@example.com", VerificationType.LOGIN).isSent()).isTrue();
    assertThat(f.outbox.size()).isEqualTo(11);
    f.clock.advance(Duration.ofHours(1));
    assertThat(f.send(Fixture.EMAIL, VerificationType.LOGIN).isSent()).isTrue();
  }

  @Test
  @DisplayName("C11: the cross-type cap is configurable")
  void perAddressCapConfigurable() {
    Fixture f = new Fixture(b -> b.perAddressTotalQuota(Quota.perHour(2)));
    assertThat(f.send(Fixture.EMAIL, VerificationType.REGISTER).isSent()).isTrue();
    assertThat(f.send(Fixture.EMAIL, VerificationType.LOGIN).isSent()).isTrue();
    assertThat(f.send(Fixture.EMAIL, VerificationType.RESET_PASSWORD)).isInstanceOf(SendResult.RateLimited.class);
  }

  @Test
  @DisplayName("C30: a recipient check's refusal is InvalidAddress with its reason; nothing is stored or sent")
  void recipientCheckRefuses() {
    RecipientCheck noMx = address -> address.domain().equals("nomail.example")
        ? Optional.of(new SendResult.InvalidAddress(InvalidAddressReason.NO_MAIL_SERVER, "domain accepts no mail"))
        : Optional.empty();
    Fixture f = new Fixture(b -> b.recipientCheck(noMx));
    SendResult r = f.send("user@nomail.example", VerificationType.REGISTER);
    assertThat(r).isInstanceOfSatisfying(SendResult.InvalidAddress.class,
        i -> assertThat(i.reason()).isEqualTo(InvalidAddressReason.NO_MAIL_SERVER));
    assertThat(f.outbox.size()).isZero();
    assertThat(f.events()).last().satisfies(e -> {
      assertThat(e.outcome()).isEqualTo(VerificationEvent.Outcome.INVALID_ADDRESS);
      assertThat(e.detail()).isEqualTo("NO_MAIL_SERVER");
    });
    assertThat(f.service.verifyCode("user@nomail.example", VerificationType.REGISTER, "123456"))
        .isInstanceOf(VerifyResult.NotFound.class);
    assertThat(f.send().isSent()).isTrue();
  }

  @Test
  @DisplayName("C30: a recipient check that throws fails open - the mail is sent")
  void recipientCheckFailsOpen() {
    AtomicInteger calls = new AtomicInteger();
    Fixture f = new Fixture(b -> b.recipientCheck(address -> {
      calls.incrementAndGet();
      throw new IllegalStateException("resolver down");
    }));
    assertThat(f.send().isSent()).isTrue();
    assertThat(calls).hasValue(1);
    assertThat(f.outbox.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("Builders: a setter may be called again and the last call wins")
  void builderLastCallWins() {
    InMemoryOutboxPair pair = new InMemoryOutboxPair();
    VerificationCodeService service = VerificationCodeService.builder()
        .transport(pair.first)
        .transport(pair.second)
        .policy(VerificationType.REGISTER, VerificationPolicy.defaults().toBuilder().codeLength(4).build())
        .policy(VerificationType.REGISTER, VerificationPolicy.defaults().toBuilder().codeLength(8).build())
        .build();
    service.sendVerificationCode(Fixture.EMAIL, VerificationType.REGISTER, Duration.ofMinutes(10));
    assertThat(pair.first.size()).isZero();
    assertThat(pair.second.latestCode(Fixture.EMAIL)).hasValueSatisfying(c -> assertThat(c).hasSize(8));
    VerificationPolicy p = VerificationPolicy.builder().maxAttempts(3).maxAttempts(7).build();
    assertThat(p.maxAttempts()).isEqualTo(7);
  }

  private static final class InMemoryOutboxPair {
    final dev.mailverify.core.transport.InMemoryOutbox first = MailTransport.inMemory();
    final dev.mailverify.core.transport.InMemoryOutbox second = MailTransport.inMemory();
  }
}
