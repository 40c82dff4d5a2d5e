package dev.mailverify.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailverify.smtp.SmtpSecurity;
import dev.mailverify.smtp.SmtpSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The cached health check. */
class HealthProbeTest {
  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-29T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  @DisplayName("a probe every few seconds asks the server once per cache period (30 s)")
  void cached() {
    AtomicInteger calls = new AtomicInteger();
    MutableClock clock = new MutableClock();
    HealthProbe probe = new HealthProbe(() -> new HealthProbe.Result(calls.incrementAndGet() > 0, Map.of()), clock,
        Duration.ofSeconds(30));
    for (int i = 0; i < 10; i++) {
      assertThat(probe.result().up()).isTrue();
      clock.now = clock.now.plusSeconds(2);
    }
    assertThat(calls).hasValue(1);
    clock.now = clock.now.plusSeconds(10);
    probe.result();
    assertThat(calls).hasValue(2);
  }

  @Test
  @DisplayName("C23: a server that accepts and never answers is DOWN within about the read timeout")
  void silentServerIsBounded() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      SmtpSettings settings = SmtpSettings.builder().host("127.0.0.1").port(silent.getLocalPort())
          .security(SmtpSecurity.PLAIN).from("app@example.com").timeout(Duration.ofMillis(500)).build();
      HealthProbe probe = new HealthProbe(HealthProbe.smtp(settings), Clock.systemUTC(), Duration.ofSeconds(30));
      long start = System.nanoTime();
      HealthProbe.Result r = probe.result();
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertThat(r.up()).isFalse();
      assertThat(millis).isLessThan(5_000);
      assertThat(r.details()).containsKey("failedStep");
    }
  }

  @Test
  @DisplayName("C29: a store outage makes the store probe DOWN, and UP again when it is back")
  void storeProbe() {
    SharedStoreStandIn store = new SharedStoreStandIn();
    MutableClock clock = new MutableClock();
    HealthProbe probe = new HealthProbe(HealthProbe.store(store, clock), clock, Duration.ofSeconds(30));
    assertThat(probe.result().up()).isTrue();
    store.down = true;
    clock.now = clock.now.plusSeconds(31);
    assertThat(probe.result().up()).isFalse();
    store.down = false;
    clock.now = clock.now.plusSeconds(31);
    assertThat(probe.result().up()).isTrue();
  }
}
