package dev.mailverify.core.internal;

import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.test.RateLimiterContract;

/** The built-in limiter passes the rate limiter kit: an exact sliding window, atomic per key. */
class InMemoryRateLimiterTest extends RateLimiterContract {
  @Override
  protected RateLimiter createLimiter() {
    return RateLimiter.inMemory();
  }
}
