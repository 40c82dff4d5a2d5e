package dev.mailverify.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.StoreUnavailableException;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.TcpProxy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * C29: a Redis outage is bounded and typed. A loopback proxy in front of 127.0.0.1:6379 stops
 * answering (pause) or refuses connections (refuse); calls fail with
 * {@link StoreUnavailableException} within the timeout, a send sends no mail, and the same store
 * and service work again once the proxy is back.
 */
class RedisOutageTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  /** The timeout plus room for a loaded 2-core machine; far below any hang. */
  private static final Duration BOUND = Duration.ofMillis(1_500);
  private static final byte[] SECRET = "a shared secret of at least 32 bytes, for tests".getBytes(StandardCharsets.UTF_8);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private TcpProxy proxy;
  private String prefix;
  private RedisClient direct;

  @BeforeEach
  void startProxy() throws IOException {
    RedisServers.requireStandalone();
    proxy = new TcpProxy(RedisServers.PORT);
    prefix = RedisServers.randomPrefix();
    direct = RedisClient.create(RedisServers.URI);
  }

  /** The proxy's Redis URI. */
  private String uri() {
    return "redis://127.0.0.1:" + proxy.port();
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
        RedisServers.deleteAll(c.sync(), prefix);
      }
      direct.shutdown();
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    opened.add(c);
    return c;
  }

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final CodeKey KEY = new CodeKey(VerificationType.REGISTER, "a@example.com");

  private static byte[] mac(int b) {
    byte[] m = new byte[32];
    m[0] = (byte) b;
    return m;
  }

  /** Runs the call, expecting StoreUnavailableException within the bound; returns it. */
  private static StoreUnavailableException failsWithinBound(Runnable call) {
    long start = System.nanoTime();
    Throwable thrown = null;
    try {
      call.run();
    } catch (Throwable t) {
      thrown = t;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(thrown).isInstanceOf(StoreUnavailableException.class);
    assertThat(took).isLessThan(BOUND);
    return (StoreUnavailableException) thrown;
  }

  /** Polls until the call succeeds, for at most 30 s (Lettuce reconnects with a growing delay). */
  private static void awaitWorking(Runnable call) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        call.run();
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
  @DisplayName("C29: Redis stops answering - a call fails with StoreUnavailableException within the timeout, naming host:port")
  void silentRedisTimesOut() {
    RedisCodeStore store = track(RedisCodeStore.builder(uri()).keyPrefix(prefix).timeout(TIMEOUT).build());
    store.issue(KEY, new PendingCode(mac(1), NOW.plusSeconds(600), 5, 0), NOW);
    proxy.pause();
    StoreUnavailableException e = failsWithinBound(() -> store.attempt(KEY, List.of(mac(1)), NOW));
    assertThat(e.getMessage()).contains("127.0.0.1:" + proxy.port()).contains("did not answer").contains("300 ms");
    proxy.resume();
    // Like any remote store, Redis may still run a call whose answer came too late (here it
    // consumed the code): the caller was told it failed, never that it succeeded.
    store.issue(KEY, new PendingCode(mac(3), NOW.plusSeconds(600), 5, 0), NOW);
    assertThat(store.attempt(KEY, List.of(mac(3)), NOW).outcome()).isEqualTo(AttemptResult.Outcome.MATCHED);
  }

  @Test
  @DisplayName("C29: connections refused - library-made and application-made clients both fail within the timeout, then recover")
  void refusedThenRecovers() throws IOException {
    RedisCodeStore own = track(RedisCodeStore.builder(uri()).keyPrefix(prefix).timeout(TIMEOUT).build());
    RedisClient appClient = RedisClient.create(uri());
    opened.add(appClient::shutdown);
    RedisRateLimiter appLimiter = track(RedisRateLimiter.builder(appClient).keyPrefix(prefix).timeout(TIMEOUT).build());
    own.issue(KEY, new PendingCode(mac(1), NOW.plusSeconds(600), 5, 0), NOW);

    proxy.refuse();
    StoreUnavailableException e = failsWithinBound(() -> own.attempt(KEY, List.of(mac(2)), NOW));
    assertThat(e.getMessage()).contains("127.0.0.1:" + proxy.port()).contains("not reachable");
    failsWithinBound(() -> appLimiter.tryAcquire("k", dev.mailverify.core.Quota.perHour(1), NOW));

    proxy.restore();
    awaitWorking(() -> own.invalidate(new CodeKey(VerificationType.LOGIN, "probe@example.com")));
    assertThat(own.attempt(KEY, List.of(mac(1)), NOW).outcome()).isEqualTo(AttemptResult.Outcome.MATCHED);
    awaitWorking(() -> appLimiter.release("probe", NOW));
    assertThat(appLimiter.tryAcquire("k", dev.mailverify.core.Quota.perHour(1), NOW).granted()).isTrue();
  }

  @Test
  @DisplayName("C29: a send whose code cannot be stored throws StoreUnavailableException and sends no mail; the same service works after")
  void sendDuringOutageSendsNoMail() throws IOException {
    RedisCodeStore store = track(RedisCodeStore.builder(uri()).keyPrefix(prefix).timeout(TIMEOUT).build());
    RedisRateLimiter limiter = track(RedisRateLimiter.builder(direct).keyPrefix(prefix).timeout(TIMEOUT).build());
    InMemoryOutbox outbox = MailTransport.inMemory();
    VerificationCodeService service = VerificationCodeService.builder()
        .transport(outbox).store(store).rateLimiter(limiter).secret(SECRET).build();

    proxy.pause(); // the limiter (direct) grants, storing the code times out
    failsWithinBound(() -> service.sendVerificationCode("paused@example.com", VerificationType.REGISTER,
        Duration.ofMinutes(10)));
    assertThat(outbox.size()).isZero();
    proxy.resume();

    proxy.refuse(); // refused
    failsWithinBound(() -> service.sendVerificationCode("cut@example.com", VerificationType.REGISTER,
        Duration.ofMinutes(10)));
    assertThat(outbox.size()).isZero();
    proxy.restore();

    awaitWorking(() -> store.invalidate(new CodeKey(VerificationType.LOGIN, "probe@example.com")));
    assertThat(service.sendVerificationCode("back@example.com", VerificationType.REGISTER, Duration.ofMinutes(10)))
        .isInstanceOf(SendResult.Sent.class);
    String code = outbox.latestCode("back@example.com").orElseThrow();
    assertThat(service.verifyCode("back@example.com", VerificationType.REGISTER, code))
        .isInstanceOf(VerifyResult.Verified.class);
  }

  @Test
  @DisplayName("C29: a store built on the application's connection bounds calls by its own timeout")
  void applicationConnectionIsBoundedToo() {
    RedisClient appClient = RedisClient.create(uri());
    opened.add(appClient::shutdown);
    StatefulRedisConnection<String, String> app = appClient.connect();
    opened.add(app);
    RedisCodeStore store = track(RedisCodeStore.builder(app).keyPrefix(prefix).timeout(TIMEOUT).build());
    assertThat(store.toString()).contains("6379"); // CLIENT INFO names the server's own address
    proxy.pause();
    failsWithinBound(() -> store.invalidate(KEY));
    proxy.resume();
    assertThat(store.invalidate(KEY)).isFalse();
  }

  @Test
  @DisplayName("C29: Redis down when the store is built - StoreUnavailableException naming host:port, not a hang")
  void unreachableAtBuild() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    int closedPort = port;
    StoreUnavailableException e = failsWithinBound(() -> RedisCodeStore.builder("redis://127.0.0.1:" + closedPort)
        .timeout(TIMEOUT).build());
    assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort);
  }

  @Test
  @DisplayName("C29: NOSCRIPT after SCRIPT FLUSH is handled - the script is sent again and the call succeeds")
  void noScriptIsHandled() {
    RedisCodeStore store = track(RedisCodeStore.builder(direct).keyPrefix(prefix).build());
    store.issue(KEY, new PendingCode(mac(1), NOW.plusSeconds(600), 5, 0), NOW);
    try (StatefulRedisConnection<String, String> c = direct.connect()) {
      c.sync().scriptFlush();
    }
    assertThat(store.attempt(KEY, List.of(mac(2)), NOW).remainingAttempts()).isEqualTo(4);
  }

  @Test
  @DisplayName("C29: LOADING, BUSY and cluster errors become messages that say what to check, quoting no arguments")
  void redisErrorsExplained() {
    StoreUnavailableException loading = RedisFailures.of("Redis at 127.0.0.1:6379", "attempt", TIMEOUT,
        new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory"));
    assertThat(loading.getMessage()).contains("127.0.0.1:6379").contains("LOADING").contains("loading its data set");
    assertThat(RedisFailures.explain("BUSY Redis is busy running a script. You can only call SCRIPT KILL"))
        .contains("SCRIPT KILL");
    assertThat(RedisFailures.explain("CLUSTERDOWN The cluster is down")).contains("CLUSTER INFO");
    assertThat(RedisFailures.explain("ERR secret-looking argument 123456")).doesNotContain("123456");
  }

  @Test
  @DisplayName("C29: close() closes what the store opened and leaves an application's connection open")
  void closeOwnership() {
    try (StatefulRedisConnection<String, String> app = direct.connect()) {
      RedisCodeStore onApp = RedisCodeStore.builder(app).keyPrefix(prefix).build();
      onApp.close();
      assertThat(app.isOpen()).isTrue();
      assertThat(app.sync().ping()).isEqualTo("PONG");
    }
    CodeStore own = RedisCodeStore.builder(RedisServers.URI).keyPrefix(prefix).build();
    ((RedisCodeStore) own).close();
    assertThatThrownBy(() -> own.invalidate(KEY)).isInstanceOf(StoreUnavailableException.class);
  }
}
