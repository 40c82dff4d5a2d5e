package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.smtp.EnvironmentSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo on a shared store chosen by {@code STORE}: two demo instances (each its own backend,
 * connection or pool, and HTTP server) on the same Redis or PostgreSQL, as behind a load balancer.
 * Needs the servers on 127.0.0.1 (skipped with one line when absent, failed under
 * {@code MAILVERIFY_REQUIRE_SERVERS=1}).
 *
 * <p>The demo takes no key or table prefix, so the test gives it a place of its own and empties it
 * afterwards: on Redis a database of its own ({@value #REDIS_DB}), whose keys for this run's address
 * and client are deleted; on PostgreSQL a fresh schema ({@code currentSchema}), dropped afterwards.
 */
class SharedStoreDemoTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The Redis database this test's demo instances use (the other tests use database 0 with their own prefixes). */
  static final int REDIS_DB = 13;

  private final String run = randomHex();
  private final String email = "ada-" + run + "@example.com";
  private final String schema = "mvdemo_" + run;
  private boolean usedRedis;
  private boolean usedPostgres;

  private static String randomHex() {
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    return HexFormat.of().formatHex(suffix);
  }

  /** The store setting this run uses: Redis in {@link #REDIS_DB}, PostgreSQL in {@link #schema}. */
  private String isolated(String store) throws SQLException {
    if (store.startsWith("redis")) {
      usedRedis = true;
      return store + "/" + REDIS_DB;
    }
    usedPostgres = true;
    try (Connection c = DriverManager.getConnection(store); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return store + "&currentSchema=" + schema;
  }

  @AfterEach
  void leaveNothingBehind() throws SQLException {
    if (usedRedis) {
      RedisClient client = RedisClient.create(TestServers.REDIS_URI + "/" + REDIS_DB);
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        RedisCommands<String, String> redis = connection.sync();
        for (String pattern : new String[] {"*" + email + "*", "*{*127.0.0.1}*"}) {
          ScanIterator<String> keys = ScanIterator.scan(redis, ScanArgs.Builder.matches(pattern).limit(1000));
          while (keys.hasNext()) {
            redis.del(keys.next());
          }
        }
      } finally {
        client.shutdown();
      }
    }
    if (usedPostgres) {
      try (Connection c = DriverManager.getConnection(TestServers.POSTGRES_URL); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  private static void requireServer(String store) {
    if (store.startsWith("redis")) {
      TestServers.requireRedis();
    } else {
      TestServers.requirePostgres();
    }
  }

  @ParameterizedTest(name = "STORE={0}")
  @ValueSource(strings = {TestServers.REDIS_URI, TestServers.POSTGRES_URL})
  @DisplayName("C28 STORE=redis:// or a JDBC URL: send on one demo instance, verify and register on the other;"
      + " the token and the cooldown count across both")
  void twoInstancesShareEverything(String shared) throws Exception {
    requireServer(shared);
    String store = isolated(shared);
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    Map<String, String> env = Map.of("STORE", store, "MAILVERIFY_SECRET", Base64.getEncoder().encodeToString(secret),
        "CHECK_MX", "0");
    InMemoryOutbox outboxA = MailTransport.inMemory();
    InMemoryOutbox outboxB = MailTransport.inMemory();
    // a fresh address per run: a concurrent run of this test shares the Redis database
    try (DemoBackend a = DemoBackend.open(EnvironmentSource.of(env), outboxA);
        DemoBackend b = DemoBackend.open(EnvironmentSource.of(env), outboxB);
        DemoServer serverA = DemoServer.start(a.service(), new UserDirectory(), Clock.systemUTC(),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        DemoServer serverB = DemoServer.start(b.service(), new UserDirectory(), Clock.systemUTC(),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      assertThat(a.store()).isEqualTo(StoreSetting.parse(store));
      DemoHttp httpA = new DemoHttp(serverA.port());
      DemoHttp httpB = new DemoHttp(serverB.port());

      DemoHttp.Answer sent = httpA.send(email);
      assertThat(sent.status()).as(sent.body().toString()).isIn(200, 202);
      outboxA.awaitMessages(1, Duration.ofSeconds(10));
      String code = outboxA.latestCode(email).orElseThrow();

      DemoHttp.Answer again = httpB.send(email);
      assertThat(again.status()).as("the cooldown started on A holds on B").isEqualTo(429);

      DemoHttp.Answer verified = httpB.verify(email, code);
      assertThat(verified.status()).as(verified.body().toString()).isEqualTo(200);
      String token = (String) verified.body().get("verification_token");
      assertThat(httpB.verify(email, code).status()).as("the code worked once, on either instance").isEqualTo(400);

      assertThat(httpA.register(email, token).status()).isEqualTo(201);
      DemoHttp.Answer replay = httpB.register(email, token);
      assertThat(replay.status()).as("the token was taken on A, so B refuses it").isEqualTo(400);
      assertThat(replay.body()).containsEntry("error", "invalid_or_used_token");
    }
  }
}
