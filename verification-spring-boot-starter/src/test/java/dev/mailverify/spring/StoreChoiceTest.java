package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.jdbc.JdbcCodeStore;
import dev.mailverify.redis.RedisCodeStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * Issue 18, bug 1: the starter never falls back to the in-memory store silently. It says at start-up
 * which store, limiter and transport it chose and why, and refuses to start where the application
 * clearly wanted a shared store or runs in production. No Redis server is needed: a connection factory
 * that is never used is enough to show the intent.
 */
@ExtendWith(OutputCaptureExtension.class)
class StoreChoiceTest {
  private static final String SMTP_IN_PROD = "mailverify.transport=smtp";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MailVerifyStoreAutoConfiguration.class, MailVerifyAutoConfiguration.class));

  @Configuration(proxyBeanMethods = false)
  static class Lettuce {
    @Bean
    LettuceConnectionFactory redisConnectionFactory() {
      return new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
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

  @Test
  @DisplayName("C28: a RedisConnectionFactory without verification-redis fails start-up naming the dependency to add")
  void redisFactoryWithoutModuleFails() {
    runner.withUserConfiguration(Lettuce.class).withClassLoader(new FilteredClassLoader(RedisCodeStore.class))
        .withPropertyValues("mailverify.transport=outbox").run(context -> {
          InvalidConfigurationPropertyValueException e = failure(context);
          assertThat(e.getName()).isEqualTo("mailverify.store.type");
          assertThat(e.getMessage()).contains("dev.mailverify:verification-redis", "redisConnectionFactory",
              "mailverify.store.type=memory");
        });
  }

  @Test
  @DisplayName("mailverify.store.type=memory keeps codes in memory on purpose, even next to a RedisConnectionFactory")
  void explicitMemoryNextToRedisStarts() {
    runner.withUserConfiguration(Lettuce.class).withClassLoader(new FilteredClassLoader(RedisCodeStore.class))
        .withPropertyValues("mailverify.transport=outbox", "mailverify.store.type=memory")
        .run(context -> assertThat(context.getBean(CodeStore.class).getClass().getSimpleName()).contains("Memory"));
  }

  @Test
  @DisplayName("mailverify.store.jdbc-* set without verification-jdbc fails start-up naming the dependency")
  void jdbcPropertiesWithoutModuleFail() {
    runner.withClassLoader(new FilteredClassLoader(JdbcCodeStore.class))
        .withPropertyValues("mailverify.transport=outbox", "mailverify.store.jdbc-table-prefix=app_").run(context -> {
          InvalidConfigurationPropertyValueException e = failure(context);
          assertThat(e.getName()).isEqualTo("mailverify.store.type");
          assertThat(e.getMessage()).contains("dev.mailverify:verification-jdbc");
        });
  }

  @Test
  @DisplayName("in the prod profile the in-memory store needs an explicit mailverify.store.type=memory")
  void memoryInProductionNeedsExplicitChoice() {
    ApplicationContextRunner prod = runner.withPropertyValues("spring.profiles.active=prod", SMTP_IN_PROD,
        "mailverify.smtp.host=127.0.0.1", "mailverify.smtp.port=2525", "mailverify.smtp.from=app@example.com");
    prod.run(context -> {
      InvalidConfigurationPropertyValueException e = failure(context);
      assertThat(e.getName()).isEqualTo("mailverify.store.type");
      assertThat(e.getMessage()).contains("[prod]", "mailverify.store.type=memory", "verification-redis");
    });
    prod.withPropertyValues("mailverify.store.type=memory").run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  @DisplayName("C17: start-up says which store, rate limiter and transport were chosen, and why")
  void startupLineSaysWhatWasChosen(CapturedOutput output) {
    runner.withPropertyValues("mailverify.transport=outbox").run(context -> assertThat(context).hasNotFailed());
    assertThat(output.getOut() + output.getErr())
        .contains("store=in-memory (mailverify.store.type=auto: no RedisConnectionFactory bean")
        .contains("codes are not shared between instances")
        .contains("rate limiter=in-memory (with the store)")
        .contains("transport=").contains("(mailverify.transport=outbox)");
  }
}
