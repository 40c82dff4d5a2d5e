package dev.mailverify.spring;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.RecipientCheck;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * The one start-up line that says which store, rate limiter and transport the starter chose and
 * why, so that a silent in-memory store or console transport cannot go unnoticed.
 */
final class StartupReport {
  private static final String[] STARTER_TRANSPORTS = {
      "mailVerifySmtpTransport", "mailVerifyConsoleTransport", "mailVerifyOutbox", "mailVerifyFileTransport"};

  private StartupReport() {}

  static String describe(MailVerifyProperties properties, Environment environment, ListableBeanFactory beans,
      CodeStore store, RateLimiter limiter, MailVerifyDelivery delivery, @Nullable RecipientCheck recipientCheck) {
    boolean sharedStore = isBean(beans, MailVerifyStoreConfiguration.SHARED_STORE, store);
    String storeText;
    if (sharedStore) {
      storeText = name(store) + " (" + InMemoryStoreGuard.TYPE + "="
          + properties.getStore().getType().name().toLowerCase(Locale.ROOT) + ": found "
          + (name(store).contains("redis") ? "a LettuceConnectionFactory bean and verification-redis"
              : "a DataSource bean and verification-jdbc") + ")";
    } else if (isBean(beans, MailVerifyStoreConfiguration.MEMORY_STORE, store)) {
      storeText = "in-memory (" + InMemoryStoreGuard.check(properties, beans, environment) + ")";
    } else {
      storeText = store.getClass().getSimpleName() + " (the application's CodeStore bean)";
    }
    String limiterText;
    if (isBean(beans, MailVerifyStoreConfiguration.SHARED_RATE_LIMITER, limiter)) {
      limiterText = name(limiter) + " (with the store)";
    } else if (isBean(beans, "mailVerifyRateLimiter", limiter)) {
      limiterText = "in-memory" + (sharedStore || !isBean(beans, MailVerifyStoreConfiguration.MEMORY_STORE, store)
          ? " (WARNING: cooldowns and caps are counted per instance, not in the shared store)" : " (with the store)");
    } else {
      limiterText = limiter.getClass().getSimpleName() + " (the application's RateLimiter bean)";
    }
    String transportText;
    if (beans.containsBean("mailVerifyTestOutbox")) {
      transportText = "in-memory outbox (@AutoConfigureMailVerifyOutbox)";
    } else if (starterTransport(beans)) {
      transportText = delivery.transport() + " (" + TransportChoice.resolve(environment).reason() + ")";
    } else {
      transportText = delivery.transport() + " (the application's MailTransport bean)";
    }
    return "store=" + storeText + "; rate limiter=" + limiterText + "; transport=" + transportText
        + "; delivery=" + OutboxChoice.describe(properties, beans, delivery)
        + "; recipient check=" + RecipientCheckChoice.describe(beans, recipientCheck);
  }

  private static boolean starterTransport(ListableBeanFactory beans) {
    for (String name : STARTER_TRANSPORTS) {
      if (beans.containsBean(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBean(ListableBeanFactory beans, String name, Object instance) {
    return beans.containsBean(name) && beans.getBean(name) == instance;
  }

  private static String name(Object storeOrLimiter) {
    String simple = storeOrLimiter.getClass().getSimpleName();
    return simple.startsWith("Redis") ? "redis" : simple.startsWith("Jdbc") ? "jdbc" : simple;
  }
}
