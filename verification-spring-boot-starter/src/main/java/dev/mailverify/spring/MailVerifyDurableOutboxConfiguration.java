package dev.mailverify.spring;

import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.jdbc.JdbcMailOutbox;
import dev.mailverify.redis.RedisMailOutbox;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The durable outbox of the asynchronous queue ({@code mailverify.async.outbox.type=redis|jdbc}) on
 * the application's Redis or DataSource, when the module is on the class path; {@link OutboxChoice}
 * fails start-up when the property asks for one that cannot be made. Unset settings are the
 * builders' defaults, or the store's settings where both have one.
 */
@Configuration(proxyBeanMethods = false)
@Import({MailVerifyDurableOutboxConfiguration.Redis.class, MailVerifyDurableOutboxConfiguration.Jdbc.class})
class MailVerifyDurableOutboxConfiguration {
  static final String PREFIX = MailVerifyProperties.PREFIX + ".async.outbox";

  /** A Redis stream through the application's Lettuce client. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {OutboxChoice.REDIS_OUTBOX, InMemoryStoreGuard.LETTUCE_FACTORY})
  @ConditionalOnBean(LettuceConnectionFactory.class)
  @ConditionalOnMissingBean(MailOutbox.class)
  @ConditionalOnProperty(prefix = PREFIX, name = "type", havingValue = "redis")
  static class Redis {
    @Bean(name = OutboxChoice.BEAN)
    RedisMailOutbox mailVerifyMailOutbox(LettuceConnectionFactory factory, MailVerifyProperties properties) {
      MailVerifyProperties.Outbox o = properties.getAsync().getOutbox();
      MailVerifyProperties.Store s = properties.getStore();
      AbstractRedisClient client = factory.getNativeClient();
      if (client == null) {
        factory.start();
        client = factory.getNativeClient();
      }
      if (client == null) {
        throw new InvalidConfigurationPropertyValueException(PREFIX + ".type", "redis",
            "the LettuceConnectionFactory has no client (is it started?)");
      }
      RedisMailOutbox.Builder b = client instanceof RedisClusterClient cluster
          ? RedisMailOutbox.builder(cluster) : RedisMailOutbox.builder((RedisClient) client);
      apply("redis-key-prefix", o.getRedisKeyPrefix(), "store.redis-key-prefix", s.getRedisKeyPrefix(), b::keyPrefix);
      apply("timeout", o.getTimeout(), "store.timeout", s.getTimeout(), b::timeout);
      PropertySetter.apply(PREFIX + ".redis-group", o.getRedisGroup(), b::group);
      PropertySetter.apply(PREFIX + ".redis-max-entries", o.getRedisMaxEntries(), b::maxEntries);
      try {
        return b.build();
      } catch (RuntimeException e) {
        throw new InvalidConfigurationPropertyValueException(PREFIX + ".type", "redis",
            "the Redis outbox could not be opened: " + e.getMessage());
      }
    }
  }

  /** A table in the application's database. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = OutboxChoice.JDBC_OUTBOX)
  @ConditionalOnBean(DataSource.class)
  @ConditionalOnMissingBean(MailOutbox.class)
  @ConditionalOnProperty(prefix = PREFIX, name = "type", havingValue = "jdbc")
  static class Jdbc {
    @Bean(name = OutboxChoice.BEAN)
    JdbcMailOutbox mailVerifyMailOutbox(DataSource dataSource, MailVerifyProperties properties) {
      MailVerifyProperties.Outbox o = properties.getAsync().getOutbox();
      MailVerifyProperties.Store s = properties.getStore();
      JdbcMailOutbox.Builder b = JdbcMailOutbox.builder(dataSource);
      apply("jdbc-table-prefix", o.getJdbcTablePrefix(), "store.jdbc-table-prefix", s.getJdbcTablePrefix(),
          b::tablePrefix);
      apply("timeout", o.getTimeout(), "store.timeout", s.getTimeout(), b::timeout);
      apply("jdbc-create-tables", o.getJdbcCreateTables(), "store.jdbc-create-tables", s.getJdbcCreateTables(),
          b::createTablesIfMissing);
      PropertySetter.apply(PREFIX + ".jdbc-join-transactions", o.getJdbcJoinTransactions(), b::joinTransactions);
      try {
        return b.build();
      } catch (RuntimeException e) {
        throw new InvalidConfigurationPropertyValueException(PREFIX + ".type", "jdbc",
            "the SQL outbox could not be opened: " + e.getMessage());
      }
    }
  }

  /** The outbox's own property when set, else the store's. */
  private static <T> void apply(String own, @Nullable T ownValue, String store, @Nullable T storeValue,
      java.util.function.Consumer<? super T> setter) {
    if (ownValue != null) {
      PropertySetter.apply(PREFIX + "." + own, ownValue, setter);
    } else {
      PropertySetter.apply(MailVerifyProperties.PREFIX + "." + store, storeValue, setter);
    }
  }
}
