package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.jdbc.JdbcMailOutbox;
import dev.mailverify.redis.RedisMailOutbox;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@code mailverify.async.outbox.*}: the asynchronous queue kept durably (C31) in the application's
 * Redis (127.0.0.1:6379, keys under this test's own prefix, deleted afterwards) or database
 * (PostgreSQL on 127.0.0.1:5432, tables with this test's own prefix, dropped afterwards).
 */
@ExtendWith(OutputCaptureExtension.class)
class DurableOutboxPropertiesTest {
  static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final String redisPrefix = "mvtest-outbox-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  private final String tablePrefix = "mvo_" + UUID.randomUUID().toString().substring(0, 8) + "_";
  private boolean usedRedis;
  private boolean usedPostgres;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MailVerifyStoreAutoConfiguration.class, MailVerifyAutoConfiguration.class))
      .withPropertyValues("mailverify.transport=outbox", "mailverify.secret=" + SECRET);

  @Configuration(proxyBeanMethods = false)
  static class Lettuce {
    @Bean
    LettuceConnectionFactory redisConnectionFactory() {
      return new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Postgres {
    @Bean
    DataSource dataSource() {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl("jdbc:postgresql://127.0.0.1:5432/test");
      ds.setUser("postgres");
      ds.setConnectTimeout(2);
      return ds;
    }
  }

  private static void require(String what, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
    } catch (IOException e) {
      String message = what + " is not listening on 127.0.0.1:" + port;
      if ("1".equals(System.getenv("MAILVERIFY_REQUIRE_SERVERS"))) {
        Assertions.fail(message + " (required: MAILVERIFY_REQUIRE_SERVERS=1)");
      }
      Assumptions.abort(message + " (skipped; MAILVERIFY_REQUIRE_SERVERS=1 makes this a failure)");
    }
  }

  /** Deletes this test's keys and tables (their prefixes are its own). */
  @AfterEach
  void cleanUp() throws SQLException {
    if (usedRedis) {
      RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        ScanIterator<String> keys = ScanIterator.scan(connection.sync(),
            ScanArgs.Builder.matches(redisPrefix + "*").limit(1000));
        while (keys.hasNext()) {
          connection.sync().del(keys.next());
        }
      } finally {
        client.shutdown();
      }
    }
    if (usedPostgres) {
      try (Connection c = new Postgres().dataSource().getConnection(); Statement s = c.createStatement()) {
        for (String table : new String[] {"codes", "tokens", "permits", "outbox"}) {
          s.execute("DROP TABLE IF EXISTS " + tablePrefix + table);
        }
      }
    }
  }

  private static InvalidConfigurationPropertyValueException failure(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    Throwable t = context.getStartupFailure();
    while (t != null && !(t instanceof InvalidConfigurationPropertyValueException)) {
      t = t.getCause();
    }
    assertThat(t).as("an InvalidConfigurationPropertyValueException in the cause chain").isNotNull();
    return (InvalidConfigurationPropertyValueException) t;
  }

  /** Sends a code through the app, waits for the mail the queue delivers, and checks the code verifies. */
  private static void queuedMailIsDelivered(AssertableApplicationContext context, String email) {
    VerificationCodeService service = context.getBean(VerificationCodeService.class);
    SendResult r = service.sendVerificationCode(email, VerificationType.REGISTER, Duration.ofMinutes(10));
    assertThat(r).isInstanceOfSatisfying(SendResult.Sent.class, s -> assertThat(s.isQueued()).isTrue());
    List<EmailMessage> mails = context.getBean(InMemoryOutbox.class).awaitMessages(1, WAIT);
    assertThat(mails).hasSize(1);
    String code = context.getBean(InMemoryOutbox.class).latestCode(email).orElseThrow();
    assertThat(service.verifyCode(email, VerificationType.REGISTER, code)).isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C31: async.outbox.type=redis queues the mail in the application's Redis, and the app delivers it")
  void redisOutboxDeliversQueuedMail(CapturedOutput output) {
    require("Redis", 6379);
    usedRedis = true;
    runner.withUserConfiguration(Lettuce.class)
        .withPropertyValues("mailverify.store.redis-key-prefix=" + redisPrefix, "mailverify.async.enabled=true",
            "mailverify.async.outbox.type=redis", "mailverify.async.outbox.poll-interval=200ms")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(MailOutbox.class)).isInstanceOf(RedisMailOutbox.class);
          assertThat(context.getBean(MailOutbox.class).toString()).contains(redisPrefix);
          queuedMailIsDelivered(context, "queued@example.com");
        });
    assertThat(output.getOut() + output.getErr()).contains("delivery=asynchronous, durable outbox RedisMailOutbox")
        .contains("(mailverify.async.outbox.type=redis)");
  }

  @Test
  @DisplayName("C31: async.outbox.type=jdbc queues the mail in the application's database, and the app delivers it")
  void jdbcOutboxDeliversQueuedMail() {
    require("PostgreSQL", 5432);
    usedPostgres = true;
    runner.withUserConfiguration(Postgres.class)
        .withPropertyValues("mailverify.store.jdbc-table-prefix=" + tablePrefix, "mailverify.store.jdbc-create-tables=true",
            "mailverify.async.enabled=true", "mailverify.async.outbox.type=jdbc",
            "mailverify.async.outbox.poll-interval=200ms")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(MailOutbox.class)).isInstanceOf(JdbcMailOutbox.class);
          assertThat(context.getBean(MailOutbox.class).toString()).contains(tablePrefix);
          queuedMailIsDelivered(context, "queued-sql@example.com");
        });
  }

  @Test
  @DisplayName("a durable outbox without asynchronous delivery fails start-up naming mailverify.async.enabled")
  void outboxNeedsAsync() {
    runner.withPropertyValues("mailverify.async.outbox.type=redis").run(context -> {
      InvalidConfigurationPropertyValueException e = failure(context);
      assertThat(e.getName()).isEqualTo("mailverify.async.enabled");
      assertThat(e.getMessage()).contains("mailverify.async.enabled=true");
    });
  }

  @Test
  @DisplayName("async.outbox.type=redis without verification-redis, or without a connection factory, fails naming what to add")
  void redisOutboxNeedsModuleAndFactory() {
    runner.withClassLoader(new FilteredClassLoader(RedisMailOutbox.class))
        .withPropertyValues("mailverify.async.enabled=true", "mailverify.async.outbox.type=redis", "mailverify.store.type=memory")
        .run(context -> {
          InvalidConfigurationPropertyValueException e = failure(context);
          assertThat(e.getName()).isEqualTo("mailverify.async.outbox.type");
          assertThat(e.getMessage()).contains("dev.mailverify:verification-redis");
        });
    runner.withPropertyValues("mailverify.async.enabled=true", "mailverify.async.outbox.type=redis")
        .run(context -> assertThat(failure(context).getMessage()).contains("spring-boot-starter-data-redis"));
  }

  @Test
  @DisplayName("async.outbox.type=jdbc without verification-jdbc, or without a DataSource, fails naming what to add")
  void jdbcOutboxNeedsModuleAndDataSource() {
    runner.withClassLoader(new FilteredClassLoader(JdbcMailOutbox.class))
        .withPropertyValues("mailverify.async.enabled=true", "mailverify.async.outbox.type=jdbc")
        .run(context -> {
          InvalidConfigurationPropertyValueException e = failure(context);
          assertThat(e.getName()).isEqualTo("mailverify.async.outbox.type");
          assertThat(e.getMessage()).contains("dev.mailverify:verification-jdbc");
        });
    runner.withPropertyValues("mailverify.async.enabled=true", "mailverify.async.outbox.type=jdbc")
        .run(context -> assertThat(failure(context).getMessage()).contains("DataSource bean"));
  }

  @Test
  @DisplayName("C14: a durable outbox without mailverify.secret (it seals the queued mails) fails start-up naming it")
  void outboxNeedsTheSecret() {
    require("Redis", 6379);
    usedRedis = true;
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(MailVerifyStoreAutoConfiguration.class, MailVerifyAutoConfiguration.class))
        .withUserConfiguration(Lettuce.class)
        .withPropertyValues("mailverify.transport=outbox", "mailverify.store.type=memory",
            "mailverify.store.redis-key-prefix=" + redisPrefix, "mailverify.async.enabled=true",
            "mailverify.async.outbox.type=redis")
        .run(context -> {
          InvalidConfigurationPropertyValueException e = failure(context);
          assertThat(e.getName()).isEqualTo("mailverify.secret");
          assertThat(e.getMessage()).contains("seals every queued mail");
        });
  }

  @Test
  @DisplayName("a lease the builder refuses fails start-up naming mailverify.async.outbox.lease")
  void badLeaseNamesTheProperty() {
    require("Redis", 6379);
    usedRedis = true;
    runner.withUserConfiguration(Lettuce.class)
        .withPropertyValues("mailverify.store.redis-key-prefix=" + redisPrefix, "mailverify.async.enabled=true",
            "mailverify.async.outbox.type=redis", "mailverify.async.outbox.lease=2h")
        .run(context -> assertThat(failure(context).getName()).isEqualTo("mailverify.async.outbox.lease"));
  }

  @Test
  @DisplayName("async delivery without a durable outbox says at start-up that a crash loses queued mail")
  void inMemoryQueueIsReported(CapturedOutput output) {
    runner.withPropertyValues("mailverify.async.enabled=true").run(context -> assertThat(context).hasNotFailed());
    assertThat(output.getOut() + output.getErr()).contains("delivery=asynchronous, in-memory queue (a crash loses");
  }
}
