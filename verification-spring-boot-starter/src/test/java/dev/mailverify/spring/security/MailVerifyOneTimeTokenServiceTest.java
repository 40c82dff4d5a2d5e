package dev.mailverify.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.Quota;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.redis.RedisCodeStore;
import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;

/** The token service on its own: single use under threads (in memory and on Redis), expiry, cooldown. */
class MailVerifyOneTimeTokenServiceTest {
  /** A clock the test moves. */
  static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();

  private MailVerifyOneTimeTokenService service(CodeStore store) {
    return new MailVerifyOneTimeTokenService(store, RateLimiter.inMemory(), clock, VerificationType.LOGIN,
        Duration.ofSeconds(60), Quota.perHour(5));
  }

  private static OneTimeToken consume(MailVerifyOneTimeTokenService s, String value) {
    return s.consume(OneTimeTokenAuthenticationToken.unauthenticated(value));
  }

  private static int racers(MailVerifyOneTimeTokenService s, String value) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return consume(s, value) != null;
        }));
      }
      start.countDown();
      int won = 0;
      for (Future<Boolean> f : results) {
        won += f.get() ? 1 : 0;
      }
      return won;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("C8, C9: a token is 256 bits, URL-safe, and of 50 concurrent submits exactly one signs in")
  void singleUseUnderThreads() throws Exception {
    MailVerifyOneTimeTokenService s = service(CodeStore.inMemory());
    OneTimeToken token = s.generate(new GenerateOneTimeTokenRequest("Ada@Example.COM"));
    assertThat(token.getTokenValue()).matches("[A-Za-z0-9_-]{43}");
    assertThat(token.getUsername()).isEqualTo("Ada@example.com");
    assertThat(racers(s, token.getTokenValue())).isEqualTo(1);
    assertThat(consume(s, token.getTokenValue())).isNull();
  }

  @Test
  @DisplayName("C3: a token works until its expiry and not after (1 ms either side)")
  void expiry() {
    MailVerifyOneTimeTokenService s = service(CodeStore.inMemory());
    OneTimeToken first = s.generate(new GenerateOneTimeTokenRequest("a@example.com"));
    clock.advance(MailVerifyOneTimeTokenService.DEFAULT_VALIDITY.minusMillis(1));
    assertThat(consume(s, first.getTokenValue())).isNotNull();
    clock.advance(Duration.ofMinutes(2));
    OneTimeToken second = s.generate(new GenerateOneTimeTokenRequest("a@example.com"));
    clock.advance(MailVerifyOneTimeTokenService.DEFAULT_VALIDITY.plusMillis(1));
    assertThat(consume(s, second.getTokenValue())).isNull();
  }

  @Test
  @DisplayName("C10: inside the cooldown a request is refused, marked rate limited, and its token never works")
  void cooldown() {
    MailVerifyOneTimeTokenService s = service(CodeStore.inMemory());
    OneTimeToken first = s.generate(new GenerateOneTimeTokenRequest("b@example.com"));
    OneTimeToken second = s.generate(new GenerateOneTimeTokenRequest("b@example.com"));
    assertThat(MailVerifyOneTimeTokenService.isRateLimited(first)).isFalse();
    assertThat(MailVerifyOneTimeTokenService.isRateLimited(second)).isTrue();
    assertThat(consume(s, second.getTokenValue())).isNull();
    assertThat(consume(s, first.getTokenValue())).isNotNull();
  }

  @Test
  @DisplayName("C2: malformed values are refused before the store is asked")
  void malformed() {
    MailVerifyOneTimeTokenService s = service(CodeStore.inMemory());
    assertThat(consume(s, "")).isNull();
    assertThat(consume(s, "x".repeat(10_000))).isNull();
    assertThat(consume(s, "\u0661".repeat(43))).isNull();
  }

  @Test
  @DisplayName("C8, C28: on Redis, of 50 concurrent submits exactly one signs in")
  void singleUseOnRedis() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 6379), 1000);
    } catch (IOException e) {
      if ("1".equals(System.getenv("MAILVERIFY_REQUIRE_SERVERS"))) {
        Assertions.fail("Redis is not listening on 127.0.0.1:6379 (required: MAILVERIFY_REQUIRE_SERVERS=1)");
      }
      Assumptions.abort("Redis is not listening on 127.0.0.1:6379");
    }
    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
    try (RedisCodeStore store = RedisCodeStore.builder(client)
        .keyPrefix("ott-" + UUID.randomUUID().toString().substring(0, 8) + ":").build()) {
      MailVerifyOneTimeTokenService s = new MailVerifyOneTimeTokenService(store, RateLimiter.inMemory(),
          Clock.systemUTC(), VerificationType.LOGIN, Duration.ofSeconds(60), Quota.perHour(5));
      OneTimeToken token = s.generate(new GenerateOneTimeTokenRequest("r@example.com"));
      assertThat(racers(s, token.getTokenValue())).isEqualTo(1);
    } finally {
      client.shutdown();
    }
  }
}
