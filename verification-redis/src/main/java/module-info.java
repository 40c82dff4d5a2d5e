/**
 * mailverify on Redis: a shared {@link dev.mailverify.core.spi.CodeStore} and
 * {@link dev.mailverify.core.spi.RateLimiter} for applications that run on several machines,
 * on standalone Redis or Redis Cluster, through Lettuce.
 *
 * <p>Callers use {@link dev.mailverify.redis.RedisCodeStore},
 * {@link dev.mailverify.redis.RedisRateLimiter} and {@link dev.mailverify.redis.RedisMailOutbox} (the
 * durable outbox on Redis Streams); it is the only exported package.
 */
@SuppressWarnings("requires-transitive-automatic") // Lettuce ships only an Automatic-Module-Name
module dev.mailverify.redis {
  requires transitive dev.mailverify.core;
  requires transitive lettuce.core;
  requires io.netty.buffer;
  requires static org.jspecify;

  exports dev.mailverify.redis;
}
