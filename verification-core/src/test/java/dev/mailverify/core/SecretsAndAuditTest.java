package dev.mailverify.core;

import static dev.mailverify.core.Fixture.EMAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.internal.InMemoryCodeStore;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.TokenRecord;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** Storage and secrets (C14, C15, C16) and the audit trail (C17). */
@Isolated
class SecretsAndAuditTest {
  private static final byte[] SECRET_1 = "0123456789abcdef0123456789abcdef-one".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SECRET_2 = "0123456789abcdef0123456789abcdef-two".getBytes(StandardCharsets.US_ASCII);

  @Test
  @DisplayName("C14: the store holds neither the code nor the token")
  void storeDumpHasNoSecrets() {
    InMemoryCodeStore store = InMemoryCodeStore.builder().build();
    Fixture f = new Fixture(b -> b.store(store).secret(SECRET_1));
    f.send();
    String code = f.code();
    assertThat(store.dump()).contains("user@example.com").doesNotContain(code);
    f.send("second@example.com", VerificationType.LOGIN);
    String token = ((VerifyResult.Verified) f.verify(code)).token();
    assertThat(store.dump()).doesNotContain(code).doesNotContain(token)
        .doesNotContain(f.code("second@example.com"));
  }

  @Test
  @DisplayName("C14: after rotating the secret, codes issued under the previous secret still verify")
  void secretRotation() {
    CodeStore store = CodeStore.inMemory();
    RateLimiter limiter = RateLimiter.inMemory();
    MutableClock clock = MutableClock.start();
    InMemoryOutbox outbox = new InMemoryOutbox();
    VerificationCodeService before = VerificationCodeService.builder().transport(outbox).store(store)
        .rateLimiter(limiter).clock(clock).secret(SECRET_1).build();
    before.sendVerificationCode(EMAIL, VerificationType.REGISTER, Duration.ofMinutes(10));
    String code = outbox.latestCode(EMAIL).orElseThrow();

    VerificationCodeService withoutOld = VerificationCodeService.builder().transport(outbox).store(store)
        .rateLimiter(limiter).clock(clock).secret(SECRET_2).build();
    assertThat(withoutOld.verifyCode(EMAIL, VerificationType.REGISTER, code))
        .as("another secret does not know the code").isInstanceOf(VerifyResult.Invalid.class);

    VerificationCodeService rotated = VerificationCodeService.builder().transport(outbox).store(store)
        .rateLimiter(limiter).clock(clock).secret(SECRET_2, SECRET_1).build();
    assertThat(rotated.verifyCode(EMAIL, VerificationType.REGISTER, code).isVerified()).isTrue();
  }

