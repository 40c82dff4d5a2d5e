package dev.mailverify.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.MutableClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Round trips per service call on a single Redis server, counted by the driver: every command this
 * test's client starts ({@link CommandListener}; the shared server's {@code INFO commandstats} would
 * also count other clients). Store and limiter share one client and prefix, as an application
 * configures them. The Redis Cluster counts, by the servers, are in {@link RedisClusterRoundTripsTest}.
 */
class RedisRoundTripsTest {
  private static final VerificationType TYPE = VerificationType.REGISTER;
  private static final byte[] SECRET = "round trips counted by the driver, 32+ bytes".getBytes(StandardCharsets.US_ASCII);

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryOutbox outbox = MailTransport.inMemory();
  private final Map<String, AtomicLong> started = new ConcurrentHashMap<>();
  private RedisClient client;
  private RedisCodeStore store;
  private RedisRateLimiter limiter;
  private String prefix;
  private VerificationCodeService service;

  @BeforeEach
  void start() {
    RedisServers.requireStandalone();
    client = RedisClient.create(RedisServers.URI);
    client.addListener(new CommandListener() {
      @Override
      public void commandStarted(CommandStartedEvent event) {
        ProtocolKeyword type = event.getCommand().getType();
        started.computeIfAbsent(type.toString().toLowerCase(java.util.Locale.ROOT), k -> new AtomicLong()).incrementAndGet();
      }
    });
    prefix = RedisServers.randomPrefix();
    store = RedisCodeStore.builder(client).keyPrefix(prefix).build();
    limiter = RedisRateLimiter.builder(client).keyPrefix(prefix).build();
    service = VerificationCodeService.builder().transport(outbox).store(store).rateLimiter(limiter).clock(clock)
        .secret(SECRET).build();
    // every script cached first, so that no NOSCRIPT + EVAL pair is counted
    roundTrips("warm-up send", () -> service.sendVerificationCode("warm@example.com", TYPE, Duration.ofMinutes(10)),
        SendResult.Sent.class);
    String code = outbox.latestCode("warm@example.com").orElseThrow();
    roundTrips("warm-up wrong", () -> service.verifyCode("warm@example.com", TYPE, wrongFor(code)),
        VerifyResult.Invalid.class);
    VerifyResult right = roundTrips("warm-up right", () -> service.verifyCode("warm@example.com", TYPE, code),
        VerifyResult.Verified.class).result();
    roundTrips("warm-up redeem", () -> service.redeem(((VerifyResult.Verified) right).token(), TYPE).orElseThrow(),
        Object.class);
  }

  @AfterEach
  void stop() {
    try (var c = RedisClient.create(RedisServers.URI).connect()) {
      RedisServers.deleteAll(c.sync(), prefix);
    }
    store.close();
    limiter.close();
    client.shutdown();
  }

  private static String wrongFor(String code) {
    return code.equals("000000") ? "111111" : "000000";
  }

  /** What a call answered and the commands it started, by name. */
  private record Counted<T>(T result, Map<String, Long> commands) {}

  private <T> Counted<T> roundTrips(String what, Supplier<T> call, Class<?> expected) {
    Map<String, Long> before = snapshot();
    T result = call.get();
    assertThat(result).as(what).isInstanceOf(expected);
    Map<String, Long> delta = new java.util.TreeMap<>();
    snapshot().forEach((name, n) -> {
      long d = n - before.getOrDefault(name, 0L);
      if (d != 0) {
        delta.put(name, d);
      }
    });
    System.err.println("[mailverify] round trips on one Redis server, " + what + ": " + delta);
    return new Counted<>(result, delta);
  }

  private Map<String, Long> snapshot() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    started.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  @Test
  @DisplayName("C28: on one Redis server a send, a wrong verify, a right verify and a redeem take one round trip each")
  void oneRoundTripPerCall() {
    assertThat(roundTrips("send", () -> service.sendVerificationCode("rt@example.com", TYPE, Duration.ofMinutes(10)),
        SendResult.Sent.class).commands()).isEqualTo(Map.of("evalsha", 1L));
    String code = outbox.latestCode("rt@example.com").orElseThrow();
    assertThat(roundTrips("wrong verify", () -> service.verifyCode("rt@example.com", TYPE, wrongFor(code)),
        VerifyResult.Invalid.class).commands()).isEqualTo(Map.of("evalsha", 1L));
    Counted<VerifyResult> right = roundTrips("right verify", () -> service.verifyCode("rt@example.com", TYPE, code),
        VerifyResult.Verified.class);
    assertThat(right.commands()).isEqualTo(Map.of("evalsha", 1L));
    String token = ((VerifyResult.Verified) right.result()).token();
    assertThat(roundTrips("redeem", () -> service.redeem(token, TYPE).orElseThrow(), Object.class).commands())
        .isEqualTo(Map.of("evalsha", 1L));
    // the token stored by the attempt's script is the one a redeem takes, once
    assertThat(service.redeem(token, TYPE)).isEmpty();
  }

  @Test
  @DisplayName("C9/C28: a wrong verify through the one-script path stores no token")
  void noTokenWithoutMatch() {
    service.sendVerificationCode("none@example.com", TYPE, Duration.ofMinutes(10));
    String code = outbox.latestCode("none@example.com").orElseThrow();
    try (var c = RedisClient.create(RedisServers.URI).connect()) {
      int before = RedisServers.keys(c.sync(), prefix).size();
      assertThat(service.verifyCode("none@example.com", TYPE, wrongFor(code))).isInstanceOf(VerifyResult.Invalid.class);
      assertThat(RedisServers.keys(c.sync(), prefix)).hasSize(before);
    }
  }
}
