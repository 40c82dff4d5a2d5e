package dev.mailverify.spring;

import dev.mailverify.spring.MailVerifyProperties.StoreType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Decides whether the in-memory code store may be used, and says why it was chosen. The in-memory
 * store keeps codes in one JVM: behind a load balancer a code sent by one instance is "invalid" on
 * the next, so the starter never falls back to it silently where the application clearly wanted a
 * shared one (issue 18, bug 1):
 *
 * <ul>
 *   <li>{@code mailverify.store.type=redis} or {@code jdbc} without what that store needs fails;
 *   <li>{@code auto} with a {@code RedisConnectionFactory} bean fails when {@code verification-redis} is
 *       not on the class path (or the factory is not Lettuce's), naming the dependency to add;
 *   <li>{@code auto} with a {@code mailverify.store.jdbc-*} or {@code redis-*} property set fails when
 *       the module it configures is missing;
 *   <li>in a production profile the in-memory store needs {@code mailverify.store.type=memory}, as the
 *       console transport needs an explicit choice.
 * </ul>
 */
final class InMemoryStoreGuard {
  static final String TYPE = MailVerifyProperties.PREFIX + ".store.type";
  static final String REDIS_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";
  static final String LETTUCE_FACTORY = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";
  static final String REDIS_STORE = "dev.mailverify.redis.RedisCodeStore";
  static final String JDBC_STORE = "dev.mailverify.jdbc.JdbcCodeStore";
  static final String DATA_SOURCE = "javax.sql.DataSource";
  static final String REDIS_MODULE = "dev.mailverify:verification-redis";
  static final String JDBC_MODULE = "dev.mailverify:verification-jdbc";

  private InMemoryStoreGuard() {}

  /**
   * Checks that the in-memory store is what the application asked for.
   *
   * @return why the in-memory store was chosen, for the start-up log
   * @throws InvalidConfigurationPropertyValueException naming {@code mailverify.store.type} when the
   *     application wanted a shared store or runs in a production profile without choosing memory
   */
  static String check(MailVerifyProperties properties, ListableBeanFactory beans, Environment environment) {
    StoreType type = properties.getStore().getType();
    ClassLoader beanLoader = beans instanceof ConfigurableBeanFactory c ? c.getBeanClassLoader() : null;
    ClassLoader loader = beanLoader != null ? beanLoader : InMemoryStoreGuard.class.getClassLoader();
    boolean redisModule = ClassUtils.isPresent(REDIS_STORE, loader);
    boolean jdbcModule = ClassUtils.isPresent(JDBC_STORE, loader);
    String[] redisFactories = beanNames(beans, REDIS_FACTORY, loader);
    String[] lettuceFactories = beanNames(beans, LETTUCE_FACTORY, loader);
    String[] dataSources = beanNames(beans, DATA_SOURCE, loader);
    String keepMemory = " (or set " + TYPE + "=memory to keep codes in this instance's memory on purpose)";
    switch (type) {
      case MEMORY:
        return TYPE + "=memory";
      case REDIS:
        throw refuse("redis", redisModule
            ? "the Redis store needs a Lettuce RedisConnectionFactory bean: add spring-boot-starter-data-redis"
              + " (Lettuce is its default client) and spring.data.redis.*"
            : "the Redis store needs the dependency " + REDIS_MODULE + " on the class path"
              + (lettuceFactories.length == 0 ? " and a Lettuce RedisConnectionFactory (spring-boot-starter-data-redis)" : ""));
      case JDBC:
        throw refuse("jdbc", jdbcModule
            ? "the SQL store needs a DataSource bean (spring.datasource.*)"
            : "the SQL store needs the dependency " + JDBC_MODULE + " on the class path"
              + (dataSources.length == 0 ? " and a DataSource bean (spring.datasource.*)" : ""));
      default:
        break;
    }
    if (redisFactories.length > 0) {
      if (!redisModule) {
        throw refuse("auto", "the application has a RedisConnectionFactory bean (" + redisFactories[0]
            + ") but codes would stay in this instance's memory, so a code sent by one instance would be"
            + " invalid on another: add the dependency " + REDIS_MODULE + keepMemory);
      }
      throw refuse("auto", "verification-redis talks to Redis through Lettuce, but the RedisConnectionFactory bean ("
          + redisFactories[0] + ") is not a LettuceConnectionFactory: use Lettuce, the default client of"
          + " spring-boot-starter-data-redis" + keepMemory);
    }
    if (!redisModule && configured(environment, "redis-key-prefix")) {
      throw refuse("auto", MailVerifyProperties.PREFIX + ".store.redis-key-prefix is set but the Redis store is"
          + " not on the class path: add the dependency " + REDIS_MODULE + keepMemory);
    }
    if (configured(environment, "jdbc-table-prefix") || configured(environment, "jdbc-create-tables")) {
      if (!jdbcModule) {
        throw refuse("auto", MailVerifyProperties.PREFIX + ".store.jdbc-* is set but the SQL store is not on the"
            + " class path: add the dependency " + JDBC_MODULE + keepMemory);
      }
      if (dataSources.length == 0) {
        throw refuse("auto", MailVerifyProperties.PREFIX + ".store.jdbc-* is set but the application has no"
            + " DataSource bean (spring.datasource.*)" + keepMemory);
      }
    }
    List<String> production = productionProfiles(properties, environment);
    if (!production.isEmpty()) {
      throw refuse("auto", "the in-memory store keeps codes in one JVM and loses them on restart; in the production"
          + " profile " + production + " it must be chosen explicitly with " + TYPE + "=memory, or add "
          + REDIS_MODULE + " (with spring-boot-starter-data-redis) or " + JDBC_MODULE + " (with a DataSource)");
    }
    List<String> absent = new ArrayList<>();
    absent.add("no RedisConnectionFactory bean");
    absent.add(jdbcModule ? "no DataSource bean" : "verification-jdbc not on the class path");
    return TYPE + "=auto: " + String.join(", ", absent) + "; codes are not shared between instances";
  }

  /** The active profiles that {@code mailverify.production-profiles} names. */
  static List<String> productionProfiles(MailVerifyProperties properties, Environment environment) {
    List<String> active = Arrays.asList(environment.getActiveProfiles());
    return properties.getProductionProfiles().stream().filter(active::contains).toList();
  }

  private static boolean configured(Environment environment, String storeProperty) {
    return environment.containsProperty(MailVerifyProperties.PREFIX + ".store." + storeProperty);
  }

  private static String[] beanNames(ListableBeanFactory beans, String className, ClassLoader loader) {
    if (!ClassUtils.isPresent(className, loader)) {
      return new String[0];
    }
    return beans.getBeanNamesForType(ClassUtils.resolveClassName(className, loader), true, false);
  }

  private static InvalidConfigurationPropertyValueException refuse(String value, String reason) {
    return new InvalidConfigurationPropertyValueException(TYPE, value.toLowerCase(Locale.ROOT), reason);
  }
}
