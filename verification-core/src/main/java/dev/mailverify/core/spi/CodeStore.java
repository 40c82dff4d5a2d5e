package dev.mailverify.core.spi;

import dev.mailverify.core.internal.InMemoryCodeStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where pending codes and verification tokens live. Each method is one atomic operation, so that
 * a shared store (Redis with a script, SQL with a conditional UPDATE or DELETE) gives the same
 * guarantees under concurrency as the in-memory one (contract C8).
 *
 * <p>A store keeps only keyed hashes of codes and hashes of tokens (C14). Time is always passed
 * in by the service ({@code now}), so that expiry follows the service's {@link Clock}.
 *
 * <p>Implementations must pass {@code dev.mailverify.test.CodeStoreContract} from the
 * {@code verification-test} module (test scope), which checks these rules with 100-thread races:
 *
 * <pre>{@code
 * class ConcurrentMapCodeStoreTest extends CodeStoreContract {
 *   @Override
 *   protected CodeStore createStore() {
 *     return new ConcurrentMapCodeStore();
 *   }
 *
 *   @Override
 *   protected String dump(CodeStore store) {
 *     return ((ConcurrentMapCodeStore) store).dump();
 *   }
 * }
 * }</pre>
 *
 * <p>A store that keeps the rate limiter's buckets too (one Redis, one SQL database) can also
 * implement {@link LimitingCodeStore}, so that a send or a wrong try is one round trip and a
 * failure half-way leaves no permit behind (C29).
 *
 * <p>The built-in {@link #inMemory()} runs on Caffeine.
 */
public interface CodeStore {

  /**
   * Stores a new pending code for the key, replacing any earlier one (a resend makes the old code
   * stop working; C4).
   *
   * @param key the address and type
   * @param code the new code
   * @param now the current time; the record may be dropped once {@code code.expiresAt()} is
   *     reached, that is after {@code expiresAt - now} (a store with its own clock, such as Redis,
   *     should expire it after that duration rather than at the absolute instant)
   */
  void issue(CodeKey key, PendingCode code, Instant now);

  /**
   * Stores a new pending code for the key and, with a resend grace, keeps the code it replaces
   * working for a short while (the policy's {@code resendGrace}; off, zero, by default). All in
   * one atomic operation:
   *
   * <ul>
   *   <li>{@code resendGrace} zero: exactly {@link #issue(CodeKey, PendingCode, Instant)} (C4);
   *   <li>otherwise, if a code is pending that is neither expired at {@code now} nor locked, and
   *       whose tries so far are fewer than {@code code.maxAttempts()}: the new record keeps that
   *       code's MAC as its <em>previous</em> MAC, valid until
   *       {@code min(its expiresAt, now + resendGrace)}, and starts with that code's tries (the two
   *       codes share one try budget). Only the code immediately before is kept: the previous MAC
   *       of the replaced record, if any, is dropped;
   *   <li>otherwise (nothing pending, or expired or locked): as without grace.
   * </ul>
   *
   * <p>{@link #attempt(CodeKey, List, Instant)} then counts a try once, whichever code it is
   * compared with; a candidate matching the previous MAC before its end (exclusive) is a match
   * like one matching the new code, and a match, a lock or {@link #invalidate(CodeKey)} is about
   * the record as a whole: both codes. The new code's expiry and tries decide EXPIRED and LOCKED.
   *
   * <p>The default supports only a zero grace and throws otherwise; a store that implements the
   * grace overrides this method and {@link #supportsResendGrace()}.
   *
   * @param key the address and type
   * @param code the new code, with no tries counted
   * @param resendGrace how long the replaced code keeps working, zero for none; not negative
   * @param now the current time (the resend time)
   * @throws UnsupportedOperationException if the grace is not zero and this store does not
   *     support it
   */
  default void issue(CodeKey key, PendingCode code, Duration resendGrace, Instant now) {
    if (checkResendGrace(resendGrace, this)) {
      issue(key, code, now);
    }
  }

  /**
   * Tells whether this store implements the resend grace of
   * {@link #issue(CodeKey, PendingCode, Duration, Instant)}. A service refuses to build with a
   * policy that sets a grace on a store that answers {@code false}. The default answers
   * {@code false}; the built-in stores (in memory, Redis, JDBC) answer {@code true}.
   *
   * @return {@code true} if a non-zero resend grace works on this store
   */
  default boolean supportsResendGrace() {
    return false;
  }

  /**
   * Checks a resend grace for a store that does not implement it.
   *
   * @return {@code true} if the grace is zero (the plain issue applies)
   * @throws UnsupportedOperationException naming the store when it is not zero
   */
  private static boolean checkResendGrace(Duration resendGrace, CodeStore store) {
    Objects.requireNonNull(resendGrace, "resendGrace");
    if (resendGrace.isNegative()) {
      throw new IllegalArgumentException("resendGrace must not be negative, was " + resendGrace);
    }
    if (!resendGrace.isZero()) {
      throw new UnsupportedOperationException(store.getClass().getName() + " does not support a resend grace"
          + " (supportsResendGrace() is false): set resendGrace to zero or use a store that supports it");
    }
    return true;
  }

  /**
   * Makes one verification attempt, atomically: if a code is pending, not expired and not
   * locked, count the attempt, compare the stored MAC with each candidate in constant time
   * (C15), and on a match remove the code. Compare with
   * {@link PendingCode#macMatchesAny(byte[], List)}, also when no code is pending (pass
   * {@code null}), so that a missing record costs the same work as a wrong code.
   *
   * <ul>
   *   <li>no code: {@link AttemptResult.Outcome#NOT_FOUND};
   *   <li>{@code now >= expiresAt}: {@link AttemptResult.Outcome#EXPIRED}, nothing counted;
   *   <li>no tries left: {@link AttemptResult.Outcome#LOCKED}, nothing compared;
   *   <li>a match: {@link AttemptResult.Outcome#MATCHED}, the code is gone;
   *   <li>otherwise: {@link AttemptResult.Outcome#MISMATCHED} with the tries left.
   * </ul>
   *
   * @param key the address and type
   * @param candidates the MACs of the typed code under each active secret; empty for input that
   *     cannot match (it still counts as a try)
   * @param now the current time
   * @return the outcome
   */
  AttemptResult attempt(CodeKey key, List<byte[]> candidates, Instant now);

  /**
   * Removes the pending code, if any (after a failed delivery; C25).
   *
   * @param key the address and type
   * @return {@code true} if a code was removed
   */
  boolean invalidate(CodeKey key);

  /**
   * Stores a token record under the token's hash.
   *
   * @param tokenHash the hash of the token (and its type), hex; never the token
   * @param token what the token stands for
   * @param now the current time; the record may be dropped after {@code expiresAt - now}
   */
  void storeToken(String tokenHash, TokenRecord token, Instant now);

  /**
   * Removes and returns the token record, atomically: of many concurrent calls for one hash, at
   * most one gets it (C9). An expired record is removed and not returned.
   *
   * <p>With an {@code expectedAddress}, the record is taken only if
   * {@link TokenRecord#matchesAddress(String)} holds for it; otherwise it stays where it is,
   * untouched, and empty is returned. The check and the removal are one atomic operation (a
   * Redis script, a {@code DELETE ... WHERE address = ?}), so a registration form submitted with a
   * mistyped address does not burn the token, and a token can never be redeemed for an address
   * it was not issued to.
   *
   * @param tokenHash the hash of the token
   * @param expectedAddress the {@link dev.mailverify.core.EmailAddress#key() key} (lower-cased
   *     address) the token must have been issued to, or {@code null} to take it whatever its
   *     address
   * @param now the current time
   * @return the record, or empty if unknown, already taken, expired or issued to another address
   */
  Optional<TokenRecord> takeToken(String tokenHash, @Nullable String expectedAddress, Instant now);

  /**
   * Returns the built-in in-memory store, bounded to one million codes and one million tokens.
   *
   * @return a new store
   */
  static CodeStore inMemory() {
    return InMemoryCodeStore.builder().build();
  }
}
