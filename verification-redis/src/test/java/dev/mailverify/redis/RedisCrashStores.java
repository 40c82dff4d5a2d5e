package dev.mailverify.redis;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.test.CrashStores;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/** The crash kit's stores on the Redis at 127.0.0.1:6379, under one key prefix. */
public final class RedisCrashStores implements CrashStores {
  private final RedisClient client;
  private final String prefix;
  private final RedisMailOutbox outbox;
  private final RedisCodeStore codes;

  /**
   * Opens the stores.
   *
   * @param prefix the key prefix
   */
  public RedisCrashStores(String prefix) {
    this.prefix = prefix.replace('_', ':');
    this.client = RedisClient.create(RedisServers.URI);
    this.outbox = RedisMailOutbox.builder(client).keyPrefix(this.prefix).build();
    this.codes = RedisCodeStore.builder(client).keyPrefix(this.prefix).build();
  }

  @Override
  public MailOutbox outbox() {
    return outbox;
  }

  @Override
  public CodeStore codeStore() {
    return codes;
  }

  @Override
  public void close() {
    outbox.close();
    codes.close();
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      RedisServers.deleteAll(c.sync(), prefix);
    } finally {
      client.shutdown();
    }
  }
}
