package dev.mailverify.spring;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.jdbc.JdbcCodeStore;
import dev.mailverify.jdbc.JdbcRateLimiter;
import dev.mailverify.redis.RedisCodeStore;
import dev.mailverify.redis.RedisRateLimiter;
import dev.mailverify.spring.MailVerifyProperties.StoreType;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A shared code store and rate limiter, chosen by {@code mailverify.store.type}: with {@code auto}
 * (the default), Redis when {@code verification-redis} is on the class path and the application
 * has a Lettuce {@code LettuceConnectionFactory}, else SQL when {@code verification-jdbc} is on the
 * class path and the application has a {@code DataSource}, else the in-memory store of
 * {@link MailVerifyAutoConfiguration}. A shared store needs {@code mailverify.secret} (C28).
 */
@AutoConfiguration(before = MailVerifyAutoConfiguration.class, afterName = {
    "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
    "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@Import({MailVerifyStoreAutoConfiguration.Redis.class, MailVerifyStoreAutoConfiguration.Jdbc.class,
    MailVerifyDurableOutboxConfiguration.class})
public class MailVerifyStoreAutoConfiguration {
  /** Creates the auto-configuration; Spring calls it. */
  public MailVerifyStoreAutoConfiguration() {}

  /** Redis through the application's Lettuce client. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RedisCodeStore.class, LettuceConnectionFactory.class})
  @ConditionalOnBean(LettuceConnectionFactory.class)
  @ConditionalOnMissingBean(CodeStore.class)
  @Conditional(StoreAllows.Redis.class)
  static class Redis {
    @Bean(name = MailVerifyStoreConfiguration.SHARED_STORE, destroyMethod = "close")
    RedisCodeStore mailVerifySharedCodeStore(LettuceConnectionFactory factory, MailVerifyProperties properties) {
      MailVerifyProperties.Store s = properties.getStore();
      AbstractRedisClient client = nativeClient(factory);
      RedisCodeStore.Builder b = client instanceof RedisClusterClient cluster
          ? RedisCodeStore.builder(cluster) : RedisCodeStore.builder((RedisClient) client);
      PropertySetter.apply(PREFIX + ".redis-key-prefix", s.getRedisKeyPrefix(), b::keyPrefix);
      PropertySetter.apply(PREFIX + ".timeout", s.getTimeout(), b::timeout);
      return b.build();
    }

    @Bean(name = MailVerifyStoreConfiguration.SHARED_RATE_LIMITER, destroyMethod = "close")
    @ConditionalOnMissingBean(RateLimiter.class)
    RedisRateLimiter mailVerifySharedRateLimiter(LettuceConnectionFactory factory, MailVerifyProperties properties) {
      MailVerifyProperties.Store s = properties.getStore();
      AbstractRedisClient client = nativeClient(factory);
      RedisRateLimiter.Builder b = client instanceof RedisClusterClient cluster
          ? RedisRateLimiter.builder(cluster) : RedisRateLimiter.builder((RedisClient) client);
      PropertySetter.apply(PREFIX + ".redis-key-prefix", s.getRedisKeyPrefix(), b::keyPrefix);
      PropertySetter.apply(PREFIX + ".timeout", s.getTimeout(), b::timeout);
      return b.build();
    }

    private static AbstractRedisClient nativeClient(LettuceConnectionFactory factory) {
      AbstractRedisClient client = factory.getNativeClient();
      if (client == null) {
        factory.start();
        client = factory.getNativeClient();
      }
      if (client == null) {
        throw new InvalidConfigurationPropertyValueException(PREFIX + ".type", "redis",
            "the LettuceConnectionFactory has no client (is it started?)");
      }
      return client;
    }
  }

  /** SQL through the application's DataSource. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JdbcCodeStore.class)
  @ConditionalOnBean(DataSource.class)
  @ConditionalOnMissingBean(CodeStore.class)
  @Conditional(StoreAllows.Jdbc.class)
  static class Jdbc {
    @Bean(name = MailVerifyStoreConfiguration.SHARED_STORE)
    JdbcCodeStore mailVerifySharedCodeStore(DataSource dataSource, MailVerifyProperties properties) {
      MailVerifyProperties.Store s = properties.getStore();
      JdbcCodeStore.Builder b = JdbcCodeStore.builder(dataSource);
      PropertySetter.apply(PREFIX + ".jdbc-table-prefix", s.getJdbcTablePrefix(), b::tablePrefix);
      PropertySetter.apply(PREFIX + ".timeout", s.getTimeout(), b::timeout);
      PropertySetter.apply(PREFIX + ".jdbc-create-tables", s.getJdbcCreateTables(),
          b::createTablesIfMissing);
      return b.build();
    }

    @Bean(name = MailVerifyStoreConfiguration.SHARED_RATE_LIMITER)
    @ConditionalOnMissingBean(RateLimiter.class)
    JdbcRateLimiter mailVerifySharedRateLimiter(DataSource dataSource, MailVerifyProperties properties) {
      MailVerifyProperties.Store s = properties.getStore();
      JdbcRateLimiter.Builder b = JdbcRateLimiter.builder(dataSource);
      PropertySetter.apply(PREFIX + ".jdbc-table-prefix", s.getJdbcTablePrefix(), b::tablePrefix);
      PropertySetter.apply(PREFIX + ".timeout", s.getTimeout(), b::timeout);
      PropertySetter.apply(PREFIX + ".jdbc-create-tables", s.getJdbcCreateTables(),
          b::createTablesIfMissing);
      return b.build();
    }
  }

  private static final String PREFIX = MailVerifyProperties.PREFIX + ".store";

  /** Matches when {@code mailverify.store.type} is auto or the given store. */
  abstract static class StoreAllows extends SpringBootCondition {
    private final StoreType type;

    StoreAllows(StoreType type) {
      this.type = type;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      StoreType configured = Binder.get(context.getEnvironment()).bind(PREFIX + ".type", StoreType.class)
          .orElse(StoreType.AUTO);
      String name = type.name().toLowerCase(Locale.ROOT);
      return configured == StoreType.AUTO || configured == type
          ? ConditionOutcome.match(PREFIX + ".type allows " + name)
          : ConditionOutcome.noMatch(PREFIX + ".type is " + configured.name().toLowerCase(Locale.ROOT));
    }

    static final class Redis extends StoreAllows {
      Redis() {
        super(StoreType.REDIS);
      }
    }

    static final class Jdbc extends StoreAllows {
      Jdbc() {
        super(StoreType.JDBC);
      }
    }
  }
}
