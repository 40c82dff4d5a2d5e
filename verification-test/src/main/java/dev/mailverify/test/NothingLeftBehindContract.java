package dev.mailverify.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.Quota;
import dev.mailverify.core.SendRequest;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kit for contract rule C29's second half, run against a whole service: a send whose code could
 * not be stored leaves no cooldown, cap, across-types or client permit behind, and a verify that
 * fails at the store counts no try against the failed-tries budget. Every limit is set to one
 * permit, so a permit left behind would refuse the next request.
 *
 * <p>Cut so that a failed call never reaches the server ({@link TcpProxy#blackHole()}, not
 * {@link TcpProxy#pause()}): a paused call may still run once the proxy resumes, and a call that
 * timed out but ran is the one case C29 cannot undo (see {@code docs/stores.md}).
 *
 * <p>Extend it with a store whose calls can be cut (a failing wrapper, a loopback {@link TcpProxy}
 * in front of the server) and the limiter the application would use with it: a limiter on a
 * connection that stays up shows that the service gives back what it took before the store failed;
 * a store that takes the permits itself ({@link dev.mailverify.core.spi.LimitingCodeStore}) shows
 * that its operation is all or nothing.
 *
 * <pre>{@code
 * class ProxiedRedisNothingLeftBehindTest extends NothingLeftBehindContract {
 *   protected CodeStore store() { return storeThroughProxy; }
 *   protected RateLimiter limiter() { return limiterOnDirectConnection; }
 *   protected void cut() { proxy.blackHole(); } // cut commands never reach the server
 *   protected void restore() throws Exception { proxy.restore(); awaitStoreWorking(); }
 * }
 * }</pre>
 */
public abstract class NothingLeftBehindContract {
  private static final VerificationType TYPE = VerificationType.REGISTER;
  private static final String CLIENT = "203.0.113.7";
  private static final byte[] SECRET = "nothing-left-behind kit secret, 32+ bytes".getBytes(StandardCharsets.US_ASCII);

  /** The clock of the service; tests never move it, so no window passes. */
  protected final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));

  /** For subclasses. */
  protected NothingLeftBehindContract() {}

  /**
   * Returns the store, fresh and empty for each test, whose calls {@link #cut()} makes fail.
   *
   * @return the store; not null
   * @throws Exception if it cannot be made
   */
  protected abstract CodeStore store() throws Exception;

  /**
   * Returns the limiter to use with the store, fresh and empty for each test.
   *
   * @return the limiter; not null
   * @throws Exception if it cannot be made
   */
  protected abstract RateLimiter limiter() throws Exception;

  /**
   * From now on, every call of the store fails with {@link StoreUnavailableException} (within its
   * timeout).
   *
   * @throws Exception if the cut fails
   */
  protected abstract void cut() throws Exception;

  /**
   * Makes the store work again, returning once a call of it succeeds.
   *
   * @throws Exception if the store does not come back
   */
  protected abstract void restore() throws Exception;

  private VerificationCodeService service(InMemoryOutbox outbox) throws Exception {
    Quota one = Quota.perHour(1);
    return VerificationCodeService.builder()
        .transport(outbox)
        .store(store())
        .rateLimiter(limiter())
        .clock(clock)
        .secret(SECRET)
        .perAddressTotalQuota(one)
        .defaultPolicy(VerificationPolicy.builder()
            .cooldown(Duration.ofSeconds(60))
            .perAddressQuota(one)
            .perClientQuota(one)
            .failedAttemptsQuota(one)
            .build())
        .build();
  }

  private static SendRequest send(String email, VerificationType type) {
    return SendRequest.builder(email, type).clientKey(CLIENT).build();
  }

  @Test
  @DisplayName("C29: a send that fails at the store leaves no cooldown, cap, across-types or client permit behind")
  void failedSendLeavesNoPermit() throws Exception {
    InMemoryOutbox outbox = MailTransport.inMemory();
    VerificationCodeService service = service(outbox);
    cut();
    assertThrows(StoreUnavailableException.class, () -> service.sendVerificationCode(send("ann@example.com", TYPE)));
    assertEquals(0, outbox.size(), "no mail for a code that was not stored");
    restore();

    // every limit allows one send an hour: a permit left behind would refuse this one
    assertInstanceOf(SendResult.Sent.class, service.sendVerificationCode(send("ann@example.com", TYPE)));
    assertEquals(1, outbox.size());
    // and the buckets count: the next send is refused by the cooldown, another type's by the cap
    // across types, another address's from the same client by the client cap
    assertEquals(SendResult.Limit.COOLDOWN, assertInstanceOf(SendResult.RateLimited.class,
        service.sendVerificationCode(SendRequest.builder("ann@example.com", TYPE).build())).limit());
    assertEquals(SendResult.Limit.ADDRESS_TOTAL_QUOTA, assertInstanceOf(SendResult.RateLimited.class,
        service.sendVerificationCode(SendRequest.builder("ann@example.com", VerificationType.LOGIN).build())).limit());
    assertEquals(SendResult.Limit.CLIENT_QUOTA, assertInstanceOf(SendResult.RateLimited.class,
        service.sendVerificationCode(send("cat@example.com", TYPE))).limit());
    assertEquals(1, outbox.size());
  }

  @Test
  @DisplayName("C29, C7: a verify that fails at the store counts no try against the failed-tries budget")
  void failedVerifyCountsNoTry() throws Exception {
    InMemoryOutbox outbox = MailTransport.inMemory();
    VerificationCodeService service = service(outbox);
    assertInstanceOf(SendResult.Sent.class, service.sendVerificationCode(send("bob@example.com", TYPE)));
    String code = outbox.latestCode("bob@example.com").orElseThrow();
    String wrong = code.equals("000000") ? "111111" : "000000";
    cut();
    assertThrows(StoreUnavailableException.class, () -> service.verifyCode("bob@example.com", TYPE, wrong));
    restore();

    // the budget allows one wrong try an hour: a try counted during the outage would lock this one
    assertInstanceOf(VerifyResult.Invalid.class, service.verifyCode("bob@example.com", TYPE, wrong));
    // and the budget counts: now it is used up, so even the right code is refused
    assertInstanceOf(VerifyResult.Locked.class, service.verifyCode("bob@example.com", TYPE, code));
  }
}
