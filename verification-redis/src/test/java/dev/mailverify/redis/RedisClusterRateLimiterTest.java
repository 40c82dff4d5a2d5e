package dev.mailverify.redis;

import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.test.RateLimiterContract;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The limiter kit against a real 3-master Redis Cluster that the test run starts itself. */
class RedisClusterRateLimiterTest extends RateLimiterContract {
  @RegisterExtension
  static final RedisClusterServers.Extension CLUSTER = new RedisClusterServers.Extension();

  private final List<AutoCloseable> opened = new ArrayList<>();
  private RedisClusterClient client;

  @Override
  protected RateLimiter createLimiter() {
    client = CLUSTER.require().newClient();
    RedisRateLimiter l = RedisRateLimiter.builder(client).keyPrefix(RedisServers.randomPrefix()).build();
    opened.add(l);
    return l;
  }

  @Override
  protected int takeAndGiveBackRounds() {
    return 200;
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
