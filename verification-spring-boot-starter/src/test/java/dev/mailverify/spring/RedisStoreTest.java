package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.redis.RedisCodeStore;
import dev.mailverify.redis.RedisRateLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The Redis store, chosen automatically from the application's Lettuce connection factory (Redis on 127.0.0.1:6379). */
class RedisStoreTest {
  static final String SECRET = "0123456789abcdef0123456789abcdef";

  private final String prefix = "mvtest-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MailVerifyStoreAutoConfiguration.class, MailVerifyAutoConfiguration.class))
      .withUserConfiguration(Lettuce.class)
      .withPropertyValues("mailverify.transport=outbox", "mailverify.store.redis-key-prefix=" + prefix);

  @Configuration(proxyBeanMethods = false)
  static class Lettuce {
    @Bean
    LettuceConnectionFactory redisConnectionFactory() {
      return new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
    }
  }

  private boolean reachable;

  @BeforeEach
  void requireRedis() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 6379), 1000);
      reachable = true;
    } catch (IOException e) {
      String message = "Redis is not listening on 127.0.0.1:6379";
      if ("1".equals(System.getenv("MAILVERIFY_REQUIRE_SERVERS"))) {
        Assertions.fail(message + " (required: MAILVERIFY_REQUIRE_SERVERS=1)");
      }
      Assumptions.abort(message + " (skipped; MAILVERIFY_REQUIRE_SERVERS=1 makes this a failure)");
    }
  }

  /** Deletes this test's keys (the prefix is its own), so the shared Redis keeps nothing from it. */
  @AfterEach
  void deleteKeys() {
    if (!reachable) {
      return;
    }
    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      ScanIterator<String> keys = ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches(prefix + "*").limit(1000));
      while (keys.hasNext()) {
        connection.sync().del(keys.next());
      }
    } finally {
      client.shutdown();
    }
  }

  @Test
  @DisplayName("C28: with a Lettuce factory the store and limiter are Redis; a code sent through one app verifies on another")
  void sharedAcrossTwoApplications() {
    runner.withPropertyValues("mailverify.secret=" + SECRET).run(first -> {
      assertThat(first.getBean(CodeStore.class)).isInstanceOf(RedisCodeStore.class);
      assertThat(first.getBean(RateLimiter.class)).isInstanceOf(RedisRateLimiter.class);
      VerificationCodeService one = first.getBean(VerificationCodeService.class);
      assertThat(one.sendVerificationCode("r@example.com", VerificationType.REGISTER, Duration.ofMinutes(5)))
          .isInstanceOf(SendResult.Sent.class);
      String code = first.getBean(InMemoryOutbox.class).latestCode("r@example.com").orElseThrow();
      runner.withPropertyValues("mailverify.secret=" + SECRET).run(second -> {
        VerificationCodeService two = second.getBean(VerificationCodeService.class);
        assertThat(two.sendVerificationCode("r@example.com", VerificationType.REGISTER, Duration.ofMinutes(5)))
            .as("C10 the cooldown is shared").isInstanceOf(SendResult.RateLimited.class);
        VerifyResult result = two.verifyCode("r@example.com", VerificationType.REGISTER, code);
        assertThat(result).isInstanceOf(VerifyResult.Verified.class);
        String token = ((VerifyResult.Verified) result).token();
        assertThat(one.redeem(token, VerificationType.REGISTER, "r@example.com")).isPresent();
        assertThat(two.redeem(token, VerificationType.REGISTER, "r@example.com")).isEmpty();
      });
    });
  }

  @Test
  @DisplayName("C28: Redis without mailverify.secret fails naming it")
  void needsSecret() {
    runner.run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasStackTraceContaining("mailverify.secret");
    });
  }

  @Test
  @DisplayName("mailverify.store.type=memory keeps the in-memory store even with a Lettuce factory")
  void memoryWins() {
    runner.withPropertyValues("mailverify.store.type=memory")
        .run(context -> assertThat(context.getBean(CodeStore.class)).isNotInstanceOf(RedisCodeStore.class));
  }
}
