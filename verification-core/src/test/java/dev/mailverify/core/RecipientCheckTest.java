package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.spi.RecipientCheck;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A {@link RecipientCheck} plugged into the service (C30): its refusal is a typed
 * {@code InvalidAddress} before anything is stored or sent; a check that throws fails open.
 */
class RecipientCheckTest {

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
}
