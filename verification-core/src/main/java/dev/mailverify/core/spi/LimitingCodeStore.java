package dev.mailverify.core.spi;

import dev.mailverify.core.Quota;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link CodeStore} that can take rate-limit permits in the same atomic operation as its own
 * work, because it keeps the limiter's buckets itself (one Redis script, one SQL statement). With
 * such a store, a send is one round trip that checks and takes the limits and stores the code, and
 * a wrong try is one round trip that counts it against the code and against the failed-tries
 * budget (C7). Nothing is left behind by a failure half-way (C29): either the whole operation
 * happened or none of it.
 *
 * <p>The service uses these methods only when {@link #sharesBucketsWith(RateLimiter)} says that
 * the configured {@link RateLimiter} reads and writes the same buckets, so that a permit taken
 * by {@link #issue(CodeKey, PendingCode, List, Instant) issue} is the permit the limiter sees (it
 * still lifts a cooldown with {@link RateLimiter#release}). Otherwise it calls the limiter and the
 * store separately. The failed-tries budget is the exception: the service reads and writes it only
 * through {@link #attempt(CodeKey, List, Permit, Instant) attempt}, so a store may keep it with
 * the code of its address and type, where the limiter does not see it (PostgreSQL keeps it on the
 * code's row, so that a wrong try is one single-row update), provided it outlives the code: a
 * right code, a removed or replaced code and a new one leave it as it is until its window has
 * passed (C7).
 *
 * <p>Only permits of buckets scoped to the verification's address are passed here (cooldown, cap
 * per address and type, cap per address, failed-tries budget), so that a store partitioned by
 * address (Redis Cluster: one hash slot per address) can take them all on one node. The per-client
 * and custom caps are taken through the limiter, before.
 *
 * <p>Implementations must pass {@code dev.mailverify.test.CodeStoreContract}, whose tests of these
 * methods run when the store implements this interface.
 */
public interface LimitingCodeStore extends CodeStore {

  /**
   * Tells whether the limiter keeps its buckets where this store does, under the same names, so
   * that the permits this store takes are the limiter's.
   *
   * @param limiter the configured limiter; not null
   * @return {@code true} if the service may use this store's permit-taking operations
   */
  boolean sharesBucketsWith(RateLimiter limiter);

  /**
   * Takes one permit of each bucket and stores the code, atomically: if any bucket is full, no
   * permit is taken, the earlier code (if any) stays as it was, and the first full bucket is
   * named. Otherwise every permit is taken and the code replaces any earlier one, as
   * {@link #issue(CodeKey, PendingCode, Instant)} does.
   *
   * @param key the address and type
   * @param code the new code
   * @param permits the permits to take, in the order a refusal is reported; may be empty
   * @param now the current time
   * @return empty if the code was stored, otherwise the first permit that was refused
   * @throws dev.mailverify.core.StoreUnavailableException if the store cannot be reached in time
   */
  Optional<Refusal> issue(CodeKey key, PendingCode code, List<Permit> permits, Instant now);

  /**
   * Takes the permits and stores the code as {@link #issue(CodeKey, PendingCode, List, Instant)}
   * does, keeping the replaced code for a resend grace exactly as
   * {@link CodeStore#issue(CodeKey, PendingCode, Duration, Instant)} does; one atomic operation.
   * The default supports only a zero grace and throws otherwise.
   *
   * @param key the address and type
   * @param code the new code
   * @param resendGrace how long the replaced code keeps working, zero for none; not negative
   * @param permits the permits to take, in the order a refusal is reported; may be empty
   * @param now the current time
   * @return empty if the code was stored, otherwise the first permit that was refused
   * @throws UnsupportedOperationException if the grace is not zero and this store does not
   *     support it
   * @throws dev.mailverify.core.StoreUnavailableException if the store cannot be reached in time
   */
  default Optional<Refusal> issue(CodeKey key, PendingCode code, Duration resendGrace, List<Permit> permits,
      Instant now) {
    Objects.requireNonNull(resendGrace, "resendGrace");
    if (!resendGrace.isZero()) {
      throw new UnsupportedOperationException(getClass().getName() + " does not support a resend grace with"
          + " permits: set resendGrace to zero or use a store that supports it");
    }
    return issue(key, code, permits, now);
  }

  /**
   * Makes one verification attempt within a failed-tries budget, atomically: if the budget's bucket
   * is full, nothing is compared or counted and empty is returned; otherwise the attempt is made
   * exactly as {@link #attempt(CodeKey, List, Instant)} makes it, and a
   * {@link AttemptResult.Outcome#MISMATCHED} outcome also takes one permit of the budget.
   *
   * @param key the address and type
   * @param candidates the MACs of the typed code under each active secret; empty for input that
   *     cannot match
   * @param failedTries the failed-tries budget of the address and type (C7); the service names it
   *     after the key, so that one key always comes with the same budget and two keys never share
   *     one, and a store may keep it with the key's code (see above)
   * @param now the current time
   * @return the outcome, or empty if the budget is used up
   * @throws dev.mailverify.core.StoreUnavailableException if the store cannot be reached in time
   */
  Optional<AttemptResult> attempt(CodeKey key, List<byte[]> candidates, Permit failedTries, Instant now);

  /**
   * Makes one attempt as {@link #attempt(CodeKey, List, Permit, Instant)} does and, if the code
   * matched, stores the token it earns as {@link #storeToken} does, so that a store can do both in
   * fewer round trips (PostgreSQL: the consumption of the code and the token's insert in one). The
   * service makes the token before it knows the outcome; on any other outcome nothing of the token
   * is stored. The default makes the attempt, then stores the token if it matched.
   *
   * @param key the address and type
   * @param candidates the MACs of the typed code under each active secret; empty for input that
   *     cannot match
   * @param failedTries the failed-tries budget of the address and type (C7)
   * @param tokenHash the hash of the token a match earns; never the token itself
   * @param token the record to store under {@code tokenHash} on a match
   * @param now the current time
   * @return the outcome, or empty if the budget is used up
   * @throws dev.mailverify.core.StoreUnavailableException if the store cannot be reached in time;
   *     the token may then be stored or not, and the caller hands it to no one
   */
  default Optional<AttemptResult> attemptAndStoreToken(CodeKey key, List<byte[]> candidates, Permit failedTries,
      String tokenHash, TokenRecord token, Instant now) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(token, "token");
    Optional<AttemptResult> result = attempt(key, candidates, failedTries, now);
    if (result.isPresent() && result.get().outcome() == AttemptResult.Outcome.MATCHED) {
      storeToken(tokenHash, token, now);
    }
    return result;
  }

  /**
   * One permit to take: the bucket, named as the service names it for
   * {@link RateLimiter#tryAcquire}, and its quota.
   *
   * @param bucket the bucket's name; not empty
   * @param quota the limit and window
   */
  record Permit(String bucket, Quota quota) {
    /**
     * Checks the parts.
     *
     * @param bucket the bucket's name; not empty
     * @param quota the limit and window
     * @throws IllegalArgumentException if the bucket is empty
     */
    public Permit {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(quota, "quota");
      if (bucket.isEmpty()) {
        throw new IllegalArgumentException("bucket must not be empty");
      }
    }
  }

  /**
   * The permit that stopped an {@link #issue(CodeKey, PendingCode, List, Instant)}.
   *
   * @param index the position of the refused permit in the list passed in
   * @param retryAfter how long until a permit of that bucket frees; not negative
   */
  record Refusal(int index, Duration retryAfter) {
    /**
     * Checks the parts.
     *
     * @param index the position of the refused permit in the list passed in
     * @param retryAfter how long until a permit of that bucket frees; not negative
     * @throws IllegalArgumentException if the index or the wait is negative
     */
    public Refusal {
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (index < 0 || retryAfter.isNegative()) {
        throw new IllegalArgumentException("index and retryAfter must not be negative");
      }
    }
  }
}
