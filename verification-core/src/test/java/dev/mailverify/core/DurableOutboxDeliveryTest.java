package dev.mailverify.core;

import static dev.mailverify.core.DeliveryException.Category.RECIPIENT_REJECTED;
import static dev.mailverify.core.testkit.ScriptedTransport.smtp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.VerificationEvent.Action;
import dev.mailverify.core.VerificationEvent.Outcome;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.core.spi.OutboxEntry;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.test.InMemoryMailOutbox;
import dev.mailverify.test.MutableClock;
import dev.mailverify.core.testkit.ScriptedTransport;
import dev.mailverify.core.transport.AsyncMailTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous delivery through a durable outbox (C31): several "instances" (a transport and a
 * service each) share one outbox, code store and limiter in this JVM, as applications on several
 * machines share Redis or a database. A stopped instance is one whose transport is abandoned
 * mid-send, as after {@code kill -9}; the JVM-level kill test is in the Redis and JDBC modules.
 */
class DurableOutboxDeliveryTest {
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final byte[] SECRET = new byte[32];
  private static final byte[] OTHER_SECRET = new byte[32];

  static {
    Arrays.fill(SECRET, (byte) 7);
    Arrays.fill(OTHER_SECRET, (byte) 9);
  }

  private final MutableClock clock = MutableClock.start();
  private final InMemoryMailOutbox outbox = new InMemoryMailOutbox();
  private final CodeStore store = CodeStore.inMemory();
  private final RateLimiter limiter = RateLimiter.inMemory();
  private final List<AsyncMailTransport> opened = new ArrayList<>();
  private final List<ScriptedTransport> gates = new ArrayList<>();

  /**
   * The shared outbox as one instance sees it: {@link #kill()} cuts that instance off, as
   * {@code kill -9} does (it claims, counts and completes nothing more).
   */
  private static final class Connection implements MailOutbox {
    private final MailOutbox shared;
    private volatile boolean killed;
    /** The IDs of the entries this instance completed, as they are completed. */
    final LinkedBlockingQueue<String> completed = new LinkedBlockingQueue<>();

    Connection(MailOutbox shared) {
      this.shared = shared;
    }

    void kill() {
      killed = true;
    }

    private MailOutbox live() {
      if (killed) {
        throw new StoreUnavailableException("this instance was killed (test)", null);
      }
      return shared;
    }

    @Override
    public void add(OutboxEntry entry, Instant now) {
      live().add(entry, now);
    }

    @Override
    public List<Claim> claim(String owner, int max, Instant now, Duration lease) {
      return live().claim(owner, max, now, lease);
    }

    @Override
    public int countAttempt(Claim claim, String owner, Instant now, Duration lease) {
      return live().countAttempt(claim, owner, now, lease);
    }

    @Override
    public boolean complete(Claim claim, String owner) {
      boolean done = live().complete(claim, owner);
      if (done) {
        completed.add(claim.entry().id());
      }
      return done;
    }

    @Override
    public void release(Claim claim, String owner, Instant now) {
      live().release(claim, owner, now);
    }

    @Override
    public long size() {
      return live().size();
    }
  }

  /** One application instance. */
  private final class Instance {
    final ScriptedTransport delegate = new ScriptedTransport();
    final Connection connection = new Connection(outbox);
    final AsyncMailTransport transport;
    final VerificationCodeService service;
    final LinkedBlockingQueue<VerificationEvent> delivered = new LinkedBlockingQueue<>();

    Instance(String name, boolean gated, Duration drain) {
      this(name, gated, drain, SECRET);
    }

    /** An instance whose outbox seals under {@code outboxSecret} and opens with it and {@code previous}. */
    Instance(String name, boolean gated, Duration drain, byte[] outboxSecret, byte[]... previous) {
      if (gated) {
        delegate.gated();
      }
      gates.add(delegate);
      transport = MailTransport.async(delegate).outbox(connection, outboxSecret, previous).instanceId(name)
          .clock(clock).workers(1).lease(LEASE).pollInterval(Duration.ofMillis(10)).drainTimeout(drain)
          .jitterSource(() -> 0.0).build();
      opened.add(transport);
      service = VerificationCodeService.builder().transport(transport).store(store).rateLimiter(limiter)
          .secret(SECRET).clock(clock).listener(e -> {
            if (e.action() == Action.DELIVER) {
              delivered.add(e);
            }
          }).build();
    }

