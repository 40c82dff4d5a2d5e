package dev.mailverify.core.testkit;

import static org.assertj.core.api.Assertions.assertThat;

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
 * <p>Published in the {@code verification-core} test-jar; it needs JUnit Jupiter and AssertJ.
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

    assertThat(claims).singleElement().satisfies(c -> {
      assertThat(c.entry()).isEqualTo(e);
      assertThat(c.entry().message().messageId()).isEqualTo(e.message().messageId());
      assertThat(c.entry().context().codeKey()).isEqualTo(e.context().codeKey());
      assertThat(c.attempts()).isEqualTo(1);
    });
    assertThat(outbox.claim("b", 10, now, lease())).as("leased to a").isEmpty();
    assertThat(outbox.size()).isEqualTo(1);
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
    assertThat(first).hasSize(3);
    assertThat(rest).hasSize(2);
    if (claimsInGlobalOrder()) {
      assertThat(first).extracting(Claim::entry).containsExactlyElementsOf(added.subList(0, 3));
      assertThat(rest).extracting(Claim::entry).containsExactlyElementsOf(added.subList(3, 5));
    } else {
      List<OutboxEntry> all = new ArrayList<>();
      first.forEach(c -> all.add(c.entry()));
      rest.forEach(c -> all.add(c.entry()));
      assertThat(all).containsExactlyInAnyOrderElementsOf(added);
    }
  }

  @Test
  @DisplayName("C31: a completed entry is gone for good, also after its lease would have run out")
  void completedEntryIsGone() {
    outbox.add(entry(1), now);
    Claim c = outbox.claim("a", 10, now, lease()).get(0);

    assertThat(outbox.complete(c, "a")).isTrue();

    assertThat(outbox.size()).isZero();
    letLeaseRunOut();
    assertThat(outbox.claim("b", 10, now, lease())).isEmpty();
    assertThat(outbox.complete(c, "a")).as("completing twice").isFalse();
  }

  @Test
  @DisplayName("C31: when a lease runs out another instance takes the entry over, with the attempts counted so far;"
      + " the old holder can no longer count or complete it")
  void expiredLeaseIsTakenOver() {
    outbox.add(entry(1), now);
    Claim first = outbox.claim("a", 10, now, lease()).get(0);
    assertThat(outbox.countAttempt(first, "a", now, lease())).isEqualTo(2);

    letLeaseRunOut();
    List<Claim> taken = eventually(() -> outbox.claim("b", 10, now, lease()));

    assertThat(taken).singleElement().satisfies(c -> {
      assertThat(c.entry()).isEqualTo(first.entry());
      assertThat(c.attempts()).isEqualTo(3);
    });
    assertThat(outbox.countAttempt(first, "a", now, lease())).as("a lost it").isZero();
    assertThat(outbox.complete(first, "a")).isFalse();
    assertThat(outbox.complete(taken.get(0), "b")).isTrue();
    assertThat(outbox.size()).isZero();
  }

  @Test
  @DisplayName("C31: counting an attempt renews the lease: nobody else can claim the entry meanwhile")
  void countingRenewsTheLease() {
    outbox.add(entry(1), now);
    Claim c = outbox.claim("a", 10, now, lease()).get(0);
    assertThat(outbox.countAttempt(c, "a", now, lease())).isEqualTo(2);
    assertThat(outbox.claim("b", 10, now, lease())).isEmpty();
  }

  @Test
  @DisplayName("C31: a released entry can be claimed by another instance at once")
  void releasedEntryIsClaimableAtOnce() {
    OutboxEntry e = entry(1);
    outbox.add(e, now);
    Claim c = outbox.claim("a", 10, now, lease()).get(0);

    outbox.release(c, "a", now);

    assertThat(eventually(() -> outbox.claim("b", 10, now, lease()))).extracting(Claim::entry).containsExactly(e);
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
          assertThat(outbox.complete(c, "instance-" + t)).isTrue();
        }
      }
    });
    List<String> all = new ArrayList<>();
    perThread.forEach(all::addAll);
    Set<String> unique = new HashSet<>(all);
    assertThat(all).hasSize(entries);
    assertThat(unique).hasSize(entries);
    assertThat(outbox.size()).isZero();
  }
}
