package dev.mailverify.core;

import static dev.mailverify.core.DeliveryException.Category.AUTHENTICATION;
import static dev.mailverify.core.DeliveryException.Category.SERVER_BUSY;
import static dev.mailverify.core.testkit.ScriptedTransport.OK;
import static dev.mailverify.core.testkit.ScriptedTransport.smtp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.VerificationEvent.Action;
import dev.mailverify.core.VerificationEvent.Outcome;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.testkit.ManualScheduler;
import dev.mailverify.core.testkit.ScriptedTransport;
import dev.mailverify.core.transport.AsyncMailTransport;
import dev.mailverify.core.transport.RetryPolicy;
import dev.mailverify.test.MutableClock;
import dev.mailverify.test.Race;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Asynchronous delivery through the service: queued results, final outcomes, retries, close. */
class AsyncDeliveryTest {
  private static final String EMAIL = "user@example.com";
  private static final Duration TTL = Duration.ofMinutes(10);

  private final MutableClock clock = MutableClock.start();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final ScriptedTransport delegate = new ScriptedTransport();
  private final List<VerificationEvent> events = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<VerificationEvent> delivered = new LinkedBlockingQueue<>();
  private final List<AsyncMailTransport> opened = new ArrayList<>();

  private AsyncMailTransport async(Consumer<AsyncMailTransport.Builder> customize) {
    AsyncMailTransport.Builder b = MailTransport.async(delegate).clock(clock).scheduler(scheduler)
        .jitterSource(() -> 0.0).workers(1).drainTimeout(Duration.ZERO);
    customize.accept(b);
    AsyncMailTransport t = b.build();
    opened.add(t);
    return t;
  }

  private VerificationCodeService service(MailTransport transport) {
    return VerificationCodeService.builder().transport(transport).clock(clock).listener(e -> {
      events.add(e);
      if (e.action() == Action.DELIVER) {
        delivered.add(e);
      }
    }).build();
  }

  private VerificationEvent nextDeliver() throws InterruptedException {
    VerificationEvent e = delivered.poll(10, TimeUnit.SECONDS);
    assertThat(e).as("a DELIVER event within 10 s").isNotNull();
    return e;
  }

  @AfterEach
  void closeAll() {
    delegate.open();
    opened.forEach(AsyncMailTransport::close);
  }

