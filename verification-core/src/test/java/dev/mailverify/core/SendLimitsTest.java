package dev.mailverify.core;

import static dev.mailverify.core.Fixture.EMAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sending limits: cooldown (C10), caps per address and type, client and across types (C11), normalized keys (C12), failures (C13). */
class SendLimitsTest {

  @Test
  @DisplayName("C10: a second send inside the 60 s cooldown is RateLimited with the time to wait")
  void cooldown() {
    Fixture f = new Fixture();
    assertThat(f.send().isSent()).isTrue();
    f.clock.advance(Duration.ofSeconds(20));
    SendResult r = f.send();
    assertThat(r).isEqualTo(new SendResult.RateLimited(SendResult.Limit.COOLDOWN, Duration.ofSeconds(40)));
    assertThat(((SendResult.RateLimited) r).retryAfterSeconds()).isEqualTo(40);
    f.clock.advance(Duration.ofSeconds(40));
    assertThat(f.send().isSent()).isTrue();
    assertThat(f.outbox.size()).isEqualTo(2);
  }

  @Test
  @DisplayName("C10: the cooldown is per address and type")
  void cooldownPerAddressAndType() {
    Fixture f = new Fixture();
    assertThat(f.send(EMAIL, VerificationType.REGISTER).isSent()).isTrue();
    assertThat(f.send(EMAIL, VerificationType.LOGIN).isSent()).isTrue();
    assertThat(f.send("other@example.com", VerificationType.REGISTER).isSent()).isTrue();
  }

