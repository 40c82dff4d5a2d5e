/**
 * A shared {@link dev.mailverify.core.spi.CodeStore} and
 * {@link dev.mailverify.core.spi.RateLimiter} on Redis (standalone or Cluster) for applications
 * that run on several machines (contract C28). Start with
 * {@link dev.mailverify.redis.RedisCodeStore#builder(io.lettuce.core.RedisClient)}:
 *
 * <pre>{@code
 * RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
 * VerificationCodeService service = VerificationCodeService.builder()
 *     .transport(transport)
 *     .store(RedisCodeStore.builder(redis).build())
 *     .rateLimiter(RedisRateLimiter.builder(redis).build())
 *     .secret(secretFromVault) // the same secret on every instance
 *     .build();
 * }</pre>
 *
 * <p>Every operation is one Lua script (or one atomic command) and so one round trip; every call
 * is bounded by a timeout and fails with {@link dev.mailverify.core.StoreUnavailableException}
 * when Redis cannot answer (C29). Only keyed hashes of codes and hashes of tokens are stored
 * (C14); {@link dev.mailverify.redis.RedisMailOutbox}, the durable outbox on Redis Streams (C31),
 * holds each queued mail sealed by the transport until its final outcome.
 */
@NullMarked
package dev.mailverify.redis;

import org.jspecify.annotations.NullMarked;
