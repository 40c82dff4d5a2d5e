package dev.mailverify.core;

import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A service on an in-memory outbox and a hand-moved clock, with every event recorded. */
final class Fixture {
  static final String EMAIL = "user@example.com";
  static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  final MutableClock clock = MutableClock.start();
  final InMemoryOutbox outbox = MailTransport.inMemory();
  final List<VerificationEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
  final VerificationCodeService service;

  Fixture() {
    this(b -> {});
  }

  Fixture(Consumer<VerificationCodeService.Builder> customize) {
    VerificationCodeService.Builder b = VerificationCodeService.builder()
        .transport(outbox)
        .clock(clock)
        .listener(events::add);
    customize.accept(b);
    service = b.build();
  }

  SendResult send(String email, VerificationType type) {
    return service.sendVerificationCode(email, type, TEN_MINUTES);
  }

  SendResult send() {
    return send(EMAIL, VerificationType.REGISTER);
  }

  String code(String email) {
    return outbox.latestCode(email).orElseThrow();
  }

  String code() {
    return code(EMAIL);
  }

  VerifyResult verify(String code) {
    return service.verifyCode(EMAIL, VerificationType.REGISTER, code);
  }

  /** A wrong code of the right shape, different from the real one. */
  static String wrong(String code) {
    char last = code.charAt(code.length() - 1);
    return code.substring(0, code.length() - 1) + (last == '9' ? '0' : (char) (last + 1));
  }

  List<VerificationEvent> events() {
    return new ArrayList<>(events);
  }
}