  @Test
  @DisplayName("C27: caller latency does not depend on the transport: with the transport blocked, send returns QUEUED")
  void sendReturnsQueuedWhileTransportBlocks() throws Exception {
    delegate.gated();
    VerificationCodeService service = service(async(b -> {}));

    SendResult result = service.sendVerificationCode(EMAIL, VerificationType.REGISTER, TTL);

    assertThat(result).isInstanceOfSatisfying(SendResult.Sent.class, s -> {
      assertThat(s.isQueued()).isTrue();
      assertThat(s.delivery()).isEqualTo(SendResult.Delivery.QUEUED);
    });
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo(Action.SEND);
      assertThat(e.outcome()).isEqualTo(Outcome.QUEUED);
    });
    delegate.awaitEntered();
    assertThat(delivered).isEmpty();
    delegate.open();
    VerificationEvent done = nextDeliver();
    assertThat(done.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.elapsed()).isNotNull();
    assertThat(done.email()).isEqualTo(EmailAddress.parse(EMAIL));
  }

  @Test
  @DisplayName("C27: a queue that delivers faster than the call returns still answers QUEUED, and a DELIVER event follows for every mail")
  void fastQueueStillAnswersQueued() throws Exception {
    dev.mailverify.core.transport.InMemoryOutbox outbox = MailTransport.inMemory();
    AsyncMailTransport fast = MailTransport.async(outbox).clock(clock).workers(4).build();
    opened.add(fast);
    VerificationCodeService service = service(fast);
    int mails = 50;
    for (int i = 0; i < mails; i++) {
      SendResult r = service.sendVerificationCode("u" + i + "@example.com", VerificationType.REGISTER, TTL);
      assertThat(r).as("send %d", i).isInstanceOfSatisfying(SendResult.Sent.class,
          sent -> assertThat(sent.isQueued()).isTrue());
    }
    for (int i = 0; i < mails; i++) {
      assertThat(nextDeliver().outcome()).isEqualTo(VerificationEvent.Outcome.DELIVERED);
    }
    assertThat(events.stream().filter(e -> e.action() == Action.SEND).map(VerificationEvent::outcome))
        .hasSize(mails).containsOnly(VerificationEvent.Outcome.QUEUED);
    assertThat(outbox.size()).isEqualTo(mails);
  }

  @Test
  @DisplayName("C27: a synchronous transport still answers ACCEPTED, and no DELIVER event follows")
  void synchronousTransportIsAccepted() {
    VerificationCodeService service = service(delegate);
    SendResult result = service.sendVerificationCode(EMAIL, VerificationType.REGISTER, TTL);
    assertThat(result).isInstanceOfSatisfying(SendResult.Sent.class,
        s -> assertThat(s.delivery()).isEqualTo(SendResult.Delivery.ACCEPTED));
    assertThat(events).extracting(VerificationEvent::outcome).containsExactly(Outcome.SENT);
  }

  @Test
  @DisplayName("C27: a full queue is a typed refusal (QUEUE_FULL): nothing blocks, the code is not left behind,"
      + " the cooldown is released (C13)")
  void fullQueueIsTypedRefusal() throws Exception {
    delegate.gated();
    VerificationCodeService service = service(async(b -> b.capacity(1)));
    assertThat(service.sendVerificationCode("first@example.com", VerificationType.REGISTER, TTL).isSent()).isTrue();
    delegate.awaitEntered();

    SendResult refused = service.sendVerificationCode(EMAIL, VerificationType.REGISTER, TTL);

    assertThat(refused).isInstanceOfSatisfying(SendResult.DeliveryFailed.class, f -> {
      assertThat(f.category()).isEqualTo(DeliveryException.Category.QUEUE_FULL);
      assertThat(f.isTransient()).isTrue();
      assertThat(f.cause().attempts()).isZero();
    });
    assertThat(service.verifyCode(EMAIL, VerificationType.REGISTER, "123456"))
        .as("no code left pending for a mail that was never queued").isInstanceOf(VerifyResult.NotFound.class);
    delegate.open();
    assertThat(nextDeliver().outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(service.sendVerificationCode(EMAIL, VerificationType.REGISTER, TTL))
        .as("no cooldown after the refusal").isInstanceOf(SendResult.Sent.class);
  }

  @Test
  @DisplayName("C27: close() drains within its bound and reports every mail it could not send to the listener")
  void closeReportsWhatItCouldNotSend() throws Exception {
    delegate.gated();
    AsyncMailTransport transport = async(b -> b.capacity(10).drainTimeout(Duration.ofMillis(50)));
    VerificationCodeService service = service(transport);
    for (int i = 0; i < 3; i++) {
      assertThat(service.sendVerificationCode("u" + i + "@example.com", VerificationType.REGISTER, TTL).isSent())
          .isTrue();
    }
    delegate.awaitEntered();
    assertThat(transport.queuedCount()).isEqualTo(3);

    transport.close();

    List<VerificationEvent> failed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      failed.add(nextDeliver());
    }
    assertThat(failed).allSatisfy(e -> assertThat(e.outcome()).isEqualTo(Outcome.DELIVERY_FAILED));
    assertThat(failed).filteredOn(e -> e.email().address().equals("u0@example.com"))
        .as("the mail on the wire may still arrive (C27)").singleElement()
        .satisfies(e -> assertThat(e.detail()).isEqualTo("OUTCOME_UNKNOWN"));
    assertThat(failed).filteredOn(e -> !e.email().address().equals("u0@example.com"))
        .extracting(VerificationEvent::detail).containsOnly("CLOSED");
    assertThat(transport.queuedCount()).isZero();
    assertThat(service.sendVerificationCode("late@example.com", VerificationType.REGISTER, TTL))
        .isInstanceOfSatisfying(SendResult.DeliveryFailed.class,
            f -> assertThat(f.category()).isEqualTo(DeliveryException.Category.CLOSED));
  }

  @Test
  @DisplayName("C27: a mail still on the wire when close() gives up keeps its code valid and its cooldown; the"
      + " waiting mails' codes are invalidated")
  void closeKeepsTheCodeOfAMailOnTheWire() throws Exception {
    delegate.gated();
    AsyncMailTransport transport = async(b -> b.capacity(3).drainTimeout(Duration.ofMillis(50)));
    VerificationCodeService service = service(transport);
    service.sendVerificationCode("wire@example.com", VerificationType.REGISTER, TTL);
    delegate.awaitEntered();
    service.sendVerificationCode("waiting@example.com", VerificationType.REGISTER, TTL);

    transport.close();
    nextDeliver();
    nextDeliver();

    String code = delegate.calls().get(0).code();
    assertThat(service.sendVerificationCode("wire@example.com", VerificationType.REGISTER, TTL))
        .as("the cooldown stays: the first mail may arrive").isInstanceOf(SendResult.RateLimited.class);
    assertThat(service.verifyCode("wire@example.com", VerificationType.REGISTER, code))
        .as("the server may accept the mail a second later: its code must work").isInstanceOf(VerifyResult.Verified.class);
    assertThat(service.verifyCode("waiting@example.com", VerificationType.REGISTER, "000000"))
        .as("a mail known not to be sent has no code left").isInstanceOf(VerifyResult.NotFound.class);
  }

  @Test
  @DisplayName("C27: close() waits for queued mails that can be sent within its bound; every one is DELIVERED")
  void closeDrainsTheQueue() throws Exception {
    delegate.gated();
    AsyncMailTransport transport = async(b -> b.capacity(50).workers(2).drainTimeout(Duration.ofSeconds(30)));
    VerificationCodeService service = service(transport);
    for (int i = 0; i < 20; i++) {
      service.sendVerificationCode("u" + i + "@example.com", VerificationType.REGISTER, TTL);
    }
    delegate.open();
    transport.close();
    assertThat(transport.queuedCount()).isZero();
    assertThat(delegate.calls()).hasSize(20);
    List<VerificationEvent> done = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      done.add(nextDeliver());
    }
    assertThat(done).extracting(VerificationEvent::outcome).containsOnly(Outcome.DELIVERED);
  }

  @Test
  @DisplayName("C25: 451, 451, 250 delivers once after 3 attempts, with the same message (code, bytes, Message-ID)")
  void transientFailuresAreRetried() throws Exception {
    delegate.then(smtp(SERVER_BUSY, 451), smtp(SERVER_BUSY, 451), OK);
    VerificationCodeService service = service(async(b -> {}));
    service.sendVerificationCode(EMAIL, VerificationType.REGISTER, TTL);

    ManualScheduler.Scheduled first = scheduler.next();
    assertThat(first.delay()).isEqualTo(Duration.ofSeconds(2));
    clock.advance(first.delay());
    first.task().run();
    ManualScheduler.Scheduled second = scheduler.next();
    assertThat(second.delay()).isEqualTo(Duration.ofSeconds(4));
    clock.advance(second.delay());
    second.task().run();

    VerificationEvent done = nextDeliver();
    assertThat(done.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(done.attempts()).isEqualTo(3);
    assertThat(done.elapsed()).isEqualTo(Duration.ofSeconds(6));
    List<EmailMessage> calls = delegate.calls();
    assertThat(calls).hasSize(3);
    assertThat(calls.get(1)).isSameAs(calls.get(0));
    assertThat(calls.get(2)).isSameAs(calls.get(0));
    String code = calls.get(0).code();
    assertThat(service.verifyCode(EMAIL, VerificationType.REGISTER, code)).isInstanceOf(VerifyResult.Verified.class);
    assertThat(scheduler.poll()).isNull();
  }

  @Test
  @DisplayName("C25: 535 makes exactly 1 attempt, reaches the listener at once and invalidates the code")
  void permanentFailureIsNotRetried() throws Exception {
    delegate.gated().then(smtp(AUTHENTICATION, 535));
    VerificationCodeService service = service(async(b -> {}));
    assertThat(service.sendVerificationCode(EMAIL, VerificationType.REGISTER, TTL).isSent()).isTrue();
    delegate.open(); // opened after the send returned, so the failure is reported as a DELIVER event

    VerificationEvent done = nextDeliver();
    assertThat(done.outcome()).isEqualTo(Outcome.DELIVERY_FAILED);
    assertThat(done.detail()).isEqualTo("AUTHENTICATION");
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(delegate.calls()).hasSize(1);
    assertThat(scheduler.poll()).isNull();
    String code = delegate.calls().get(0).code();
    assertThat(service.verifyCode(EMAIL, VerificationType.REGISTER, code)).isInstanceOf(VerifyResult.NotFound.class);
    assertThat(service.sendVerificationCode(EMAIL, VerificationType.REGISTER, TTL))
        .as("C13: no cooldown after a failed delivery").isInstanceOf(SendResult.Sent.class);
  }

  @Test
  @DisplayName("C25: a retry whose back-off would pass the code's expiry is not made")
  void noRetryPastExpiry() throws Exception {
    delegate.gated().then(smtp(SERVER_BUSY, 451), OK);
    VerificationCodeService service = service(async(b -> b.retry(RetryPolicy.builder()
        .initialBackoff(Duration.ofMinutes(2)).maxBackoff(Duration.ofMinutes(2)).jitter(0).build())));
    service.sendVerificationCode(EMAIL, VerificationType.REGISTER, Duration.ofMinutes(1));
    delegate.open();

    VerificationEvent done = nextDeliver();
    assertThat(done.outcome()).isEqualTo(Outcome.DELIVERY_FAILED);
    assertThat(done.detail()).isEqualTo("SERVER_BUSY");
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(delegate.calls()).hasSize(1);
    assertThat(scheduler.poll()).isNull();
  }

  @Test
  @DisplayName("C25: retries stop after maxRetries (default 2): 451 three times fails after 3 attempts")
  void retriesAreBounded() throws Exception {
    delegate.then(smtp(SERVER_BUSY, 451), smtp(SERVER_BUSY, 451), smtp(SERVER_BUSY, 451), OK);
    VerificationCodeService service = service(async(b -> {}));
    service.sendVerificationCode(EMAIL, VerificationType.REGISTER, TTL);
    for (int i = 0; i < 2; i++) {
      ManualScheduler.Scheduled s = scheduler.next();
      clock.advance(s.delay());
      s.task().run();
    }
    VerificationEvent done = nextDeliver();
    assertThat(done.outcome()).isEqualTo(Outcome.DELIVERY_FAILED);
    assertThat(done.attempts()).isEqualTo(3);
    assertThat(delegate.calls()).hasSize(3);
  }

  @Test
  @DisplayName("C25: an older queued mail's failure does not invalidate a newer resend's code")
  void olderFailureKeepsNewerCode() throws Exception {
    delegate.gated().then(smtp(AUTHENTICATION, 535), OK);
    VerificationCodeService service = service(async(b -> {}));
    service.sendVerificationCode(EMAIL, VerificationType.REGISTER, TTL);
    clock.advance(Duration.ofSeconds(61)); // past the cooldown
    assertThat(service.sendVerificationCode(EMAIL, VerificationType.REGISTER, TTL).isSent()).isTrue();
    delegate.open();
    List<Outcome> outcomes = List.of(nextDeliver().outcome(), nextDeliver().outcome());
    assertThat(outcomes).containsExactly(Outcome.DELIVERY_FAILED, Outcome.DELIVERED);
    String newer = delegate.calls().get(1).code();
    assertThat(service.verifyCode(EMAIL, VerificationType.REGISTER, newer)).isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C27: send() on the asynchronous transport enqueues and waits for the final outcome")
  void synchronousSendWaits() {
    delegate.then(smtp(AUTHENTICATION, 535));
    AsyncMailTransport transport = async(b -> {});
    EmailMessage message = EmailMessage.builder(EmailAddress.parse(EMAIL)).subject("s").text("t").build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> transport.send(message))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.category()).isEqualTo(AUTHENTICATION));
    transport.send(message);
    assertThat(delegate.calls()).hasSize(2);
  }

  @Test
  @DisplayName("C10: a repeated request with the same idempotency key returns the first result and sends one mail")
  void idempotentRepeat() {
    VerificationCodeService service = service(delegate);
    SendRequest request = SendRequest.builder(EMAIL, VerificationType.REGISTER).idempotencyKey("form-1").build();
    SendResult first = service.sendVerificationCode(request);
    clock.advance(Duration.ofSeconds(30));
    SendResult again = service.sendVerificationCode(request);
    assertThat(again).isSameAs(first);
    assertThat(delegate.calls()).hasSize(1);
    clock.advance(TTL);
    assertThat(service.sendVerificationCode(request)).as("after the code expired, a new send")
        .isNotSameAs(first).isInstanceOf(SendResult.Sent.class);
  }

  @Test
  @DisplayName("C10: 20 concurrent requests with one idempotency key send exactly one mail and all get its result")
  void idempotentConcurrent() throws Exception {
    delegate.gated();
    VerificationCodeService service = service(async(b -> {}));
    SendRequest request = SendRequest.builder(EMAIL, VerificationType.REGISTER).idempotencyKey("double-click")
        .build();
    List<SendResult> results = Race.run(20, i -> service.sendVerificationCode(request));
    assertThat(results).allSatisfy(r -> assertThat(r).isSameAs(results.get(0)));
    assertThat(results.get(0)).isInstanceOf(SendResult.Sent.class);
    delegate.open();
    assertThat(nextDeliver().outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(delegate.calls()).hasSize(1);
  }

  @Test
  @DisplayName("C10: a failed first send is not remembered: the same idempotency key sends again")
  void idempotentAfterFailure() {
    delegate.then(smtp(SERVER_BUSY, 421));
    VerificationCodeService service = service(delegate);
    SendRequest request = SendRequest.builder(EMAIL, VerificationType.REGISTER).idempotencyKey("k").build();
    assertThat(service.sendVerificationCode(request)).isInstanceOf(SendResult.DeliveryFailed.class);
    assertThat(service.sendVerificationCode(request)).isInstanceOf(SendResult.Sent.class);
    assertThat(delegate.calls()).hasSize(2);
  }
}
