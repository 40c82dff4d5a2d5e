package dev.mailverify.spring;

import dev.mailverify.core.spi.MailOutbox;
import dev.mailverify.spring.MailVerifyProperties.OutboxType;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;

/**
 * Checks that {@code mailverify.async.outbox.type} got the outbox it asked for, naming what is
 * missing (the module, the connection factory or DataSource, asynchronous delivery), and says which
 * outbox the queue uses for the start-up report. Loads no class of the store modules.
 */
final class OutboxChoice {
  static final String BEAN = "mailVerifyMailOutbox";
  static final String REDIS_OUTBOX = "dev.mailverify.redis.RedisMailOutbox";
  static final String JDBC_OUTBOX = "dev.mailverify.jdbc.JdbcMailOutbox";
  static final String TYPE = MailVerifyDurableOutboxConfiguration.PREFIX + ".type";

  private OutboxChoice() {}

  /**
   * Returns the outbox the queue uses: the application's {@link MailOutbox} bean or the one of
   * {@code mailverify.async.outbox.type}, or null for the in-memory queue.
   *
   * @throws InvalidConfigurationPropertyValueException naming {@code mailverify.async.outbox.type} or
   *     {@code mailverify.async.enabled} when the outbox asked for cannot be made
   */
  static @Nullable MailOutbox check(MailVerifyProperties properties, ListableBeanFactory beans,
      @Nullable MailOutbox outbox) {
    OutboxType type = properties.getAsync().getOutbox().getType();
    String value = type.name().toLowerCase(Locale.ROOT);
    if (!properties.getAsync().isEnabled()) {
      if (type != OutboxType.MEMORY) {
        throw new InvalidConfigurationPropertyValueException(MailVerifyProperties.PREFIX + ".async.enabled", "false",
            "the durable outbox (" + TYPE + "=" + value + ") is the queue of asynchronous delivery: set "
            + MailVerifyProperties.PREFIX + ".async.enabled=true as well");
      }
      return null;
    }
    if (type == OutboxType.MEMORY || outbox != null) {
      return outbox;
    }
    ClassLoader beanLoader = beans instanceof ConfigurableBeanFactory c ? c.getBeanClassLoader() : null;
    ClassLoader loader = beanLoader != null ? beanLoader : OutboxChoice.class.getClassLoader();
    if (type == OutboxType.REDIS) {
      throw new InvalidConfigurationPropertyValueException(TYPE, value, !ClassUtils.isPresent(REDIS_OUTBOX, loader)
          ? "the Redis outbox needs the dependency " + InMemoryStoreGuard.REDIS_MODULE + " on the class path"
          : "the Redis outbox needs a Lettuce RedisConnectionFactory bean: add spring-boot-starter-data-redis"
            + " (Lettuce is its default client) and spring.data.redis.*");
    }
    throw new InvalidConfigurationPropertyValueException(TYPE, value, !ClassUtils.isPresent(JDBC_OUTBOX, loader)
        ? "the SQL outbox needs the dependency " + InMemoryStoreGuard.JDBC_MODULE + " on the class path"
        : "the SQL outbox needs a DataSource bean (spring.datasource.*)");
  }

  /** For the start-up report. */
  static String describe(MailVerifyProperties properties, ListableBeanFactory beans, MailVerifyDelivery delivery) {
    if (!delivery.isAsync()) {
      return "synchronous";
    }
    MailOutbox outbox = delivery.outbox();
    if (outbox == null) {
      return "asynchronous, in-memory queue (a crash loses queued mail; " + TYPE + "=redis or jdbc keeps it)";
    }
    boolean own = beans.containsBean(BEAN) && beans.getBean(BEAN) == outbox;
    return "asynchronous, durable outbox " + outbox + (own
        ? " (" + TYPE + "=" + properties.getAsync().getOutbox().getType().name().toLowerCase(Locale.ROOT) + ")"
        : " (the application's MailOutbox bean)");
  }
}