    VerificationEvent nextDeliver() throws InterruptedException {
      VerificationEvent e = delivered.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("a DELIVER event within 10 s").isNotNull();
      return e;
    }
  }

  @AfterEach
  void closeAll() {
    gates.forEach(ScriptedTransport::open);
    opened.forEach(AsyncMailTransport::close);
  }

  @Test
  @DisplayName("C31: a send answers QUEUED once the outbox holds the mail; the same instance delivers it, reports"
      + " DELIVERED and the outbox is empty again")
  void queuedThroughTheOutbox() throws Exception {
    Instance a = new Instance("a", false, Duration.ofSeconds(5));

    SendResult r = a.service.sendVerificationCode("user@example.com", VerificationType.REGISTER, TTL);

    assertThat(r).isInstanceOfSatisfying(SendResult.Sent.class, s -> assertThat(s.isQueued()).isTrue());
    VerificationEvent done = a.nextDeliver();
    assertThat(done.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(outbox.size()).isZero();
    String code = a.delegate.calls().get(0).code();
    assertThat(a.service.verifyCode("user@example.com", VerificationType.REGISTER, code))
        .isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C31: a mail on the wire when its instance stopped is sent by another instance after the lease, with"
      + " the same Message-ID, reported there once; the code still verifies")
  void strandedMailIsTakenOver() throws Exception {
    Instance a = new Instance("a", true, Duration.ofSeconds(1));
    a.service.sendVerificationCode("user@example.com", VerificationType.REGISTER, TTL);
    a.delegate.awaitEntered(); // a holds it on the wire, then dies
    a.connection.kill();
    Instance b = new Instance("b", false, Duration.ofSeconds(5));
    assertThat(b.delivered.poll(100, TimeUnit.MILLISECONDS)).as("b waits while a's lease runs").isNull();

    clock.advance(LEASE.plusSeconds(1));

    VerificationEvent done = b.nextDeliver();
    assertThat(done.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.email()).isEqualTo(EmailAddress.parse("user@example.com"));
    EmailMessage first = a.delegate.calls().get(0);
    EmailMessage again = b.delegate.calls().get(0);
    assertThat(again).isEqualTo(first);
    assertThat(again.messageId()).isEqualTo(first.messageId());
    assertThat(b.service.verifyCode("user@example.com", VerificationType.REGISTER, again.code()))
        .isInstanceOf(VerifyResult.Verified.class);
    assertThat(outbox.size()).isZero();
  }

  @Test
  @DisplayName("C14: the outbox holds each queued mail sealed: a dump of it has neither the code nor the address,"
      + " and the mail reaches the transport in clear")
  void c14OutboxHoldsNoCode() throws Exception {
    Instance a = new Instance("a", true, Duration.ofSeconds(1));
    a.service.sendVerificationCode("user@example.com", VerificationType.REGISTER, TTL);
    a.delegate.awaitEntered();
    EmailMessage sent = a.delegate.calls().get(0);
    assertThat(sent.code()).isNotNull();
    assertThat(sent.text()).contains(sent.code());

    List<byte[]> dump = outbox.storedForms();
    assertThat(dump).hasSize(1);
    String stored = new String(dump.get(0), StandardCharsets.ISO_8859_1);
    assertThat(stored).doesNotContain(sent.code()).doesNotContain("user@example.com")
        .doesNotContain(sent.subject());
    OutboxEntry entry = OutboxEntry.fromBytes(dump.get(0));
    assertThat(entry.isSealed()).isTrue();
    assertThat(entry.notAfter()).isEqualTo(sent.notAfter());
    assertThat(entry.toString()).doesNotContain(sent.code()).doesNotContain("user@example.com");
  }

  @Test
  @DisplayName("C14, C31: an instance without the secret a mail was sealed under leaves it to one that has it; an"
      + " instance after a rotation opens it with the previous secret and delivers it")
  void anotherSecretLeavesTheMailToAnInstanceThatHasIt() throws Exception {
    Instance a = new Instance("a", true, Duration.ofSeconds(1));
    a.service.sendVerificationCode("user@example.com", VerificationType.REGISTER, TTL);
    a.delegate.awaitEntered();
    String code = a.delegate.calls().get(0).code();
    a.connection.kill();
    Instance b = new Instance("b", false, Duration.ofSeconds(5), OTHER_SECRET);
    clock.advance(LEASE.plusSeconds(1));

    assertThat(b.delivered.poll(500, TimeUnit.MILLISECONDS)).as("b cannot open the mail").isNull();
    assertThat(b.delegate.calls()).isEmpty();
    assertThat(outbox.size()).as("the mail stays for an instance that can open it").isEqualTo(1);

    b.connection.kill();
    Instance c = new Instance("c", false, Duration.ofSeconds(5), OTHER_SECRET, SECRET);
    clock.advance(LEASE.plusSeconds(1)); // b's lease on it runs out

    VerificationEvent done = c.nextDeliver();
    assertThat(done.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(c.delegate.calls()).extracting(EmailMessage::code).containsExactly(code);
    assertThat(outbox.size()).isZero();
  }

  @Test
  @DisplayName("C14, C31: a mail no secret of any instance opens is removed unsent once its code has expired")
  void unopenableMailIsRemovedAfterItsExpiry() throws Exception {
    Instance a = new Instance("a", true, Duration.ofSeconds(1));
    a.service.sendVerificationCode("user@example.com", VerificationType.REGISTER, Duration.ofMinutes(1));
    a.delegate.awaitEntered();
    a.connection.kill();
    clock.advance(LEASE.plusSeconds(1)); // past a's lease and the code's expiry
    Instance b = new Instance("b", false, Duration.ofSeconds(5), OTHER_SECRET);

    assertThat(b.connection.completed.poll(10, TimeUnit.SECONDS)).as("b removes it within 10 s").isNotNull();
    assertThat(outbox.size()).isZero();
    assertThat(b.delegate.calls()).isEmpty();
  }

  @Test
  @DisplayName("C25, C31: a permanent failure on the instance that took a mail over invalidates the code in the"
      + " shared store and is reported there")
  void permanentFailureOnAdoptingInstanceInvalidates() throws Exception {
    Instance a = new Instance("a", true, Duration.ofSeconds(1));
    a.service.sendVerificationCode("user@example.com", VerificationType.REGISTER, TTL);
    a.delegate.awaitEntered();
    a.connection.kill();
    String code = a.delegate.calls().get(0).code();
    Instance b = new Instance("b", false, Duration.ofSeconds(5));
    b.delegate.then(smtp(RECIPIENT_REJECTED, 550));

    clock.advance(LEASE.plusSeconds(1));

    VerificationEvent done = b.nextDeliver();
    assertThat(done.outcome()).isEqualTo(Outcome.DELIVERY_FAILED);
    assertThat(done.detail()).isEqualTo("RECIPIENT_REJECTED");
    assertThat(b.service.verifyCode("user@example.com", VerificationType.REGISTER, code))
        .as("the failed mail's code is dead on every instance").isInstanceOf(VerifyResult.NotFound.class);
  }

  @Test
  @DisplayName("C31: a mail whose code expired while it waited is not sent, and is reported as EXPIRED")
  void expiredMailIsNotSent() throws Exception {
    Instance a = new Instance("a", true, Duration.ofSeconds(1));
    a.service.sendVerificationCode("first@example.com", VerificationType.REGISTER, TTL);
    a.delegate.awaitEntered();
    a.service.sendVerificationCode("user@example.com", VerificationType.REGISTER, Duration.ofMinutes(1));
    // a holds the first mail on the wire and the second one waiting; then it dies
    a.connection.kill();
    // past a's lease and the second code's expiry before b starts, so b cannot claim the second
    // mail while its code is still valid (it did, now and then, on a loaded machine)
    clock.advance(LEASE.plusSeconds(1));
    Instance b = new Instance("b", false, Duration.ofSeconds(5));

    List<VerificationEvent> events = List.of(b.nextDeliver(), b.nextDeliver());
    assertThat(events).extracting(VerificationEvent::detail).containsExactlyInAnyOrder(null, "EXPIRED");
    assertThat(b.delegate.calls()).extracting(m -> m.to().address()).containsExactly("first@example.com");
  }

  @Test
  @DisplayName("C29, C31: while the outbox is down a send is refused (STORE_UNAVAILABLE, no cooldown left),"
      + " queued mails wait, and nothing is reported delivered that was not; when it is back they all go")
  void outboxOutage() throws Exception {
    Instance a = new Instance("a", true, Duration.ofSeconds(5));
    for (int i = 0; i < 5; i++) {
      a.service.sendVerificationCode("u" + i + "@example.com", VerificationType.REGISTER, TTL);
    }
    a.delegate.awaitEntered(); // a claimed a batch of 2 (one worker); 3 wait in the outbox
    outbox.down(true);

    SendResult refused = a.service.sendVerificationCode("late@example.com", VerificationType.REGISTER, TTL);
    assertThat(refused).isInstanceOfSatisfying(SendResult.DeliveryFailed.class,
        f -> assertThat(f.category()).isEqualTo(DeliveryException.Category.STORE_UNAVAILABLE));

    a.delegate.open(); // what a already claimed (1 or 2 mails) goes out; completing it waits for the store
    List<VerificationEvent> during = new ArrayList<>();
    for (VerificationEvent e; (e = a.delivered.poll(500, TimeUnit.MILLISECONDS)) != null; ) {
      during.add(e);
    }
    assertThat(during).extracting(VerificationEvent::outcome).containsOnly(Outcome.DELIVERED);
    assertThat(during).as("delivered while down = really handed to the server").hasSize(a.delegate.calls().size());
    assertThat(during.size()).as("the rest waits in the outbox").isBetween(1, 2);

    outbox.down(false);

    for (int i = during.size(); i < 5; i++) {
      assertThat(a.nextDeliver().outcome()).isEqualTo(Outcome.DELIVERED);
    }
    assertThat(a.delegate.calls()).extracting(m -> m.to().address()).doesNotHaveDuplicates().hasSize(5);
    assertThat(a.service.sendVerificationCode("late@example.com", VerificationType.REGISTER, TTL))
        .as("no cooldown was left by the refused send").isInstanceOf(SendResult.Sent.class);
  }

  @Test
  @DisplayName("C27, C31: close() leaves unsent mails in the outbox (OUTCOME_UNKNOWN, codes valid) and the next"
      + " instance sends them at once")
  void closeHandsOverToTheNextInstance() throws Exception {
    Instance a = new Instance("a", true, Duration.ZERO);
    a.service.sendVerificationCode("first@example.com", VerificationType.REGISTER, TTL);
    a.delegate.awaitEntered();
    a.service.sendVerificationCode("second@example.com", VerificationType.REGISTER, TTL);

    a.transport.close();

    List<VerificationEvent> closed = List.of(a.nextDeliver(), a.nextDeliver());
    assertThat(closed).extracting(VerificationEvent::detail).containsOnly("OUTCOME_UNKNOWN");
    Instance b = new Instance("b", false, Duration.ofSeconds(5));
    VerificationEvent sent = b.nextDeliver(); // released at close: no lease to wait for
    assertThat(sent.outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(sent.email().address()).isEqualTo("second@example.com");
    String code = b.delegate.calls().get(0).code();
    assertThat(b.service.verifyCode("second@example.com", VerificationType.REGISTER, code))
        .isInstanceOf(VerifyResult.Verified.class);
  }
}