  @Test
  @DisplayName("C14: a shared store without a secret, or a short secret, is refused at build time")
  void secretRequiredForSharedStore() {
    CodeStore shared = new RecordingStore(CodeStore.inMemory());
    assertThatThrownBy(() -> VerificationCodeService.builder().transport(new InMemoryOutbox()).store(shared).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("secret");
    assertThatThrownBy(() -> VerificationCodeService.builder().secret(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes");
  }

  @Test
  @DisplayName("C15: a missing record, a wrong code and a right code cost the same MAC work")
  void sameWorkForMissingAndWrong() {
    RecordingStore store = new RecordingStore(CodeStore.inMemory());
    Fixture f = new Fixture(b -> b.store(store).secret(SECRET_1, SECRET_2));
    f.verify("123456"); // nothing pending
    f.send();
    f.verify(Fixture.wrong(f.code()));
    f.verify(f.code());
    assertThat(store.candidateCounts).containsExactly(2, 2, 2);
    assertThat(store.candidateLengths).allMatch(l -> l == 32);
  }

  @Test
  @DisplayName("C16: no code, token or whole address in toString of results, messages and contexts")
  void toStringsHideSecrets() {
    Fixture f = new Fixture();
    SendResult sent = f.send();
    String code = f.code();
    VerifyResult verified = f.verify(code);
    String token = ((VerifyResult.Verified) verified).token();
    List<String> shown = List.of(sent.toString(), verified.toString(), f.outbox.messages().get(0).toString(),
        f.outbox.toString(), f.service.toString(), SendRequest.of(EMAIL, VerificationType.REGISTER).toString(),
        new PendingCode(new byte[32], Instant.EPOCH, 5, 0).toString(), EmailAddress.parse(EMAIL).toString(),
        new TokenRecord(EMAIL, VerificationType.REGISTER, Instant.EPOCH, Instant.EPOCH).toString(), f.events().toString());
    for (String s : shown) {
      assertThat(s).doesNotContain(code).doesNotContain(token).doesNotContain(EMAIL);
    }
    assertThat(verified.toString()).contains("[PROTECTED]");
    assertThat(EmailAddress.parse("ada@qq.com").masked()).isEqualTo("a***@qq.com");
  }

  @Test
  @DisplayName("C16, C17: every outcome is logged once, masked, without the code or the token")
  void auditLogOncePerOutcomeMasked() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    String code;
    String token;
    try {
      Fixture f = new Fixture();
      f.send(); // SENT
      f.send(); // RATE_LIMITED
      f.send("not an address", VerificationType.REGISTER); // INVALID_ADDRESS
      code = f.code();
      f.verify(Fixture.wrong(code)); // INVALID
      token = ((VerifyResult.Verified) f.verify(code)).token(); // VERIFIED
      f.service.redeemToken(token, VerificationType.REGISTER); // REDEEMED
      f.service.redeemToken(token, VerificationType.REGISTER); // REDEEM_FAILED
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    List<String> audit = log.lines().filter(l -> l.contains("dev.mailverify.audit")).toList();
    assertThat(audit).hasSize(7);
    assertThat(audit).anyMatch(l -> l.contains("SEND") && l.contains("to=u***@example.com") && l.contains("outcome=SENT"));
    assertThat(audit).anyMatch(l -> l.contains("outcome=RATE_LIMITED detail=COOLDOWN"));
    assertThat(audit).anyMatch(l -> l.contains("outcome=INVALID_ADDRESS"));
    assertThat(audit).anyMatch(l -> l.contains("VERIFY") && l.contains("outcome=INVALID"));
    assertThat(audit).anyMatch(l -> l.contains("outcome=VERIFIED"));
    assertThat(audit).anyMatch(l -> l.contains("outcome=REDEEMED"));
    assertThat(audit).anyMatch(l -> l.contains("outcome=REDEEM_FAILED"));
    assertThat(log).doesNotContain(code).doesNotContain(token).doesNotContain(EMAIL);
  }

  @Test
  @DisplayName("C17: the listener gets one event per outcome, with the real address, client key and detail")
  void listenerGetsEveryOutcome() {
    DeliveryException busy = new DeliveryException(DeliveryException.Category.SERVER_BUSY, "421", null);
    Fixture f = new Fixture();
    f.service.sendVerificationCode(SendRequest.builder(EMAIL, VerificationType.LOGIN).clientKey("203.0.113.9").build());
    f.outbox.failNext(busy);
    f.send();
    f.verify("000000");
    List<VerificationEvent> events = f.events();
    assertThat(events).hasSize(3);
    assertThat(events.get(0).outcome()).isEqualTo(VerificationEvent.Outcome.SENT);
    assertThat(events.get(0).clientKey()).isEqualTo("203.0.113.9");
    assertThat(events.get(0).email()).isEqualTo(EmailAddress.parse(EMAIL));
    assertThat(events.get(0).at()).isEqualTo(f.clock.instant());
    assertThat(events.get(1).outcome()).isEqualTo(VerificationEvent.Outcome.DELIVERY_FAILED);
    assertThat(events.get(1).detail()).isEqualTo("SERVER_BUSY");
    assertThat(events.get(2).action()).isEqualTo(VerificationEvent.Action.VERIFY);
    assertThat(events.get(2).outcome()).isEqualTo(VerificationEvent.Outcome.NOT_FOUND);
  }

  @Test
  @DisplayName("C17: a failing listener is logged and does not change the outcome")
  void failingListener() {
    List<VerificationEvent> seen = new CopyOnWriteArrayList<>();
    Fixture f = new Fixture(b -> b.listener(e -> {
      throw new IllegalStateException("listener bug");
    }).listener(seen::add));
    assertThat(f.send().isSent()).isTrue();
    assertThat(seen).hasSize(1);
  }

  /** Wraps a store and records what verification passes to it. */
  static final class RecordingStore implements CodeStore {
    final CodeStore delegate;
    final List<Integer> candidateCounts = new ArrayList<>();
    final List<Integer> candidateLengths = new ArrayList<>();

    RecordingStore(CodeStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public void issue(CodeKey key, PendingCode code, Instant now) {
      delegate.issue(key, code, now);
    }

    @Override
    public synchronized AttemptResult attempt(CodeKey key, List<byte[]> candidates, Instant now) {
      candidateCounts.add(candidates.size());
      candidates.forEach(c -> candidateLengths.add(c.length));
      return delegate.attempt(key, candidates, now);
    }

    @Override
    public boolean invalidate(CodeKey key) {
      return delegate.invalidate(key);
    }

    @Override
    public void storeToken(String tokenHash, TokenRecord token, Instant now) {
      delegate.storeToken(tokenHash, token, now);
    }

    @Override
    public Optional<TokenRecord> takeToken(String tokenHash, @Nullable String expectedAddress, Instant now) {
      return delegate.takeToken(tokenHash, expectedAddress, now);
    }
  }
}
