package dev.mailverify.test;

import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.TokenRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A user's own store, as the README shows it: two concurrent maps, each operation one atomic
 * {@code compute} per key. (Nothing ever expires out of it: fine for a test, not for production.)
 */
final class ConcurrentMapCodeStore implements CodeStore {
  private final Map<CodeKey, PendingCode> codes = new ConcurrentHashMap<>();
  private final Map<String, TokenRecord> tokens = new ConcurrentHashMap<>();

  @Override
  public void issue(CodeKey key, PendingCode code, Instant now) {
    codes.put(key, code);
  }

  @Override
  public AttemptResult attempt(CodeKey key, List<byte[]> candidates, Instant now) {
    AtomicReference<AttemptResult> result = new AtomicReference<>(AttemptResult.notFound());
    codes.computeIfPresent(key, (k, code) -> {
      if (code.isExpired(now)) {
        result.set(AttemptResult.expired());
        return code;
      }
      if (code.isLocked()) {
        result.set(AttemptResult.locked());
        return code;
      }
      if (code.matchesAny(candidates)) {
        result.set(AttemptResult.matched());
        return null; // consumed
      }
      PendingCode tried = code.withAttempt();
      result.set(AttemptResult.mismatched(tried.maxAttempts() - tried.attempts()));
      return tried;
    });
    return result.get();
  }

  @Override
  public boolean invalidate(CodeKey key) {
    return codes.remove(key) != null;
  }

  @Override
  public void storeToken(String tokenHash, TokenRecord token, Instant now) {
    tokens.put(tokenHash, token);
  }

  @Override
  public Optional<TokenRecord> takeToken(String tokenHash, @Nullable String expectedAddress, Instant now) {
    AtomicReference<@Nullable TokenRecord> taken = new AtomicReference<>();
    tokens.computeIfPresent(tokenHash, (h, token) -> {
      if (expectedAddress != null && !token.matchesAddress(expectedAddress)) {
        return token; // another address: leave it in place
      }
      taken.set(token);
      return null;
    });
    return Optional.ofNullable(taken.get()).filter(token -> now.isBefore(token.expiresAt()));
  }

  String dump() {
    StringBuilder sb = new StringBuilder();
    codes.forEach((key, code) -> sb.append(key.asString()).append(" = ").append(code).append('\n'));
    tokens.forEach((hash, token) -> sb.append(hash).append(" = ").append(token.address()).append('\n'));
    return sb.toString();
  }
}
