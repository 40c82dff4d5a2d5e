package dev.mailverify.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Answers a repeated send request that carries an idempotency key with the first call's result,
 * without a second mail. A sent code's result is remembered until the code expires; a refusal or
 * a failure is forgotten at once, so the next try may send. Covers one instance; other instances
 * are held back by the cooldown (C10).
 */
final class IdempotentSends {
  /** How many idempotency keys one instance remembers at most. */
  private static final int ENTRIES = 100_000;
  /** The longest TTL a code can have: an unfinished first call is remembered at most this long. */
  private static final Duration MAX_TTL = VerificationPolicy.MAX_TTL;

  private final Clock clock;
  private final Cache<String, CompletableFuture<SendResult>> results;

  IdempotentSends(Clock clock) {
    this.clock = clock;
    this.results = Caffeine.newBuilder()
        .maximumSize(ENTRIES)
        .ticker(() -> {
          Instant t = clock.instant();
          return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        })
        .expireAfter(Expiry.<String, CompletableFuture<SendResult>>creating((k, v) -> MAX_TTL))
        .build();
  }

  /**
   * Sends once per idempotency key: the first call runs {@code send}; a concurrent or later
   * duplicate waits for it and gets its result (or its exception).
   *
   * @param request a request with an idempotency key
   * @param idempotencyKey the request's key
   * @param send what sends
   * @return the first call's result
   */
  SendResult sendOnce(SendRequest request, String idempotencyKey, Function<SendRequest, SendResult> send) {
    String cacheKey = request.type().name() + '\u0000' + request.email().trim() + '\u0000' + idempotencyKey;
    CompletableFuture<SendResult> mine = new CompletableFuture<>();
    CompletableFuture<SendResult> first = results.asMap().putIfAbsent(cacheKey, mine);
    if (first != null) {
      try {
        return first.join(); // a duplicate: the first call's result, no second mail
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    SendResult result;
    try {
      result = send.apply(request);
    } catch (RuntimeException e) {
      results.asMap().remove(cacheKey, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    mine.complete(result);
    if (result instanceof SendResult.Sent sent) {
      Duration keep = Duration.between(clock.instant(), sent.expiresAt());
      results.policy().expireVariably().ifPresent(p -> p.setExpiresAfter(cacheKey,
          keep.isNegative() ? Duration.ZERO : keep));
    } else {
      results.asMap().remove(cacheKey, mine); // a failure or a refusal: the next try may send
    }
    return result;
  }
}
