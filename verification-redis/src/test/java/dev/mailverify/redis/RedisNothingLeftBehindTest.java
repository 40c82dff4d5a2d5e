package dev.mailverify.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.test.NothingLeftBehindContract;
import dev.mailverify.test.TcpProxy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * C29 on Redis: the store talks to Redis through a loopback proxy that drops every byte (a black
 * hole, so a cut command never reaches Redis and cannot run late), the limiter on a direct
 * connection that stays up: the limit is taken, then the store dies. Once with the store taking
 * the address's permits in its own script (same prefix: the buckets are shared), once with the
 * service calling limiter and store separately (another prefix).
 */
class RedisNothingLeftBehindTest {
  /** No bound is tested here: long enough that a call that works never runs out on a loaded machine. */
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** The fixture both variants share. */
  abstract static class ThroughProxy extends NothingLeftBehindContract {
    private final List<AutoCloseable> opened = new ArrayList<>();
    private TcpProxy proxy;
    private RedisClient direct;
    private RedisCodeStore store;
    private RedisRateLimiter limiter;
    private final List<String> prefixes = new ArrayList<>();

    abstract boolean sharedPrefix();

    @BeforeEach
    void start() throws Exception {
      RedisServers.requireStandalone();
      proxy = new TcpProxy(RedisServers.PORT);
      direct = RedisClient.create(RedisServers.URI);
      String prefix = RedisServers.randomPrefix();
      String limiterPrefix = sharedPrefix() ? prefix : RedisServers.randomPrefix();
      prefixes.add(prefix);
      prefixes.add(limiterPrefix);
      store = RedisCodeStore.builder("redis://127.0.0.1:" + proxy.port()).keyPrefix(prefix).timeout(TIMEOUT).build();
      opened.add(store);
      limiter = RedisRateLimiter.builder(direct).keyPrefix(limiterPrefix).timeout(TIMEOUT).build();
      opened.add(limiter);
    }

    @AfterEach
    void stop() throws Exception {
      for (AutoCloseable c : opened) {
        c.close();
      }
      if (proxy != null) {
        proxy.close();
      }
      if (direct != null) {
        try (StatefulRedisConnection<String, String> c = direct.connect()) {
          for (String p : prefixes) {
            RedisServers.deleteAll(c.sync(), p);
          }
        }
        direct.shutdown();
      }
    }

    @Override
    protected CodeStore store() {
      return store;
    }

    @Override
    protected RateLimiter limiter() {
      return limiter;
    }

    @Override
    protected void cut() {
      proxy.blackHole();
    }

    @Override
    protected void restore() throws Exception {
      proxy.restore();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      CodeKey probe = new CodeKey(VerificationType.LOGIN, "probe@example.com");
      while (true) {
        try {
          store.invalidate(probe);
          return;
        } catch (StoreUnavailableException e) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("the store did not come back within 30 s", e);
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
      }
    }

    @Test
    @DisplayName("C28: the store takes the limiter's permits in its own scripts exactly when they share a prefix and a server")
    void pathIsTheOneUnderTest() {
      assertThat(store.sharesBucketsWith(limiter)).isEqualTo(sharedPrefix());
    }
  }

  @Nested
  @DisplayName("store and limiter share the buckets: the address's permits are taken in the store's script")
  class OneScript extends ThroughProxy {
    @Override
    boolean sharedPrefix() {
      return true;
    }
  }

  @Nested
  @DisplayName("store and limiter apart: the service gives back what the limiter granted")
  class SeparateCalls extends ThroughProxy {
    @Override
    boolean sharedPrefix() {
      return false;
    }
  }
}
