package dev.mailverify.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.TokenRecord;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The built-in {@link CodeStore}: two bounded Caffeine caches whose entries expire at their own
 * {@code expiresAt} (after write, never after access). Every operation is one
 * {@code ConcurrentMap.compute} on one key, which Caffeine runs atomically.
 *
 * <p>Correctness never depends on eviction: expiry is checked against the {@code now} the service
 * passes. Each entry may be reclaimed once {@code expiresAt - now} has passed on Caffeine's ticker,
 * so a service on a test clock and a store on the system ticker agree.
 */
public final class InMemoryCodeStore implements CodeStore {
  private static final byte[] NO_MAC = new byte[32];

  /**
   * A stored value and the instant, on Caffeine's ticker, after which it may be reclaimed. The
   * deadline is fixed when the value is issued, so attempts never extend it (C3).
   */
  private record Entry<V>(V value, long deadlineNanos) {}

  private final Ticker ticker;
  private final Cache<CodeKey, Entry<PendingCode>> codes;
  private final Cache<String, Entry<TokenRecord>> tokens;

  private InMemoryCodeStore(Builder b) {
    this.ticker = b.ticker;
    this.codes = Caffeine.newBuilder()
        .ticker(ticker)
        .maximumSize(b.maximumSize)
        .expireAfter(new UntilDeadline<CodeKey, PendingCode>())
        .build();
    this.tokens = Caffeine.newBuilder()
        .ticker(ticker)
        .maximumSize(b.maximumSize)
        .expireAfter(new UntilDeadline<String, TokenRecord>())
        .build();
  }

  private <V> Entry<V> entry(V value, Instant expiresAt, Instant now) {
    long lifetime;
    try {
      lifetime = Math.max(0, Duration.between(now, expiresAt).toNanos());
    } catch (ArithmeticException e) {
      lifetime = Long.MAX_VALUE / 4;
    }
    return new Entry<>(value, ticker.read() + lifetime);
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
  public void issue(CodeKey key, PendingCode code, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(now, "now");
    codes.put(key, entry(code, code.expiresAt(), now));
  }

  @Override
  public AttemptResult attempt(CodeKey key, List<byte[]> candidates, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(now, "now");
    AttemptResult[] result = new AttemptResult[1];
    codes.asMap().compute(key, (k, entry) -> {
      if (entry == null) {
        compare(NO_MAC, candidates); // same work as a wrong code (C15)
        result[0] = AttemptResult.notFound();
        return null;
      }
      PendingCode current = entry.value();
      if (current.isExpired(now)) {
        result[0] = AttemptResult.expired();
        return entry;
      }
      if (current.isLocked()) {
        result[0] = AttemptResult.locked();
        return entry;
      }
      PendingCode counted = current.withAttempt();
      if (current.matchesAny(candidates)) {
        result[0] = AttemptResult.matched();
        return null;
      }
      result[0] = AttemptResult.mismatched(counted.maxAttempts() - counted.attempts());
      return new Entry<>(counted, entry.deadlineNanos());
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
  public void storeToken(String tokenHash, TokenRecord token, Instant now) {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(now, "now");
    tokens.put(tokenHash, entry(token, token.expiresAt(), now));
  }

  @Override
  public Optional<TokenRecord> takeToken(String tokenHash, Instant now) {
    Objects.requireNonNull(now, "now");
    Entry<TokenRecord> taken = tokens.asMap().remove(Objects.requireNonNull(tokenHash, "tokenHash"));
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
    for (Map.Entry<CodeKey, Entry<PendingCode>> e : codes.asMap().entrySet()) {
      PendingCode c = e.getValue().value();
      sb.append(e.getKey().asString()).append(" = ").append(java.util.HexFormat.of().formatHex(c.mac()))
          .append(' ').append(c).append('\n');
    }
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
  private static final class UntilDeadline<K, V> implements Expiry<K, Entry<V>> {
    @Override
    public long expireAfterCreate(K key, Entry<V> value, long currentTime) {
      return Math.max(0, value.deadlineNanos() - currentTime);
    }

    @Override
    public long expireAfterUpdate(K key, Entry<V> value, long currentTime, long currentDuration) {
      return Math.max(0, value.deadlineNanos() - currentTime);
    }

    @Override
    public long expireAfterRead(K key, Entry<V> value, long currentTime, long currentDuration) {
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
