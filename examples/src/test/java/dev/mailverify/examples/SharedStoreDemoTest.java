package dev.mailverify.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.smtp.EnvironmentSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo on a shared store chosen by {@code STORE}: two demo instances (each its own backend,
 * connection or pool, and HTTP server) on the same Redis or PostgreSQL, as behind a load balancer.
 * Needs the servers on 127.0.0.1 (skipped with one line when absent, failed under
 * {@code MAILVERIFY_REQUIRE_SERVERS=1}).
 */
class SharedStoreDemoTest {
  private static final SecureRandom RANDOM = new SecureRandom();

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
  void twoInstancesShareEverything(String store) throws Exception {
    requireServer(store);
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    Map<String, String> env = Map.of("STORE", store, "MAILVERIFY_SECRET", Base64.getEncoder().encodeToString(secret),
        "CHECK_MX", "0");
    InMemoryOutbox outboxA = MailTransport.inMemory();
    InMemoryOutbox outboxB = MailTransport.inMemory();
    // a fresh address per run: the store outlives the test, and its cooldown would refuse a repeat
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    String email = "ada-" + HexFormat.of().formatHex(suffix) + "@example.com";
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
