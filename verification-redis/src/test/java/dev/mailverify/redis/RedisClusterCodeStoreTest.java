package dev.mailverify.redis;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.test.CodeStoreContract;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store kit against a real 3-master Redis Cluster that the test run starts itself. */
class RedisClusterCodeStoreTest extends CodeStoreContract {
  @RegisterExtension
  static final RedisClusterServers.Extension CLUSTER = new RedisClusterServers.Extension();

  private final List<AutoCloseable> opened = new ArrayList<>();
  private RedisClusterClient client;
  private StatefulRedisClusterConnection<String, String> inspect;
  private String prefix;

  @Override
  protected CodeStore createStore() {
    RedisClusterServers cluster = CLUSTER.require();
    client = cluster.newClient();
    inspect = client.connect();
    prefix = RedisServers.randomPrefix();
    RedisCodeStore s = RedisCodeStore.builder(client).keyPrefix(prefix).build();
    opened.add(s);
    return s;
  }

  @Override
  protected String dump(CodeStore store) {
    return RedisServers.dump(inspect.sync(), prefix);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    if (inspect != null) {
      inspect.close();
    }
    if (client != null) {
      client.shutdown();
    }
  }
}
