package dev.mailverify.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendRequest;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.MutableClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Round trips per service call, counted by the servers: the {@code INFO commandstats} calls of
 * {@code EVALSHA} and {@code EVAL} (every call of the service is a script; the commands a script runs
 * are counted under their own names and left out), summed over the three masters of a Redis Cluster
 * that only this test run uses, before and after each call. Store and limiter share one client and
 * prefix, as an application configures them.
 */
class RedisClusterRoundTripsTest {
  @RegisterExtension
  static final RedisClusterServers.Extension CLUSTER = new RedisClusterServers.Extension();

  private static final VerificationType TYPE = VerificationType.REGISTER;
  private static final byte[] SECRET = "round trips counted by the server, 32+ bytes".getBytes(StandardCharsets.US_ASCII);
  /** The commands that are a round trip of the service: its scripts. */
  private static final List<String> ROUND_TRIPS = List.of("evalsha", "eval");

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<StatefulRedisConnection<String, String>> nodes = new ArrayList<>();
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private RedisClusterClient client;
  private String prefix;
  private VerificationCodeService service;

  @BeforeEach
  void start() {
    RedisClusterServers cluster = CLUSTER.require();
    client = cluster.newClient();
    prefix = RedisServers.randomPrefix();
    for (int port : cluster.ports()) {
      RedisClient direct = RedisClient.create("redis://127.0.0.1:" + port);
      opened.add(direct::shutdown);
      StatefulRedisConnection<String, String> c = direct.connect();
      nodes.add(c);
      // every script cached on every node first, so that no NOSCRIPT + EVAL pair is counted
      for (LuaScript s : List.of(RedisCodeStore.ISSUE_LIMITED, RedisCodeStore.ATTEMPT_LIMITED,
          RedisCodeStore.STORE_TOKEN, RedisCodeStore.TAKE_TOKEN, RedisRateLimiter.TRY_ACQUIRE, RedisRateLimiter.RELEASE)) {
        c.sync().scriptLoad(s.source());
      }
    }
    RedisCodeStore store = RedisCodeStore.builder(client).keyPrefix(prefix).build();
    RedisRateLimiter limiter = RedisRateLimiter.builder(client).keyPrefix(prefix).build();
    opened.add(0, store);
    opened.add(0, limiter);
    service = VerificationCodeService.builder().transport(outbox).store(store).rateLimiter(limiter).clock(clock)
        .secret(SECRET).build();
  }

  @AfterEach
  void stop() throws Exception {
    try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
      RedisServers.deleteAll(c.sync(), prefix);
    }
    for (StatefulRedisConnection<String, String> c : nodes) {
      c.close();
    }
    for (AutoCloseable c : opened) {
      c.close();
    }
    client.shutdown();
  }

  /** Script calls so far on all masters, by command. */
  private Map<String, Long> commands() {
    Map<String, Long> calls = new TreeMap<>();
    for (StatefulRedisConnection<String, String> c : nodes) {
      for (String line : c.sync().info("commandstats").split("\r?\n")) {
        if (!line.startsWith("cmdstat_")) {
          continue;
        }
        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
        if (!ROUND_TRIPS.contains(name)) {
          continue;
        }
        int from = line.indexOf("calls=") + "calls=".length();
        calls.merge(name, Long.parseLong(line.substring(from, line.indexOf(',', from))), Long::sum);
      }
    }
    return calls;
  }

  /** Runs the call and answers the data commands it cost, by command. */
  private <T> Map<String, Long> roundTrips(String what, Supplier<T> call, Class<?> expected) {
    Map<String, Long> before = commands();
    assertThat(call.get()).as(what).isInstanceOf(expected);
    Map<String, Long> delta = new TreeMap<>();
    commands().forEach((name, n) -> {
      long d = n - before.getOrDefault(name, 0L);
      if (d != 0) {
        delta.put(name, d);
      }
    });
    System.err.println("[mailverify] round trips on Redis Cluster, " + what + ": " + delta);
    return delta;
  }

  @Test
  @DisplayName("C28: on Redis Cluster a send, a wrong and a right verify and a redeem take 1, 1, 2 and 1 round trips")
  void roundTripsPerCall() {
    assertThat(roundTrips("send", () -> service.sendVerificationCode("rt@example.com", TYPE, Duration.ofMinutes(10)),
        SendResult.Sent.class)).isEqualTo(Map.of("evalsha", 1L));
    String code = outbox.latestCode("rt@example.com").orElseThrow();
    String wrong = code.equals("000000") ? "111111" : "000000";
    assertThat(roundTrips("wrong verify", () -> service.verifyCode("rt@example.com", TYPE, wrong),
        VerifyResult.Invalid.class)).isEqualTo(Map.of("evalsha", 1L));
    VerifyResult[] right = new VerifyResult[1];
    assertThat(roundTrips("right verify", () -> right[0] = service.verifyCode("rt@example.com", TYPE, code),
        VerifyResult.Verified.class)).isEqualTo(Map.of("evalsha", 2L));
    String token = ((VerifyResult.Verified) right[0]).token();
    assertThat(roundTrips("redeem", () -> service.redeem(token, TYPE).orElseThrow(), Object.class))
        .isEqualTo(Map.of("evalsha", 1L));
    assertThat(roundTrips("send with a client key", () -> service.sendVerificationCode(
        SendRequest.builder("rt2@example.com", TYPE).clientKey("203.0.113.9").build()), SendResult.Sent.class))
        .as("the client cap is in the client key's slot: one tryAcquire more").isEqualTo(Map.of("evalsha", 2L));
    assertThat(roundTrips("send refused by the cooldown", () -> service.sendVerificationCode("rt@example.com", TYPE,
        Duration.ofMinutes(10)), SendResult.RateLimited.class)).isEqualTo(Map.of("evalsha", 1L));
  }
}
