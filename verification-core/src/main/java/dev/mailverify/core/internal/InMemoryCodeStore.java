package dev.mailverify.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The built-in {@link CodeStore}: two bounded Caffeine caches whose entries expire at their own
 * {@code expiresAt} (after write, never after access).
 *
 * <p>A pending code lives in a small holder with its try counter. An attempt looks the holder up
 * (a quiet Caffeine read: no lock, no eviction bookkeeping; a code is worth keeping for its
 * deadline, not for how often it is guessed) and then counts, compares and, on a match, consumes under
 * the holder's own lock, so the operation is atomic per code (C8) and a wrong try allocates nothing
 * in the store. A holder that leaves the cache (consumed, replaced by a resend, invalidated) is
 * marked dead, so an attempt that looked it up a moment earlier finds nothing (C4): an attempt that
 * starts after {@code issue} or {@code invalidate} has returned can never match the old code.
 *
 * <p>With a resend grace ({@link #issue(CodeKey, PendingCode, Duration, Instant)}), the new holder
 * also keeps the replaced code's MAC and the end of its grace, and starts with its tries: one
 * holder, one counter and one lock for both codes, so a match on either consumes both. The replaced
 * holder points to its successor, so an attempt that looked it up a moment earlier is made on the
 * new holder.
 *
 * <p>Correctness never depends on eviction: expiry is checked against the {@code now} the service
 * passes. Each entry may be reclaimed once {@code expiresAt - now} has passed on Caffeine's ticker,
 * so a service on a test clock and a store on the system ticker agree.
 */
public final class InMemoryCodeStore implements CodeStore {
  /**
   * A stored value and the instant, on Caffeine's ticker, after which it may be reclaimed. The
   * deadline is fixed when the value is issued, so attempts never extend it (C3).
   */
  private record Entry<V>(V value, long deadlineNanos) implements Deadline {}

  /** What {@link UntilDeadline} needs from a stored value. */
  private interface Deadline {
    long deadlineNanos();
  }

  /**
   * A pending code and its tries so far. {@code attempts} is guarded by the holder's monitor;
   * {@code dead} is set under it when the code is consumed, and without it (a volatile write that
   * every later attempt sees) when the holder is replaced or invalidated.
   */
  private static final class Pending implements Deadline {
    final PendingCode code;
    final long deadlineNanos;
    /** The MAC of the code this one replaced, kept for a resend grace; null when none. */
    final byte @Nullable [] previousMac;
    /** Until when (exclusive) {@link #previousMac} matches; null when none. */
    final @Nullable Instant previousUntil;
    int attempts;
    volatile boolean dead;
    /** The holder that replaced this one with a resend grace, set (under the monitor) before {@code dead}. */
    @Nullable Pending successor;

    Pending(PendingCode code, long deadlineNanos) {
      this(code, deadlineNanos, null, null, code.attempts());
    }

    Pending(PendingCode code, long deadlineNanos, byte @Nullable [] previousMac, @Nullable Instant previousUntil,
        int attempts) {
      this.code = code;
      this.deadlineNanos = deadlineNanos;
      this.previousMac = previousMac;
      this.previousUntil = previousUntil;
      this.attempts = attempts;
    }

    @Override
    public long deadlineNanos() {
      return deadlineNanos;
    }

    void kill() {
      dead = true;
    }

    /** The code as the SPI describes it, with the tries counted so far. */
    synchronized PendingCode snapshot() {
      return new PendingCode(code.mac(), code.expiresAt(), code.maxAttempts(), attempts);
    }
  }

  private final Ticker ticker;
  private final Cache<CodeKey, Pending> codes;
  private final Policy<CodeKey, Pending> codePolicy;
  private final Cache<String, Entry<TokenRecord>> tokens;

  private InMemoryCodeStore(Builder b) {
    this.ticker = b.ticker;
    this.codes = Caffeine.newBuilder()
        .ticker(ticker)
        .maximumSize(b.maximumSize)
        .executor(Runnable::run)
        .expireAfter(new UntilDeadline<CodeKey, Pending>())
        .build();
    this.codePolicy = codes.policy();
    this.tokens = Caffeine.newBuilder()
        .ticker(ticker)
        .maximumSize(b.maximumSize)
        .executor(Runnable::run)
        .expireAfter(new UntilDeadline<String, Entry<TokenRecord>>())
        .build();
  }

  private long deadline(Instant expiresAt, Instant now) {
    long lifetime;
    try {
      lifetime = Math.max(0, Duration.between(now, expiresAt).toNanos());
    } catch (ArithmeticException e) {
      lifetime = Long.MAX_VALUE / 4;
    }
    return ticker.read() + lifetime;
  }

  /**
   * Starts a builder.
   *
   * @return a builder with one million entries and the system ticker
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean supportsResendGrace() {
    return true;
  }

  /**
   * Replaces the pending code, keeping it for the grace (see the SPI). The replaced holder is
   * read, swapped out of the map and marked dead under its own monitor, so a concurrent attempt on
   * it is either counted before the swap (and its try carried over) or follows the holder's
   * successor: no try is lost and none is counted twice.
   */
  @Override
  public void issue(CodeKey key, PendingCode code, Duration resendGrace, Instant now) {
    Objects.requireNonNull(resendGrace, "resendGrace");
    if (resendGrace.isNegative()) {
      throw new IllegalArgumentException("resendGrace must not be negative, was " + resendGrace);
    }
    if (resendGrace.isZero()) {
      issue(key, code, now);
      return;
    }
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(now, "now");
    long deadline = deadline(code.expiresAt(), now);
    while (true) {
      Pending old = codes.asMap().get(key);
      if (old == null) {
        if (codes.asMap().putIfAbsent(key, new Pending(code, deadline)) == null) {
          return;
        }
        continue;
      }
      synchronized (old) {
        if (old.dead) {
          continue; // consumed or replaced a moment ago: look again
        }
        PendingCode was = old.code;
        boolean keep = !was.isExpired(now) && old.attempts < was.maxAttempts() && old.attempts < code.maxAttempts();
        Pending fresh;
        if (keep) {
          Instant graceEnd = now.plus(resendGrace);
          Instant until = graceEnd.isBefore(was.expiresAt()) ? graceEnd : was.expiresAt();
          fresh = new Pending(code, deadline, was.mac(), until, old.attempts);
        } else {
          fresh = new Pending(code, deadline);
        }
        if (codes.asMap().replace(key, old, fresh)) {
          old.successor = fresh; // an attempt that holds the old holder goes on with this one
          old.dead = true;
          return;
        }
      }
    }
  }

  @Override
  public void issue(CodeKey key, PendingCode code, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(now, "now");
    Pending replaced = codes.asMap().put(key, new Pending(code, deadline(code.expiresAt(), now)));
    if (replaced != null) {
      replaced.kill(); // a resend: the old code stops working (C4)
    }
  }

  @Override
  public AttemptResult attempt(CodeKey key, List<byte[]> candidates, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(now, "now");
    Pending pending = codePolicy.getIfPresentQuietly(key); // no eviction bookkeeping per try
    while (true) {
      if (pending == null) {
        PendingCode.macMatchesAny(null, null, false, candidates); // same work as a wrong code (C15)
        return AttemptResult.notFound();
      }
      Pending next;
      synchronized (pending) {
        if (!pending.dead) {
          return attemptOn(key, pending, candidates, now);
        }
        next = pending.successor; // replaced with a resend grace: the try goes to the new record
      }
      pending = next;
    }
  }

  /** Counts, compares and maybe consumes; called under the holder's monitor. */
  private AttemptResult attemptOn(CodeKey key, Pending pending, List<byte[]> candidates, Instant now) {
    PendingCode code = pending.code;
    if (code.isExpired(now)) {
      return AttemptResult.expired();
    }
    if (pending.attempts >= code.maxAttempts()) {
      return AttemptResult.locked(); // the budget both codes share is used up
    }
    pending.attempts++; // once, whichever code the try is compared with
    Instant until = pending.previousUntil;
    boolean previousValid = until != null && now.isBefore(until);
    boolean current = code.matchesAny(candidates); // no copy: a wrong try allocates nothing
    boolean previous = PendingCode.macMatchesAny(pending.previousMac, candidates); // compared even when none (C15)
    if (current | (previous & previousValid)) {
      pending.dead = true; // consumed, both codes: no other attempt on this holder can match (C4, C8)
      codes.asMap().remove(key, pending);
      return AttemptResult.matched();
    }
    return AttemptResult.mismatched(code.maxAttempts() - pending.attempts);
  }

  @Override
  public boolean invalidate(CodeKey key) {
    Pending removed = codes.asMap().remove(Objects.requireNonNull(key, "key"));
    if (removed == null) {
      return false;
    }
    removed.kill();
    return true;
  }

  @Override
  public void storeToken(String tokenHash, TokenRecord token, Instant now) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(now, "now");
    tokens.put(tokenHash, new Entry<>(token, deadline(token.expiresAt(), now)));
  }

  @Override
  public Optional<TokenRecord> takeToken(String tokenHash, @Nullable String expectedAddress, Instant now) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(now, "now");
    Entry<TokenRecord> taken;
    if (expectedAddress == null) {
      taken = tokens.asMap().remove(tokenHash);
    } else {
      // Conditional take: the record is removed only if it names the expected address, so a
      // mistyped address leaves the token usable (atomic through the map's compute).
      AtomicReference<Entry<TokenRecord>> out = new AtomicReference<>();
      tokens.asMap().computeIfPresent(tokenHash, (k, e) -> {
        if (e.value().matchesAddress(expectedAddress)) {
          out.set(e);
          return null;
        }
        return e;
      });
      taken = out.get();
    }
    if (taken == null || !now.isBefore(taken.value().expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(taken.value());
  }

  /**
   * Returns everything stored, for tests that check nothing secret is kept (C14).
   *
   * @return a text dump of every entry
   */
  public String dump() {
    StringBuilder sb = new StringBuilder();
    codes.asMap().forEach((k, pending) -> {
      PendingCode c = pending.snapshot();
      sb.append(k.asString()).append(" = ").append(java.util.HexFormat.of().formatHex(c.mac())).append(' ')
          .append(c).append('\n');
    });
    tokens.asMap().forEach((k, v) -> sb.append(k).append(" = ").append(v.value().address()).append(' ')
        .append(v.value()).append('\n'));
    return sb.toString();
  }

  /**
   * Returns the number of pending codes, for tests and memory measurements.
   *
   * @return an estimate of the pending codes
   */
  public long pendingCodes() {
    codes.cleanUp();
    return codes.estimatedSize();
  }

  /** Expires an entry at its fixed deadline; updates and reads never extend it. */
  private static final class UntilDeadline<K, V extends Deadline> implements Expiry<K, V> {
    @Override
    public long expireAfterCreate(K key, V value, long currentTime) {
      return Math.max(0, value.deadlineNanos() - currentTime);
    }

    @Override
    public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
      return Math.max(0, value.deadlineNanos() - currentTime);
    }

    @Override
    public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** Builds an {@link InMemoryCodeStore}. */
  public static final class Builder {
    private long maximumSize = 1_000_000;
    private Ticker ticker = Ticker.systemTicker();

    private Builder() {}

    /**
     * Bounds the number of pending codes (and, separately, of tokens). When full, Caffeine evicts
     * entries it deems least useful, which can drop a pending code.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder maximumSize(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("maximumSize must be at least 1, was " + value);
      }
      maximumSize = value;
      return this;
    }

    /**
     * Sets the ticker that decides when expired entries may be reclaimed (correctness never
     * depends on it: expiry is checked against the service's clock).
     *
     * @param value the ticker; not null
     * @return this builder
     */
    public Builder ticker(Ticker value) {
      ticker = Objects.requireNonNull(value, "ticker");
      return this;
    }

    /**
     * Builds the store.
     *
     * @return the store
     */
    public InMemoryCodeStore build() {
      return new InMemoryCodeStore(this);
    }
  }

  @Override
  public String toString() {
    return "InMemoryCodeStore[codes=" + codes.estimatedSize() + ", tokens=" + tokens.estimatedSize() + "]";
  }

}