  @Test
  @DisplayName("C10: 20 concurrent sends inside one cooldown deliver exactly one mail")
  void concurrentSendsDeliverOne() throws Exception {
    Fixture f = new Fixture();
    List<SendResult> results = AttemptsAndTokensTest.race(20, i -> f.send());
    assertThat(results.stream().filter(SendResult::isSent)).hasSize(1);
    assertThat(results.stream().filter(r -> r instanceof SendResult.RateLimited)).hasSize(19);
    assertThat(f.outbox.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("C11: at most 5 sends per address and type per hour")
  void perAddressCap() {
    Fixture f = new Fixture();
    for (int i = 0; i < 5; i++) {
      assertThat(f.send().isSent()).isTrue();
      f.clock.advance(Duration.ofMinutes(1));
    }
    SendResult r = f.send();
    assertThat(r).isInstanceOf(SendResult.RateLimited.class);
    assertThat(((SendResult.RateLimited) r).limit()).isEqualTo(SendResult.Limit.ADDRESS_QUOTA);
    assertThat(((SendResult.RateLimited) r).retryAfter()).isEqualTo(Duration.ofMinutes(55));
    f.clock.advance(Duration.ofMinutes(55));
    assertThat(f.send().isSent()).isTrue();
  }

  @Test
  @DisplayName("C11: at most 20 sends per client key per hour, across addresses")
  void perClientCap() {
    Fixture f = new Fixture();
    for (int i = 0; i < 20; i++) {
      assertThat(f.service.sendVerificationCode(SendRequest.builder("u" + i + "@example.com",
          VerificationType.REGISTER).clientKey("203.0.113.7").build()).isSent()).isTrue();
    }
    SendResult r = f.service.sendVerificationCode(SendRequest.builder("u99@example.com", VerificationType.REGISTER)
        .clientKey("203.0.113.7").build());
    assertThat(r).isInstanceOf(SendResult.RateLimited.class);
    assertThat(((SendResult.RateLimited) r).limit()).isEqualTo(SendResult.Limit.CLIENT_QUOTA);
    assertThat(f.service.sendVerificationCode(SendRequest.builder("u99@example.com", VerificationType.REGISTER)
        .clientKey("198.51.100.1").build()).isSent()).as("another client is not limited").isTrue();
  }

  @Test
  @DisplayName("C11: a refused send takes no permit from the other limits")
  void refusalTakesNothing() {
    Fixture f = new Fixture(b -> b.defaultPolicy(VerificationPolicy.defaults().toBuilder()
        .perClientQuota(Quota.perHour(1)).build()));
    SendRequest.Builder first = SendRequest.builder("a@example.com", VerificationType.REGISTER).clientKey("ip");
    assertThat(f.service.sendVerificationCode(first.build()).isSent()).isTrue();
    SendResult refused = f.service.sendVerificationCode(
        SendRequest.builder("b@example.com", VerificationType.REGISTER).clientKey("ip").build());
    assertThat(refused).isInstanceOf(SendResult.RateLimited.class);
    // b's cooldown and address quota were given back: without the client key b can send at once
    assertThat(f.send("b@example.com", VerificationType.REGISTER).isSent()).isTrue();
  }

  @Test
  @DisplayName("C11: a custom key (tenant) has its own configurable quota")
  void customQuota() {
    Fixture f = new Fixture(b -> b.defaultPolicy(VerificationPolicy.defaults().toBuilder()
        .customQuota("tenant", Quota.perHour(2)).build()));
    for (int i = 0; i < 2; i++) {
      assertThat(f.service.sendVerificationCode(SendRequest.builder("t" + i + "@example.com",
          VerificationType.REGISTER).limitKey("tenant", "acme").build()).isSent()).isTrue();
    }
    SendResult r = f.service.sendVerificationCode(SendRequest.builder("t9@example.com", VerificationType.REGISTER)
        .limitKey("tenant", "acme").build());
    assertThat(((SendResult.RateLimited) r).limit()).isEqualTo(SendResult.Limit.CUSTOM_QUOTA);
    assertThatThrownBy(() -> f.service.sendVerificationCode(SendRequest.builder("t9@example.com",
        VerificationType.REGISTER).limitKey("device", "d1").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit key 'device' has no quota");
  }

  @Test
  @DisplayName("C12: User@Example.COM, ' user@example.com ' and user@example.com share one bucket")
  void normalizedKeysShareBucket() {
    Fixture f = new Fixture();
    assertThat(f.send("User@Example.COM", VerificationType.REGISTER).isSent()).isTrue();
    assertThat(f.send(" user@example.com ", VerificationType.REGISTER))
        .isInstanceOf(SendResult.RateLimited.class);
    assertThat(f.send("user@example.com", VerificationType.REGISTER))
        .isInstanceOf(SendResult.RateLimited.class);
  }

  @Test
  @DisplayName("C13: a failed delivery does not start the cooldown but counts toward the hourly cap")
  void failedDeliveryCountsButNoCooldown() {
    Fixture f = new Fixture();
    for (int i = 0; i < 5; i++) {
      f.outbox.failNext(new DeliveryException(DeliveryException.Category.SERVER_BUSY, "421 busy", null));
      SendResult r = f.send();
      assertThat(r).isInstanceOf(SendResult.DeliveryFailed.class);
    }
    SendResult sixth = f.send();
    assertThat(sixth).as("no cooldown after failures, but 5 attempts used the hourly cap")
        .isInstanceOf(SendResult.RateLimited.class);
    assertThat(((SendResult.RateLimited) sixth).limit()).isEqualTo(SendResult.Limit.ADDRESS_QUOTA);
  }

  @Test
  @DisplayName("C13, C25: a delivery failure is a typed result with the category; the pending code is invalidated")
  void deliveryFailureResult() {
    Fixture f = new Fixture();
    DeliveryException boom = DeliveryException.builder(DeliveryException.Category.AUTHENTICATION, "535 denied")
        .replyCode(535).build();
    f.outbox.failNext(boom);
    SendResult r = f.send();
    assertThat(r).isInstanceOf(SendResult.DeliveryFailed.class);
    SendResult.DeliveryFailed failed = (SendResult.DeliveryFailed) r;
    assertThat(failed.category()).isEqualTo(DeliveryException.Category.AUTHENTICATION);
    assertThat(failed.isTransient()).isFalse();
    assertThat(failed.cause()).isSameAs(boom);
    assertThat(failed.cause().replyCode()).hasValue(535);
    assertThat(failed.cause().hint()).contains("authorization code");
    assertThat(f.outbox.size()).isZero();
    // nothing was received, so nothing can be verified
    assertThat(f.verify("123456")).isInstanceOf(VerifyResult.NotFound.class);
  }

  @Test
  @DisplayName("C13: a transport that throws something unexpected still gives a DeliveryFailed result")
  void unexpectedTransportException() {
    InMemoryBrokenTransport broken = new InMemoryBrokenTransport();
    VerificationCodeService service = VerificationCodeService.builder().transport(broken).build();
    SendResult r = service.sendVerificationCode(EMAIL, VerificationType.REGISTER, Duration.ofMinutes(10));
    assertThat(r).isInstanceOf(SendResult.DeliveryFailed.class);
    assertThat(((SendResult.DeliveryFailed) r).category()).isEqualTo(DeliveryException.Category.UNKNOWN);
    assertThat(((SendResult.DeliveryFailed) r).cause().getCause()).isInstanceOf(IllegalStateException.class);
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

  /** A transport with a bug. */
  static final class InMemoryBrokenTransport implements dev.mailverify.core.MailTransport {
    @Override
    public void send(dev.mailverify.core.spi.EmailMessage message) {
      throw new IllegalStateException("bug in a transport");
    }
  }
}
