package dev.mailverify.redis;

import dev.mailverify.test.CrashStores;
import dev.mailverify.test.OutboxCrashKit;

/** {@link OutboxCrashKit} on Redis Streams: kill -9 of an instance in its own JVM. */
class RedisOutboxCrashTest extends OutboxCrashKit {
  @Override
  protected Class<? extends CrashStores> storesClass() {
    return RedisCrashStores.class;
  }

  @Override
  protected void requireServer() {
    RedisServers.requireStandalone();
  }
}
