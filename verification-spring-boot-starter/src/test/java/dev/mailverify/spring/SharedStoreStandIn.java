package dev.mailverify.spring;

import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.TokenRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A store the service treats as shared (not the in-memory one), which can be made to fail. */
final class SharedStoreStandIn implements CodeStore {
  private final CodeStore delegate = CodeStore.inMemory();
  volatile boolean down;

  private void check() {
    if (down) {
      throw new StoreUnavailableException("stand-in store is down", null);
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
