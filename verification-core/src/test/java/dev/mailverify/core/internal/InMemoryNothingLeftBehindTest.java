package dev.mailverify.core.internal;

import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.TokenRecord;
import dev.mailverify.test.NothingLeftBehindContract;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * C29 with the in-memory limiter and an in-memory store behind a wrapper that fails every call
 * while cut: the limiter grants, the store fails, and the service gives every permit back.
 */
class InMemoryNothingLeftBehindTest extends NothingLeftBehindContract {
  private final CuttableStore store = new CuttableStore(CodeStore.inMemory());

  @Override
  protected CodeStore store() {
    return store;
  }

  @Override
  protected RateLimiter limiter() {
    return RateLimiter.inMemory();
  }

  @Override
  protected void cut() {
    store.cut = true;
  }

  @Override
  protected void restore() {
    store.cut = false;
  }

  /** Delegates to a store, or fails as an unreachable one would, between the limiter and the issue. */
  private static final class CuttableStore implements CodeStore {
    private final CodeStore delegate;
    private volatile boolean cut;

    CuttableStore(CodeStore delegate) {
      this.delegate = delegate;
    }

    private void check() {
      if (cut) {
        throw new StoreUnavailableException("the test cut the store", null);
      }
    }

    @Override
    public void issue(CodeKey key, PendingCode code, Instant now) {
      check();
      delegate.issue(key, code, now);
    }

    @Override
    public AttemptResult attempt(CodeKey key, List<byte[]> candidates, Instant now) {
      check();
      return delegate.attempt(key, candidates, now);
    }

    @Override
    public boolean invalidate(CodeKey key) {
      check();
      return delegate.invalidate(key);
    }

    @Override
    public void storeToken(String tokenHash, TokenRecord token, Instant now) {
      check();
      delegate.storeToken(tokenHash, token, now);
    }

    @Override
    public Optional<TokenRecord> takeToken(String tokenHash, @Nullable String expectedAddress, Instant now) {
      check();
      return delegate.takeToken(tokenHash, expectedAddress, now);
    }
  }
}
