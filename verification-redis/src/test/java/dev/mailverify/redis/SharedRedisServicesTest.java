package dev.mailverify.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifiedEmail;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.transport.InMemoryOutbox;
import dev.mailverify.test.MutableClock;
import dev.mailverify.test.Race;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * C28: two services, each with its own Redis client, sharing one Redis and one secret behave as
 * one: a code sent through one verifies on the other, a token redeems once across both, and
 * cooldowns, caps and failed-try budgets count across both. C14: nothing in Redis reveals a code
 * or token.
 */
class SharedRedisServicesTest {
  private static final byte[] SECRET = "one secret shared by every instance, 32+ bytes".getBytes(StandardCharsets.UTF_8);
  private static final VerificationType TYPE = VerificationType.REGISTER;
  private static final Duration TTL = Duration.ofMinutes(10);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private String prefix;
  private RedisClient clientA;
  private RedisClient clientB;
  private InMemoryOutbox outboxA;
  private InMemoryOutbox outboxB;
  private VerificationCodeService a;
  private VerificationCodeService b;

  @BeforeEach
  void twoInstances() {
    RedisServers.requireStandalone();
    prefix = RedisServers.randomPrefix();
    clientA = RedisClient.create(RedisServers.URI);
    clientB = RedisClient.create(RedisServers.URI);
    outboxA = MailTransport.inMemory();
    outboxB = MailTransport.inMemory();
    a = service(clientA, outboxA);
    b = service(clientB, outboxB);
  }

  private VerificationCodeService service(RedisClient client, InMemoryOutbox outbox) {
    RedisCodeStore store = RedisCodeStore.builder(client).keyPrefix(prefix).build();
    RedisRateLimiter limiter = RedisRateLimiter.builder(client).keyPrefix(prefix).build();
    opened.add(store);
    opened.add(limiter);
    return VerificationCodeService.builder()
        .transport(outbox)
        .store(store)
        .rateLimiter(limiter)
        .clock(clock)
        .secret(SECRET)
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    if (clientA != null) {
      try (StatefulRedisConnection<String, String> c = clientA.connect()) {
        RedisServers.deleteAll(c.sync(), prefix);
      }
      clientA.shutdown();
      clientB.shutdown();
    }
  }

  private String dump() {
    try (StatefulRedisConnection<String, String> c = clientA.connect()) {
      return RedisServers.dump(c.sync(), prefix);
    }
  }

  private int mails() {
    return outboxA.size() + outboxB.size();
  }

  @Test
  @DisplayName("C28: sent on one instance, verified on the other, redeemed exactly once across both")
  void sendOnOneVerifyOnOther() throws Exception {
    assertThat(a.sendVerificationCode("Ann@Example.com", TYPE, TTL)).isInstanceOf(SendResult.Sent.class);
    String code = outboxA.latestCode("ann@example.com").orElseThrow();
    VerifyResult verified = b.verifyCode("ann@example.com", TYPE, code);
    assertThat(verified).isInstanceOf(VerifyResult.Verified.class);
    assertThat(a.verifyCode("ann@example.com", TYPE, code)).isInstanceOf(VerifyResult.NotFound.class);

    String token = ((VerifyResult.Verified) verified).token();
    List<Optional<VerifiedEmail>> redeemed = Race.run(20,
        i -> (i % 2 == 0 ? a : b).redeem(token, TYPE));
    assertThat(redeemed.stream().filter(Optional::isPresent)).hasSize(1);
    assertThat(redeemed.stream().flatMap(Optional::stream).findFirst().orElseThrow().email())
        .isEqualToIgnoringCase("ann@example.com");
  }

  @Test
  @DisplayName("C28: one send leaves its code and the address's buckets in one hash, in one hash slot")
  void oneSendsKeysShareOneSlot() {
    assertThat(a.sendVerificationCode("slot@example.com", TYPE, TTL)).isInstanceOf(SendResult.Sent.class);
    try (StatefulRedisConnection<String, String> c = clientA.connect()) {
      List<String> keys = RedisServers.keys(c.sync(), prefix);
      assertThat(keys).hasSize(1).allSatisfy(k -> assertThat(k).endsWith("{slot@example.com}"));
      assertThat(keys.stream().map(SlotHash::getSlot).distinct()).hasSize(1);
    }
  }

  @Test
  @DisplayName("C10, C28: 20 concurrent sends across both instances inside one cooldown deliver exactly one mail")
  void cooldownAcrossInstances() throws Exception {
    List<SendResult> results = Race.run(20,
        i -> (i % 2 == 0 ? a : b).sendVerificationCode("race@example.com", TYPE, TTL));
    assertThat(results.stream().filter(r -> r instanceof SendResult.Sent)).hasSize(1);
    assertThat(results.stream().filter(r -> r instanceof SendResult.RateLimited rl
        && rl.limit() == SendResult.Limit.COOLDOWN)).hasSize(19);
    assertThat(mails()).isEqualTo(1);
  }

  @Test
  @DisplayName("C11, C28: the hourly per-address cap counts sends on both instances")
  void capAcrossInstances() {
    for (int i = 0; i < 5; i++) {
      assertThat((i % 2 == 0 ? a : b).sendVerificationCode("cap@example.com", TYPE, TTL))
          .as("send %d", i).isInstanceOf(SendResult.Sent.class);
      clock.advance(Duration.ofSeconds(61)); // past the cooldown
    }
    assertThat(b.sendVerificationCode("cap@example.com", TYPE, TTL)).isInstanceOfSatisfying(
        SendResult.RateLimited.class, r -> assertThat(r.limit()).isEqualTo(SendResult.Limit.ADDRESS_QUOTA));
    assertThat(mails()).isEqualTo(5);
  }

