package dev.mailverify.test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.DeliveryContext;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.core.spi.MailOutbox.Claim;
import dev.mailverify.core.spi.OutboxEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit every durable {@link MailOutbox} must pass (C31): entries come back
 * byte-for-byte, a lease keeps an entry with one instance, a lease that runs out hands it to
 * another with its attempt count, a taken-over entry can no longer be counted or completed by its
 * old holder, a completed entry is gone, and concurrent claims never share an entry.
 *
 * <p>Time is passed in from {@link #now}; {@link #letLeaseRunOut()} moves it past the lease. A store
 * that measures leases with its own clock (Redis idle times) overrides {@link #lease()} with a short
 * one; claims after a lease ran out are retried for up to 10 seconds.
 *
 * <p>Published in {@code verification-test}.
 */
public abstract class MailOutboxContract {
  /** The outbox under test, fresh and empty for every test. */
  protected MailOutbox outbox;
  /** The time passed to the outbox. */
  protected Instant now = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * Returns a new, empty outbox that shares nothing with any earlier one.
   *
   * @return the outbox
   */
  protected abstract MailOutbox createOutbox();

  /**
   * Returns the lease the tests use (default 1 minute of passed-in time).
   *
   * @return the lease
   */
  protected Duration lease() {
    return Duration.ofMinutes(1);
  }

  /** Moves {@link #now} past the lease. */
  protected void letLeaseRunOut() {
    now = now.plus(lease()).plusMillis(1);
  }

  /**
   * Whether claims come back strictly oldest first across the whole outbox (default true). An
   * outbox spread over shards is first-in first-out per shard only.
   *
   * @return whether the order is global
   */
  protected boolean claimsInGlobalOrder() {
    return true;
  }

  @BeforeEach
  void createFreshOutbox() {
    outbox = createOutbox();
  }

  /**
   * Returns an entry as the service makes one: a code, a Chinese subject, an HTML body.
   *
   * @param i a number that makes the recipient unique
   * @return the entry
   */
  protected static OutboxEntry entry(int i) {
    EmailAddress to = EmailAddress.parse("user" + i + "@example.com");
    EmailMessage message = EmailMessage.builder(to)
        .from(new Mailbox("noreply@example.com", "注册服务"))
        .subject("您的验证码 " + i)
        .text("Your code is 123456. ".repeat(20))
        .html("<p>Your code is <b>123456</b></p>")
        .header("X-Entity-Ref-ID", "ref-" + i)
        .code("123456")
        .date(Instant.parse("2026-01-01T00:00:00Z"))
        .notAfter(Instant.parse("2026-01-01T00:10:00Z"))
        .build();
    return OutboxEntry.of(message, new DeliveryContext(CodeKey.of(VerificationType.REGISTER, to), "203.0.113.7",
        Instant.parse("2026-01-01T00:00:00Z")));
  }

  private List<Claim> eventually(Supplier<List<Claim>> claim) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<Claim> got = claim.get();
      if (!got.isEmpty() || System.nanoTime() - deadline > 0) {
        return got;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  @Test
  @DisplayName("C31: an added entry is claimed once, whole (same message, Message-ID, code key), as attempt 1")
  void addedEntryIsClaimedWhole() {
    OutboxEntry e = entry(1);
    outbox.add(e, now);

    List<Claim> claims = outbox.claim("a", 10, now, lease());

    assertEquals(1, claims.size(), "one claim");
    Claim c = claims.get(0);
    assertEquals(e, c.entry(), "the entry comes back whole");
    assertEquals(e.message().messageId(), c.entry().message().messageId(), "same Message-ID");
    assertEquals(e.context().codeKey(), c.entry().context().codeKey(), "same code key");
    assertEquals(1, c.attempts(), "the claim counts attempt 1");
    assertTrue(outbox.claim("b", 10, now, lease()).isEmpty(), "leased to a");
    assertEquals(1, outbox.size());
  }

  @Test
  @DisplayName("C14, C31: a sealed entry (the form the transport hands an outbox) is stored and claimed as it is,"
      + " its expiry and time queued readable; the outbox never needs the mail inside")
  void sealedEntryIsStoredAsItIs() {
    byte[] payload = new byte[300];
    new Random(42).nextBytes(payload);
    OutboxEntry e = OutboxEntry.sealed("3f2b8c1e-5d6a-4e7f-9a0b-1c2d3e4f5a6b",
        Instant.parse("2026-01-01T00:10:00Z"), Instant.parse("2026-01-01T00:00:00Z"), payload);
    outbox.add(e, now);

    List<Claim> claims = outbox.claim("a", 10, now, lease());

    assertEquals(1, claims.size(), "one claim");
    OutboxEntry back = claims.get(0).entry();
    assertTrue(back.isSealed(), "still sealed");
    assertEquals(e, back, "the entry comes back whole");
    assertArrayEquals(payload, back.sealedPayload(), "the same payload");
    assertEquals(e.notAfter(), back.notAfter(), "the same expiry");
    assertTrue(outbox.complete(claims.get(0), "a"), "completed");
    assertEquals(0, outbox.size());
  }

  @Test
  @DisplayName("C31: claims take the oldest entries first (per shard, for a sharded outbox) and at most max")
  void claimsOldestFirstUpToMax() {
    List<OutboxEntry> added = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      added.add(entry(i));
      outbox.add(added.get(i), now);
      now = now.plusMillis(1);
    }
    List<Claim> first = outbox.claim("a", 3, now, lease());
    List<Claim> rest = outbox.claim("b", 10, now, lease());
    assertEquals(3, first.size(), "at most max");
    assertEquals(2, rest.size());
    List<OutboxEntry> all = new ArrayList<>();
    first.forEach(c -> all.add(c.entry()));
    rest.forEach(c -> all.add(c.entry()));
    if (claimsInGlobalOrder()) {
      assertEquals(added, all, "oldest first");
    } else {
      assertEquals(new HashSet<>(added), new HashSet<>(all), "every entry once");
    }
  }

  @Test
  @DisplayName("C31: a completed entry is gone for good, also after its lease would have run out")
  void completedEntryIsGone() {
    outbox.add(entry(1), now);
    Claim c = outbox.claim("a", 10, now, lease()).get(0);

    assertTrue(outbox.complete(c, "a"));

    assertEquals(0, outbox.size());
    letLeaseRunOut();
    assertTrue(outbox.claim("b", 10, now, lease()).isEmpty(), "gone for good");
    assertFalse(outbox.complete(c, "a"), "completing twice");
  }

  @Test
  @DisplayName("C31: when a lease runs out another instance takes the entry over, with the attempts counted so far;"
      + " the old holder can no longer count or complete it")
  void expiredLeaseIsTakenOver() {
    outbox.add(entry(1), now);
    Claim first = outbox.claim("a", 10, now, lease()).get(0);
    assertEquals(2, outbox.countAttempt(first, "a", now, lease()));

    letLeaseRunOut();
    List<Claim> taken = eventually(() -> outbox.claim("b", 10, now, lease()));

    assertEquals(1, taken.size(), "b takes it over");
    assertEquals(first.entry(), taken.get(0).entry());
    assertEquals(3, taken.get(0).attempts(), "attempts counted so far, plus this claim");
    assertEquals(0, outbox.countAttempt(first, "a", now, lease()), "a lost it");
    assertFalse(outbox.complete(first, "a"), "a cannot complete it");
    assertTrue(outbox.complete(taken.get(0), "b"));
    assertEquals(0, outbox.size());
  }

  @Test
  @DisplayName("C31: counting an attempt renews the lease: nobody else can claim the entry meanwhile")
  void countingRenewsTheLease() {
    outbox.add(entry(1), now);
    Claim c = outbox.claim("a", 10, now, lease()).get(0);
    assertEquals(2, outbox.countAttempt(c, "a", now, lease()));
    assertTrue(outbox.claim("b", 10, now, lease()).isEmpty(), "still a's");
  }

  @Test
  @DisplayName("C31: a released entry can be claimed by another instance at once")
  void releasedEntryIsClaimableAtOnce() {
    OutboxEntry e = entry(1);
    outbox.add(e, now);
    Claim c = outbox.claim("a", 10, now, lease()).get(0);

    outbox.release(c, "a", now);

    List<Claim> again = eventually(() -> outbox.claim("b", 10, now, lease()));
    assertEquals(1, again.size(), "claimable at once");
    assertEquals(e, again.get(0).entry());
  }

  @Test
  @DisplayName("C31: 8 instances claiming 200 entries at once never get the same entry twice")
  void concurrentClaimsNeverShare() throws Exception {
    int entries = 200;
    for (int i = 0; i < entries; i++) {
      outbox.add(entry(i), now);
    }
    List<List<String>> perThread = Race.run(8, t -> {
      List<String> mine = new ArrayList<>();
      while (true) {
        List<Claim> got = outbox.claim("instance-" + t, 5, now, lease());
        if (got.isEmpty()) {
          return mine;
        }
        for (Claim c : got) {
          mine.add(c.entry().id());
          assertTrue(outbox.complete(c, "instance-" + t));
        }
      }
    });
    List<String> all = new ArrayList<>();
    perThread.forEach(all::addAll);
    Set<String> unique = new HashSet<>(all);
    assertEquals(entries, all.size(), "every entry claimed");
    assertEquals(entries, unique.size(), "none claimed twice");
    assertEquals(0, outbox.size());
  }
}
