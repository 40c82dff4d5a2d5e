package dev.mailverify.core.spi;

import dev.mailverify.core.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A durable queue of mails on a store the application already runs, so that a mail answered
 * {@code QUEUED} survives a crash of the instance that accepted it (C31). Plug one into
 * {@link dev.mailverify.core.transport.AsyncMailTransport.Builder#outbox(MailOutbox, byte[], byte[]...)
 * AsyncMailTransport.Builder.outbox(outbox, secret)}; built-ins are {@code RedisMailOutbox} (Redis
 * Streams, {@code verification-redis}) and {@code JdbcMailOutbox} (an outbox table,
 * {@code verification-jdbc}).
 *
 * <p><b>The protocol.</b> An instance {@linkplain #add adds} an entry (one store round trip on the
 * caller's path); any instance {@linkplain #claim claims} entries, which leases them to it for a
 * while; the lease holder sends, and for each further attempt {@linkplain #countAttempt counts it}
 * (which also renews the lease and proves it still holds the entry); a final outcome
 * {@linkplain #complete completes} the entry, which removes it. An entry whose lease ran out (its
 * holder died or stalled) is claimed again by any instance: delivery is at least once, and the
 * entry carries the same message, so every attempt sends the same bytes and Message-ID.
 * {@linkplain #release Releasing} gives an entry back before its lease ends (a clean shutdown).
 *
 * <p><b>Attempts.</b> A claim counts one attempt, and so does {@link #countAttempt}: the count
 * that comes back is the entry's total across every instance, so a retry budget holds across a
 * takeover.
 *
 * <p><b>Times.</b> The {@code now} passed in comes from the transport's clock; a store compares
 * leases against it where it stores times, or uses its own clock where it cannot (Redis idle
 * times), and says so.
 *
 * <p><b>What is stored (C14).</b> {@code AsyncMailTransport} hands an outbox only
 * {@linkplain OutboxEntry#isSealed() sealed} entries: the mail inside, code and link included, is
 * encrypted under a key derived from the application's secret, and only the entry's ID, expiry and
 * time queued are readable. An implementation stores {@link OutboxEntry#toBytes()} and gives back
 * {@link OutboxEntry#fromBytes(byte[])}, never calling {@link OutboxEntry#message()} (which a sealed
 * entry refuses); it removes an entry at its final outcome and must not keep completed entries.
 *
 * <p><b>Failures.</b> Every method is bounded by the store's timeout and throws
 * {@link StoreUnavailableException} when the store does not answer; it never reports a success that
 * did not happen (C29). Implementations are thread-safe.
 */
public interface MailOutbox {

  /**
   * Stores an entry, not leased to anyone, due at once.
   *
   * @param entry the entry; not null
   * @param now the transport's clock; not null
   * @throws StoreUnavailableException if the store did not take it: nothing was queued
   * @throws OutboxFullException if the outbox holds its configured maximum of entries
   */
  void add(OutboxEntry entry, Instant now);

  /**
   * Leases up to {@code max} entries to {@code owner} until {@code now + lease}: entries nobody
   * holds and entries whose lease ran out. Each claimed entry counts one attempt. Two concurrent
   * claims never return the same entry while its lease runs.
   *
   * @param owner the claiming instance, 1-100 printable ASCII characters; not null
   * @param max 1-1000
   * @param now the transport's clock; not null
   * @param lease how long the entries stay with {@code owner} without news from it; not null
   * @return the claimed entries, oldest first; empty if none is due
   * @throws StoreUnavailableException if the store did not answer
   */
  List<Claim> claim(String owner, int max, Instant now, Duration lease);

  /**
   * Counts one more attempt for an entry {@code owner} holds and renews its lease, before a retry.
   *
   * @param claim the claim; not null
   * @param owner the instance that claimed it; not null
   * @param now the transport's clock; not null
   * @param lease the renewed lease; not null
   * @return the entry's attempts including this one, or 0 if {@code owner} no longer holds it
   *     (another instance took it over: do not send)
   * @throws StoreUnavailableException if the store did not answer
   */
  int countAttempt(Claim claim, String owner, Instant now, Duration lease);

  /**
   * Removes an entry after its final outcome, if {@code owner} still holds it.
   *
   * @param claim the claim; not null
   * @param owner the instance that claimed it; not null
   * @return {@code true} if removed; {@code false} if another instance took it over meanwhile (it
   *     will report the outcome)
   * @throws StoreUnavailableException if the store did not answer
   */
  boolean complete(Claim claim, String owner);

  /**
   * Gives an entry {@code owner} holds back at once, so that any instance can claim it now.
   *
   * @param claim the claim; not null
   * @param owner the instance that claimed it; not null
   * @param now the transport's clock; not null
   * @throws StoreUnavailableException if the store did not answer
   */
  void release(Claim claim, String owner, Instant now);

  /**
   * Returns how many entries the outbox holds (waiting, leased or between retries), for metrics
   * and tests. May be approximate under concurrent change.
   *
   * @return 0 or more
   * @throws StoreUnavailableException if the store did not answer
   */
  long size();

  /**
   * An entry leased to one instance.
   *
   * @param handle the store's handle of the entry (a stream ID, a row key); not null
   * @param entry the entry; not null
   * @param attempts the entry's attempts including the one this claim counts, 1 or more
   */
  record Claim(String handle, OutboxEntry entry, int attempts) {
    /**
     * Checks the parts.
     *
     * @param handle the handle; not null
     * @param entry the entry; not null
     * @param attempts 1 or more
     * @throws IllegalArgumentException if attempts is below 1
     */
    public Claim {
      Objects.requireNonNull(handle, "handle");
      Objects.requireNonNull(entry, "entry");
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
      }
    }
  }

  /**
   * Thrown by {@link #add} when the outbox is at its bound: nothing was queued. The asynchronous
   * transport turns it into a {@code QUEUE_FULL} refusal.
   */
  final class OutboxFullException extends dev.mailverify.core.MailVerifyException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the bound and how to raise it
     */
    public OutboxFullException(String message) {
      super(message);
    }
  }
}