  @Test
  @DisplayName("C6, C7, C28: wrong tries count across instances, per code and across codes")
  void failedTriesAcrossInstances() {
    String email = "guess@example.com";
    for (int round = 0; round < 4; round++) {
      String code = send(round, email);
      String wrong = code.equals("000000") ? "111111" : "000000";
      for (int t = 0; t < 5; t++) {
        assertThat((t % 2 == 0 ? a : b).verifyCode(email, TYPE, wrong)).as("round %d try %d", round, t)
            .isEqualTo(new VerifyResult.Invalid(4 - t));
      }
      assertThat(a.verifyCode(email, TYPE, code)).as("locked after 5 tries on two instances")
          .isInstanceOf(VerifyResult.Locked.class);
      clock.advance(Duration.ofSeconds(61)); // past the cooldown
    }
    // 20 failed tries in the hour: even a fresh code's right value is refused, on either instance
    String fresh = send(1, email);
    assertThat(a.verifyCode(email, TYPE, fresh)).isInstanceOf(VerifyResult.Locked.class);
    assertThat(b.verifyCode(email, TYPE, fresh)).isInstanceOf(VerifyResult.Locked.class);
  }

  /** Sends through instance a (even n) or b (odd n) and returns the code from its outbox. */
  private String send(int n, String email) {
    VerificationCodeService service = n % 2 == 0 ? a : b;
    InMemoryOutbox outbox = n % 2 == 0 ? outboxA : outboxB;
    assertThat(service.sendVerificationCode(email, TYPE, TTL)).isInstanceOf(SendResult.Sent.class);
    return outbox.latestCode(email).orElseThrow();
  }

  @Test
  @DisplayName("C14: after a real send, verify and redeem, no key or value in Redis holds the code or the token")
  void redisHoldsNoCodeOrToken() {
    a.sendVerificationCode("secret@example.com", TYPE, TTL);
    String code = outboxA.latestCode("secret@example.com").orElseThrow();
    String pending = dump();
    assertThat(pending).contains("secret@example.com").doesNotContain(code);

    VerifyResult.Verified v = (VerifyResult.Verified) b.verifyCode("secret@example.com", TYPE, code);
    String withToken = dump();
    assertThat(withToken).contains("token:{").doesNotContain(code).doesNotContain(v.token());
    assertThat(a.redeem(v.token(), TYPE)).isPresent();
    assertThat(dump()).doesNotContain(code).doesNotContain(v.token()).doesNotContain("token:{");
  }

  @Test
  @DisplayName("Memory: MEMORY USAGE of every key one pending verification leaves in Redis (reported, bounded)")
  void memoryOfOneSend() {
    a.sendVerificationCode("someone.long.name@example.com", TYPE, TTL);
    try (StatefulRedisConnection<String, String> c = clientA.connect()) {
      long total = 0;
      StringBuilder each = new StringBuilder();
      for (String key : RedisServers.keys(c.sync(), prefix)) {
        long bytes = c.sync().memoryUsage(key);
        total += bytes;
        each.append(' ').append(key.substring(prefix.length())).append('=').append(bytes);
      }
      System.err.println("[mailverify] MEMORY USAGE after one send (default policy): " + total + " bytes:" + each);
      assertThat(total).isPositive().isLessThan(2_000);
    }
  }

  @Test
  @DisplayName("Memory: 10,000 pending sends with the default policy take at most 400 bytes of used_memory each")
  void usedMemoryPerPendingSend() {
    int sends = 10_000;
    try (StatefulRedisConnection<String, String> c = clientA.connect()) {
      long before = usedMemory(c);
      for (int i = 0; i < sends; i++) {
        assertThat(a.sendVerificationCode("user" + (100_000 + i) + "@example.com", TYPE, TTL))
            .isInstanceOf(SendResult.Sent.class);
      }
      long after = usedMemory(c);
      List<String> keys = RedisServers.keys(c.sync(), prefix);
      long usage = 0;
      for (String key : keys) {
        usage += c.sync().memoryUsage(key);
      }
      RedisServers.deleteAll(c.sync(), prefix);
      long cleared = usedMemory(c);
      // the server is shared: another client's writes inflate the rise, its deletes the fall, so
      // the smaller of the two is the estimate (both are printed)
      long rise = (after - before) / sends;
      long fall = (after - cleared) / sends;
      System.err.println("[mailverify] per pending send (default policy, " + sends + " sends): used_memory rise "
          + rise + " B, fall on delete " + fall + " B; MEMORY USAGE " + usage / sends + " B in "
          + keys.size() + " keys");
      assertThat(keys).as("one hash per address").hasSize(sends);
      assertThat(usage / sends).as("MEMORY USAGE per send").isLessThanOrEqualTo(400);
      assertThat(Math.min(rise, fall)).as("used_memory per send").isLessThanOrEqualTo(400);
    }
  }

  private static long usedMemory(StatefulRedisConnection<String, String> c) {
    for (String line : c.sync().info("memory").split("\r?\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).strip());
      }
    }
    throw new AssertionError("INFO memory has no used_memory line");
  }

  @Test
  @DisplayName("C28: a service with a Redis store and no secret refuses to build")
  void sharedStoreNeedsSecret() {
    RedisCodeStore store = RedisCodeStore.builder(clientA).keyPrefix(prefix).build();
    opened.add(store);
    assertThatThrownBy(() -> VerificationCodeService.builder().transport(MailTransport.inMemory()).store(store).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("secret");
  }
}
