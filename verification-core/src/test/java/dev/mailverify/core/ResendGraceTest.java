package dev.mailverify.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The resend grace through the service (issue 21): off by default (C4), opt-in per type. */
class ResendGraceTest {
  private static final Duration GRACE = Duration.ofMinutes(2);
  private static final Duration PAST_COOLDOWN = Duration.ofSeconds(61);
  private static final byte[] SECRET = "resend grace test secret, 32 bytes or more".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static Fixture withGrace() {
    return new Fixture(b -> b.defaultPolicy(VerificationPolicy.builder().resendGrace(GRACE).build()));
  }

  @Test
  @DisplayName("C4 grace: resendGrace is off by default, accepts zero or 1s-10m, and names itself when refused")
  void policySetting() {
    assertThat(VerificationPolicy.defaults().resendGrace()).isZero();
    VerificationPolicy.Builder b = VerificationPolicy.builder();
    assertThatThrownBy(() -> b.resendGrace(Duration.ofMillis(500))).hasMessageContaining("resendGrace");
    assertThatThrownBy(() -> b.resendGrace(Duration.ofMinutes(10).plusMillis(1))).hasMessageContaining("resendGrace")
        .hasMessageContaining("10m");
    assertThatThrownBy(() -> b.resendGrace(Duration.ofSeconds(-1))).hasMessageContaining("resendGrace");
    assertThatThrownBy(() -> b.resendGrace(null)).hasMessageContaining("resendGrace");
    VerificationPolicy p = b.resendGrace(Duration.ofSeconds(1)).resendGrace(VerificationPolicy.MAX_RESEND_GRACE).build();
    assertThat(p.resendGrace()).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.toBuilder().build()).isEqualTo(p).isNotEqualTo(VerificationPolicy.defaults());
    assertThat(p.toBuilder().resendGrace(Duration.ZERO).build()).isEqualTo(VerificationPolicy.defaults());
  }

  @Test
  @DisplayName("C4: by default a resend kills the first code at once")
  void c4ByDefault() {
    Fixture f = new Fixture();
    f.send();
    String first = f.code();
    f.clock.advance(PAST_COOLDOWN);
    f.send();
    String second = f.code();
    assertThat(f.verify(first)).isEqualTo(new VerifyResult.Invalid(4));
    assertThat(f.verify(second)).isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C4 grace: the first code works until resend + grace and consumes the second; after it, it is wrong")
  void firstCodeWithinAndAfterTheGrace() {
    Fixture f = withGrace();
    f.send();
    String first = f.code();
    f.clock.advance(PAST_COOLDOWN);
    f.send();
    String second = f.code();
    f.clock.advance(GRACE.minusMillis(1));
    assertThat(f.verify(first)).isInstanceOf(VerifyResult.Verified.class);
    assertThat(f.verify(second)).isInstanceOf(VerifyResult.NotFound.class);

    Fixture g = withGrace();
    g.send();
    String early = g.code();
    g.clock.advance(PAST_COOLDOWN);
    g.send();
    String later = g.code();
    g.clock.advance(GRACE);
    assertThat(g.verify(early)).isEqualTo(new VerifyResult.Invalid(4));
    assertThat(g.verify(later)).isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C4 grace, C6: wrong tries before the resend carry over; the lock covers both codes")
  void triesCarryOverAndTheLockCoversBoth() {
    Fixture f = withGrace();
    f.send();
    String first = f.code();
    assertThat(f.verify(Fixture.wrong(first))).isEqualTo(new VerifyResult.Invalid(4));
    assertThat(f.verify(Fixture.wrong(first))).isEqualTo(new VerifyResult.Invalid(3));
    f.clock.advance(PAST_COOLDOWN);
    f.send();
    String second = f.code();
    assertThat(f.verify(Fixture.wrong(second))).isEqualTo(new VerifyResult.Invalid(2));
    assertThat(f.verify(Fixture.wrong(first))).isEqualTo(new VerifyResult.Invalid(1));
    assertThat(f.verify(Fixture.wrong(second))).isEqualTo(new VerifyResult.Invalid(0));
    assertThat(f.verify(first)).isInstanceOf(VerifyResult.Locked.class);
    assertThat(f.verify(second)).isInstanceOf(VerifyResult.Locked.class);
  }

  @Test
  @DisplayName("C4 grace, C25: a resend whose mail fails removes both codes")
  void failedResendRemovesBoth() {
    Fixture f = withGrace();
    f.send();
    String first = f.code();
    f.clock.advance(PAST_COOLDOWN);
    f.outbox.failNext(new DeliveryException(DeliveryException.Category.RECIPIENT_REJECTED, "550 no such user", null));
    assertThat(f.send()).isInstanceOf(SendResult.DeliveryFailed.class);
    assertThat(f.verify(first)).isInstanceOf(VerifyResult.NotFound.class);
  }

  @Test
  @DisplayName("C4 grace: a service refuses to build with a grace its store does not support; zero grace works")
  void storeWithoutGraceSupport() {
    CodeStore plain = new DelegatingStore(CodeStore.inMemory());
    assertThat(plain.supportsResendGrace()).isFalse();
    assertThatThrownBy(() -> VerificationCodeService.builder().transport(MailTransport.inMemory()).store(plain)
        .secret(SECRET).policy(VerificationType.LOGIN, VerificationPolicy.builder().resendGrace(GRACE).build())
        .build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("resendGrace")
        .hasMessageContaining(DelegatingStore.class.getName());
    assertThatThrownBy(() -> plain.issue(new CodeKey(VerificationType.LOGIN, "a@example.com"),
        new PendingCode(new byte[32], Instant.EPOCH.plusSeconds(600), 5, 0), GRACE, Instant.EPOCH))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("resend grace");

    Fixture f = new Fixture(b -> b.store(plain).secret(SECRET));
    f.send();
    String first = f.code();
    f.clock.advance(PAST_COOLDOWN);
    f.send();
    assertThat(f.verify(first)).isEqualTo(new VerifyResult.Invalid(4));
    assertThat(f.verify(f.code())).isInstanceOf(VerifyResult.Verified.class);
  }

  /** A store written before the grace: implements only the original methods. */
  private static final class DelegatingStore implements CodeStore {
    private final CodeStore inner;

    DelegatingStore(CodeStore inner) {
      this.inner = inner;
    }

    @Override
    public void issue(CodeKey key, PendingCode code, Instant now) {
      inner.issue(key, code, now);
    }

    @Override
    public AttemptResult attempt(CodeKey key, List<byte[]> candidates, Instant now) {
      return inner.attempt(key, candidates, now);
    }

    @Override
    public boolean invalidate(CodeKey key) {
      return inner.invalidate(key);
    }

    @Override
    public void storeToken(String tokenHash, TokenRecord token, Instant now) {
      inner.storeToken(tokenHash, token, now);
    }

    @Override
    public Optional<TokenRecord> takeToken(String tokenHash, @Nullable String expectedAddress, Instant now) {
      return inner.takeToken(tokenHash, expectedAddress, now);
    }
  }
}
