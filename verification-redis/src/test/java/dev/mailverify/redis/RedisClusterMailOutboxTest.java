package dev.mailverify.redis;

import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.test.MailOutboxContract;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox kit against a real 3-master Redis Cluster, with the outbox spread over 3 shards. */
class RedisClusterMailOutboxTest extends MailOutboxContract {
  @RegisterExtension
  static final RedisClusterServers.Extension CLUSTER = new RedisClusterServers.Extension();

  private final List<AutoCloseable> opened = new ArrayList<>();
  private RedisClusterClient client;

  @Override
  protected MailOutbox createOutbox() {
    client = CLUSTER.require().newClient();
    RedisMailOutbox o = RedisMailOutbox.builder(client).keyPrefix(RedisServers.randomPrefix()).shards(3).build();
    opened.add(o);
    return o;
  }

  @Override
  protected Duration lease() {
    return Duration.ofSeconds(2);
  }

  /** Three streams: first-in first-out per stream. */
  @Override
  protected boolean claimsInGlobalOrder() {
    return false;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    if (client != null) {
      client.shutdown();
    }
  }
}
