package dev.mailverify.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.TokenRecord;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The built-in {@link CodeStore}: two bounded Caffeine caches whose entries expire at their own
 * {@code expiresAt} (after write, never after access). Every operation is one
 * {@code ConcurrentMap.compute} on one key, which Caffeine runs atomically.
 *
 * <p>Correctness never depends on eviction: expiry is checked against the {@code now} the service
 * passes. The clock given here only tells Caffeine when an entry may be reclaimed.
 */
public final class InMemoryCodeStore implements CodeStore {
  private static final byte[] NO_MAC = new byte[32];

  private final Cache<CodeKey, PendingCode> codes;
  private final Cache<String, TokenRecord> tokens;

  private InMemoryCodeStore(Builder b) {
    this.codes = Caffeine.newBuilder()
        .maximumSize(b.maximumSize)
        .expireAfter(new UntilInstant<CodeKey, PendingCode>(PendingCode::expiresAt, b.clock))
        .build();
    this.tokens = Caffeine.newBuilder()
        .maximumSize(b.maximumSize)
        .expireAfter(new UntilInstant<String, TokenRecord>(TokenRecord::expiresAt, b.clock))
        .build();
  }

  /**
   * Starts a builder.
   *
   * @return a builder with one million entries and the system clock
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void issue(CodeKey key, PendingCode code) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(code, "code");
    codes.put(key, code);
  }

  @Override
  public AttemptResult attempt(CodeKey key, List<byte[]> candidates, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(now, "now");
    AttemptResult[] result = new AttemptResult[1];
    codes.asMap().compute(key, (k, current) -> {
      if (current == null) {
        compare(NO_MAC, candidates); // same work as a wrong code (C15)
        result[0] = AttemptResult.notFound();
        return null;
      }
      if (current.isExpired(now)) {
        result[0] = AttemptResult.expired();
        return current;
      }
      if (current.isLocked()) {
        result[0] = AttemptResult.locked();
        return current;
      }
      PendingCode counted = current.withAttempt();
      if (compare(current.mac(), candidates)) {
        result[0] = AttemptResult.matched();
        return null;
      }
      result[0] = AttemptResult.mismatched(counted.maxAttempts() - counted.attempts());
      return counted;
    });
    return result[0];
  }

  /** Compares against every candidate without stopping early. */
  static boolean compare(byte[] stored, List<byte[]> candidates) {
    boolean match = false;
    for (byte[] candidate : candidates) {
      match |= MessageDigest.isEqual(stored, candidate);
    }
    return match;
  }

  @Override
  public boolean invalidate(CodeKey key) {
    return codes.asMap().remove(Objects.requireNonNull(key, "key")) != null;
  }

  @Override
  public void storeToken(String tokenHash, TokenRecord token) {
    tokens.put(Objects.requireNonNull(tokenHash, "tokenHash"), Objects.requireNonNull(token, "token"));
  }

  @Override
  public Optional<TokenRecord> takeToken(String tokenHash, Instant now) {
    Objects.requireNonNull(now, "now");
    TokenRecord taken = tokens.asMap().remove(Objects.requireNonNull(tokenHash, "tokenHash"));
    if (taken == null || !now.isBefore(taken.expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(taken);
  }

  /**
   * Returns everything stored, for tests that check nothing secret is kept (C14).
   *
   * @return a text dump of every entry
   */
  public String dump() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<CodeKey, PendingCode> e : codes.asMap().entrySet()) {
      sb.append(e.getKey().asString()).append(" = ").append(java.util.HexFormat.of().formatHex(e.getValue().mac()))
          .append(' ').append(e.getValue()).append('\n');
    }
    tokens.asMap().forEach((k, v) -> sb.append(k).append(" = ").append(v.address()).append(' ').append(v).append('\n'));
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

  /** Expires an entry at its own instant; reads never extend it. */
  private static final class UntilInstant<K, V> implements Expiry<K, V> {
    private final Function<V, Instant> expiresAt;
    private final Clock clock;

    UntilInstant(Function<V, Instant> expiresAt, Clock clock) {
      this.expiresAt = expiresAt;
      this.clock = clock;
    }

    private long remaining(V value) {
      long nanos;
      try {
        nanos = Duration.between(clock.instant(), expiresAt.apply(value)).toNanos();
      } catch (ArithmeticException e) {
        nanos = Long.MAX_VALUE;
      }
      return Math.max(0, nanos);
    }

    @Override
    public long expireAfterCreate(K key, V value, long currentTime) {
      return remaining(value);
    }

    @Override
    public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
      return remaining(value);
    }

    @Override
    public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** Builds an {@link InMemoryCodeStore}. */
  public static final class Builder {
    private long maximumSize = 1_000_000;
    private Clock clock = Clock.systemUTC();

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
     * Sets the clock that decides when expired entries may be reclaimed.
     *
     * @param value the clock; not null
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
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
