package dev.mailverify.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.test.MailOutboxContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The outbox kit against the Redis at 127.0.0.1:6379, each test under a fresh key prefix. */
class RedisMailOutboxTest extends MailOutboxContract {
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> inspect;

  private final List<RedisMailOutbox> opened = new ArrayList<>();
  private String prefix;

  static synchronized RedisClient client() {
    if (client == null) {
      client = RedisClient.create(RedisServers.URI);
      inspect = client.connect();
    }
    return client;
  }

  @AfterAll
  static synchronized void shutDown() {
    if (client != null) {
      inspect.close();
      client.shutdown();
      client = null;
    }
  }

  @Override
  protected MailOutbox createOutbox() {
    RedisServers.requireStandalone();
    prefix = RedisServers.randomPrefix();
    return open(RedisMailOutbox.builder(client()).keyPrefix(prefix));
  }

  private RedisMailOutbox open(RedisMailOutbox.Builder b) {
    RedisMailOutbox o = b.build();
    opened.add(o);
    return o;
  }

  /** Redis measures leases as idle times on its own clock: a short real one keeps the kit quick. */
  @Override
  protected Duration lease() {
    return Duration.ofSeconds(2);
  }

  @AfterEach
  void closeAll() {
    opened.forEach(RedisMailOutbox::close);
    if (prefix != null && inspect != null) {
      RedisServers.deleteAll(inspect.sync(), prefix);
    }
  }

  @Test
  @DisplayName("C31: the stream is bounded: at maxEntries an add is refused (QUEUE_FULL), nothing already queued is"
      + " trimmed, and a completed entry makes room")
  void boundedStreamRefusesInsteadOfTrimming() {
    RedisMailOutbox small = open(RedisMailOutbox.builder(client()).keyPrefix(prefix + "small:").maxEntries(3));
    for (int i = 0; i < 3; i++) {
      small.add(entry(i), now);
    }

    assertThatThrownBy(() -> small.add(entry(3), now)).isInstanceOf(MailOutbox.OutboxFullException.class)
        .hasMessageContaining("maxEntries");

    assertThat(small.size()).isEqualTo(3);
    List<MailOutbox.Claim> claims = small.claim("a", 10, now, lease());
    assertThat(claims).hasSize(3);
    assertThat(small.complete(claims.get(0), "a")).isTrue();
    small.add(entry(3), now);
    assertThat(small.size()).isEqualTo(3);
  }

  @Test
  @DisplayName("C31: one stream per shard, each key with its own hash tag; every shard's entries are claimed")
  void shardsAreStreamsWithTheirOwnHashTags() {
    RedisMailOutbox sharded = open(RedisMailOutbox.builder(client()).keyPrefix(prefix + "sharded:").shards(3));
    assertThat(sharded.streamKeys()).containsExactly(prefix + "sharded:outbox:{outbox-0}",
        prefix + "sharded:outbox:{outbox-1}", prefix + "sharded:outbox:{outbox-2}");
    for (int i = 0; i < 6; i++) {
      sharded.add(entry(i), now);
    }
    for (String key : sharded.streamKeys()) {
      assertThat(inspect.sync().xlen(key)).isEqualTo(2);
    }
    assertThat(sharded.claim("a", 10, now, lease())).hasSize(6);
  }
}
