package dev.mailverify.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailverify.core.AddressChange;
import dev.mailverify.core.LinkRequest;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.SendRequest;
import dev.mailverify.core.Quota;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.transport.InMemoryOutbox;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.AttemptResult.Outcome;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.LimitingCodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.TokenRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit every {@link CodeStore} must pass: the store rules of the contract (C3,
 * C4, C5, C6, C8, C9, C14) including the race tests of C8 with real threads. Extend it, return a
 * fresh, empty store from {@link #createStore()}, and a dump of everything the store holds from
 * {@link #dump(CodeStore)}; every store of mailverify (in memory, Redis, JDBC) passes it.
 *
 * <pre>{@code
 * class ConcurrentMapCodeStoreTest extends CodeStoreContract {
 *   @Override
 *   protected CodeStore createStore() {
 *     return new ConcurrentMapCodeStore();
 *   }
 *
 *   @Override
 *   protected String dump(CodeStore store) {
 *     return ((ConcurrentMapCodeStore) store).dump();
 *   }
 * }
 * }</pre>
 *
 * <p>The tests call the store directly with fixed instants (the store never reads a clock) and
 * stand-in MACs from {@link #mac(String)}. Each test gets a new instance of the subclass and a new
 * store, so a subclass may keep the store's connection or table name in instance fields. The race
 * tests start up to {@value #THREADS} threads at once through {@link Race}.
 *
 * <p>The resend grace tests ({@code grace*}; issue 21) run when
 * {@link CodeStore#supportsResendGrace()} is true, with the plain issue and, for a
 * {@link LimitingCodeStore} that shares its buckets, with the permit-taking one; a store without
 * the grace skips them and must still pass {@code c4ZeroGraceKillsTheOldCode}.
 */
public abstract class CodeStoreContract {

  /** Threads used by the race tests. */
  protected static final int THREADS = 100;

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final VerificationType REG = VerificationType.REGISTER;

  /** The store under test, fresh for every test. */
  protected CodeStore store;

  /** For subclasses. */
  protected CodeStoreContract() {}

  /**
   * Returns a new, empty store; called before each test.
   *
   * @return the store; not null
   */
  protected abstract CodeStore createStore();

  /**
   * Returns everything the store holds as text (keys and values, as an operator's dump would show
   * them), for the C14 test that no code or token is stored in clear. It must show the addresses.
   *
   * @param store the store from {@link #createStore()}
   * @return the dump; not null
   */
  protected abstract String dump(CodeStore store);

  @BeforeEach
  void createFreshStore() {
    store = createStore();
  }

  /**
   * Returns a 32-byte MAC standing for a code (tests do not need a real HMAC).
   *
   * @param code the code
   * @return 32 bytes
   */
  protected static byte[] mac(String code) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static CodeKey key(String address) {
    return new CodeKey(VerificationType.REGISTER, address);
  }

  private void issue(CodeKey key, String code, int maxAttempts) {
    store.issue(key, new PendingCode(mac(code), T0.plus(TTL), maxAttempts, 0), T0);
  }

  private AttemptResult attempt(CodeKey key, String code, Instant at) {
    return store.attempt(key, List.of(mac(code)), at);
  }

  @Test
  @DisplayName("C4: the right code matches once, then the code is gone")
  void rightCodeMatchesOnce() {
    CodeKey k = key("a@example.com");
    issue(k, "123456", 5);
    assertEquals(Outcome.MATCHED, attempt(k, "123456", T0).outcome());
    assertEquals(Outcome.NOT_FOUND, attempt(k, "123456", T0).outcome());
  }

  @Test
  @DisplayName("C4: a new code replaces the old one, which stops working")
  void reissueReplacesOldCode() {
    CodeKey k = key("a@example.com");
    issue(k, "111111", 5);
    issue(k, "222222", 5);
    assertEquals(Outcome.MISMATCHED, attempt(k, "111111", T0).outcome());
    assertEquals(Outcome.MATCHED, attempt(k, "222222", T0).outcome());
  }

  @Test
  @DisplayName("C5: a code is bound to its address and type")
  void codeBoundToAddressAndType() {
    issue(key("a@example.com"), "123456", 5);
    assertEquals(Outcome.NOT_FOUND, attempt(key("b@example.com"), "123456", T0).outcome());
    assertEquals(Outcome.NOT_FOUND, store.attempt(new CodeKey(VerificationType.RESET_PASSWORD, "a@example.com"),
        List.of(mac("123456")), T0).outcome());
    assertEquals(Outcome.MATCHED, attempt(key("a@example.com"), "123456", T0).outcome());
  }

  @Test
  @DisplayName("C3: a code works at TTL-1ms and is expired at TTL+1ms; wrong guesses never extend it")
  void expiryIsExactAndNotExtended() {
    CodeKey k = key("a@example.com");
    issue(k, "123456", 5);
    assertEquals(Outcome.MISMATCHED, attempt(k, "000000", T0.plus(TTL).minusMillis(2)).outcome());
    assertEquals(Outcome.EXPIRED, attempt(k, "123456", T0.plus(TTL).plusMillis(1)).outcome());

    CodeKey k2 = key("b@example.com");
    issue(k2, "123456", 5);
    assertEquals(Outcome.MATCHED, attempt(k2, "123456", T0.plus(TTL).minusMillis(1)).outcome());
  }

  @Test
  @DisplayName("C6: after maxAttempts wrong tries the code is locked, even for the right value")
  void lockAfterMaxAttempts() {
    CodeKey k = key("a@example.com");
    issue(k, "123456", 5);
    for (int remaining = 4; remaining >= 0; remaining--) {
      AttemptResult r = attempt(k, "000000", T0);
      assertEquals(Outcome.MISMATCHED, r.outcome());
      assertEquals(remaining, r.remainingAttempts());
    }
    assertEquals(Outcome.LOCKED, attempt(k, "123456", T0).outcome());
  }

  @Test
  @DisplayName("C14: rotation - any of several candidates may match (current and previous secret)")
  void anyCandidateMatches() {
    CodeKey k = key("a@example.com");
    issue(k, "old-secret-mac", 5);
    assertEquals(Outcome.MATCHED, store.attempt(k, List.of(mac("new-secret-mac"), mac("old-secret-mac")), T0).outcome());
  }

  @Test
  @DisplayName("C2: an empty candidate list never matches but counts as a try")
  void emptyCandidatesCountAsTry() {
    CodeKey k = key("a@example.com");
    issue(k, "123456", 5);
    AttemptResult r = store.attempt(k, List.of(), T0);
    assertEquals(Outcome.MISMATCHED, r.outcome());
    assertEquals(4, r.remainingAttempts());
  }

  @Test
  @DisplayName("C25: invalidate removes the pending code")
  void invalidateRemoves() {
    CodeKey k = key("a@example.com");
    issue(k, "123456", 5);
    assertTrue(store.invalidate(k));
    assertFalse(store.invalidate(k));
    assertEquals(Outcome.NOT_FOUND, attempt(k, "123456", T0).outcome());
  }

  @Test
  @DisplayName("C9: a token is taken once, and never after its expiry")
  void tokenTakenOnce() {
    Instant expires = T0.plus(Duration.ofMinutes(15));
    store.storeToken("hash-1", new TokenRecord("a@example.com", VerificationType.REGISTER, T0, expires), T0);
    store.storeToken("hash-2", new TokenRecord("a@example.com", VerificationType.REGISTER, T0, expires), T0);
    Optional<TokenRecord> first = store.takeToken("hash-1", null, T0);
    assertTrue(first.isPresent(), "the token was not taken");
    TokenRecord r = first.get();
    assertEquals("a@example.com", r.address());
    assertEquals(VerificationType.REGISTER, r.type());
    assertEquals(T0, r.verifiedAt());
    assertEquals(expires, r.expiresAt());
    assertTrue(store.takeToken("hash-1", null, T0).isEmpty());
    assertTrue(store.takeToken("hash-2", null, expires.plusMillis(1)).isEmpty());
    assertTrue(store.takeToken("unknown", null, T0).isEmpty());
  }

  @Test
  @DisplayName("C14: a dump of the store holds no code and no token, only their hashes")
  void dumpHoldsNoSecrets() {
    String code = "493817";
    store.issue(key("a@example.com"), new PendingCode(mac(code), T0.plus(TTL), 5, 0), T0);
    String token = "tok_3dG7xQpL9vWm2ZkR8sYb4NcHf6JtUa1EoIyPq0-";
    String tokenHash = HexFormat.of().formatHex(mac(token));
    store.storeToken(tokenHash, new TokenRecord("a@example.com", VerificationType.REGISTER, T0, T0.plus(TTL)), T0);
    String dump = dump(store);
    assertTrue(dump.contains("a@example.com"), "the dump shows no address, so it cannot be the whole store");
    assertFalse(dump.contains(code), "C14: the dump holds the code");
    assertFalse(dump.contains(token), "C14: the dump holds the token");
  }

  @Test
  @DisplayName("C8: 100 threads guessing wrong at once - exactly 5 are evaluated, the rest see Locked")
  void raceWrongGuesses() throws Exception {
    CodeKey k = key("race@example.com");
    issue(k, "123456", 5);
    List<AttemptResult> results = race(THREADS, i -> attempt(k, String.format("%06d", i + 200000), T0));
    assertEquals(5, count(results, r -> r.outcome() == Outcome.MISMATCHED));
    assertEquals(THREADS - 5, count(results, r -> r.outcome() == Outcome.LOCKED));
    assertEquals(List.of(0, 1, 2, 3, 4), results.stream().filter(r -> r.outcome() == Outcome.MISMATCHED)
        .map(AttemptResult::remainingAttempts).sorted().toList());
  }

  @Test
  @DisplayName("C8: 50 threads sending the right code at once - exactly one gets a match")
  void raceRightCode() throws Exception {
    CodeKey k = key("race@example.com");
    issue(k, "123456", 5);
    List<AttemptResult> results = race(50, i -> attempt(k, "123456", T0));
    assertEquals(1, count(results, r -> r.outcome() == Outcome.MATCHED));
  }

  @Test
  @DisplayName("C8: 1 right and 99 wrong at once - at most one success, never a success after the lock")
  void raceOneRightManyWrong() throws Exception {
    for (int round = 0; round < 20; round++) {
      CodeKey k = key("race" + round + "@example.com");
      issue(k, "123456", 5);
      int right = round * 5 % THREADS;
      Map<Integer, AttemptResult> byThread = new ConcurrentHashMap<>();
      race(THREADS, i -> {
        AttemptResult r = attempt(k, i == right ? "123456" : String.format("%06d", 900000 + i), T0);
        byThread.put(i, r);
        return r;
      });
      long matched = byThread.values().stream().filter(r -> r.outcome() == Outcome.MATCHED).count();
      long mismatched = byThread.values().stream().filter(r -> r.outcome() == Outcome.MISMATCHED).count();
      assertTrue(matched <= 1, "matches: " + matched);
      // Evaluations are bounded by maxAttempts: a match is one of at most 5 evaluated tries.
      assertTrue(matched + mismatched <= 5, "evaluated tries: " + (matched + mismatched));
      if (matched == 1) {
        // the match consumed the code, so the match cannot have come after the 5th wrong try
        assertTrue(mismatched <= 4, "wrong tries evaluated beside the match: " + mismatched);
      }
    }
  }

  @Test
  @DisplayName("C4, C8: a resend racing 99 threads with the old code - at most one match, none after the resend returned")
  void raceResendAgainstOldCode() throws Exception {
    raceChangeAgainstOldCode("resend", k -> issue(k, "654321", 200), r -> r.outcome() != Outcome.MATCHED,
        k -> assertEquals(Outcome.MATCHED, attempt(k, "654321", T0).outcome()));
  }

  @Test
  @DisplayName("C8, C25: invalidate racing 99 threads with the right code - at most one match, none after it returned")
  void raceInvalidateAgainstRightCode() throws Exception {
    raceChangeAgainstOldCode("invalidate", store::invalidate, r -> r.outcome() == Outcome.NOT_FOUND,
        k -> assertEquals(Outcome.NOT_FOUND, attempt(k, "123456", T0).outcome()));
  }

  /**
   * For 20 rounds, races one thread that changes a key's pending code ("123456", 200 tries) against
   * 99 threads trying that code. At most one try matches, and every try that starts after the
   * change has returned must pass {@code afterChange}; {@code finally_} then checks the key.
   */
  private void raceChangeAgainstOldCode(String name, Consumer<CodeKey> change, Predicate<AttemptResult> afterChange,
      Consumer<CodeKey> finally_) throws Exception {
    for (int round = 0; round < 20; round++) {
      CodeKey k = key(name + round + "@example.com");
      issue(k, "123456", 200);
      AtomicBoolean changed = new AtomicBoolean();
      int changer = round;
      List<Optional<AttemptResult>> results = race(THREADS, i -> {
        if (i == changer) {
          change.accept(k);
          changed.set(true);
          return Optional.empty(); // the changing thread tries no code
        }
        boolean afterChangeReturned = changed.get();
        AttemptResult r = attempt(k, "123456", T0);
        if (afterChangeReturned && !afterChange.test(r)) {
          throw new AssertionError(name + ": a try that started after it returned gave " + r);
        }
        return Optional.of(r);
      });
      long matches = count(results, r -> r.isPresent() && r.get().outcome() == Outcome.MATCHED);
      assertTrue(matches <= 1, name + ": matches: " + matches);
      assertNotEquals(Outcome.MATCHED, attempt(k, "123456", T0).outcome());
      finally_.accept(k);
    }
  }

  @Test
  @DisplayName("C9: 50 threads taking one token at once - exactly one gets it")
  void raceTakeToken() throws Exception {
    store.storeToken("hash-race", new TokenRecord("a@example.com", VerificationType.REGISTER, T0,
        T0.plus(Duration.ofMinutes(15))), T0);
    List<Optional<TokenRecord>> results = race(50, i -> store.takeToken("hash-race", null, T0));
    assertEquals(1, count(results, Optional::isPresent));
  }

  @Test
  @DisplayName("C9: a token is taken for its own address only; another address leaves it in place")
  void tokenTakenOnlyForItsAddress() {
    Instant expires = T0.plus(Duration.ofMinutes(15));
    store.storeToken("hash-a", new TokenRecord("Ann@example.com", VerificationType.REGISTER, T0, expires), T0);
    assertTrue(store.takeToken("hash-a", "bob@example.com", T0).isEmpty());
    assertTrue(store.takeToken("hash-a", "ann@example.org", T0).isEmpty());
    assertEquals("Ann@example.com", store.takeToken("hash-a", "ann@example.com", T0).map(TokenRecord::address)
        .orElse("(nothing taken)"));
    assertTrue(store.takeToken("hash-a", "ann@example.com", T0).isEmpty());
    assertTrue(store.takeToken("hash-a", null, T0).isEmpty());

    store.storeToken("hash-b", new TokenRecord("b@example.com", VerificationType.REGISTER, T0, expires), T0);
    assertTrue(store.takeToken("hash-b", "b@example.com", expires).isEmpty(), "expired");
    assertTrue(store.takeToken("unknown", "b@example.com", T0).isEmpty());
  }

  @Test
  @DisplayName("C8, C9: 50 threads taking one token for its address while 50 try other addresses - exactly one gets it")
  void raceTakeTokenForAddress() throws Exception {
    store.storeToken("hash-addr", new TokenRecord("a@example.com", VerificationType.REGISTER, T0,
        T0.plus(Duration.ofMinutes(15))), T0);
    List<Optional<TokenRecord>> results = race(100,
        i -> store.takeToken("hash-addr", i % 2 == 0 ? "a@example.com" : "x" + i + "@example.com", T0));
    assertEquals(1, count(results, Optional::isPresent));
    assertTrue(store.takeToken("hash-addr", null, T0).isEmpty());
  }

  // ---- LimitingCodeStore: permits taken with the store operation (run when the store is one) ----

  /**
   * Returns a limiter that keeps its buckets where the store does, so that
   * {@link LimitingCodeStore#sharesBucketsWith} holds for it (for Redis: a limiter with the same
   * key prefix on the same server). Called only when the store is a {@link LimitingCodeStore};
   * such a store's test must override it.
   *
   * @param store the store from {@link #createStore()}
   * @return the limiter; not null
   */
  protected RateLimiter sharedLimiter(CodeStore store) {
    throw new AssertionError(store.getClass().getName() + " is a LimitingCodeStore: its test must override"
        + " CodeStoreContract.sharedLimiter to return the limiter that shares its buckets");
  }

  /**
   * The store as a {@link LimitingCodeStore}, if it is one and shares its buckets with
   * {@link #sharedLimiter}; otherwise the calling test is skipped (the service would call the
   * limiter and the store separately, which the other tests cover).
   */
  private LimitingCodeStore limiting() {
    assumeTrue(store instanceof LimitingCodeStore, "the store takes no permits itself; the service calls the limiter");
    LimitingCodeStore s = (LimitingCodeStore) store;
    assumeTrue(s.sharesBucketsWith(sharedLimiter(store)),
        "the store takes permits only with a limiter whose buckets it shares, which it does not here");
    return s;
  }

  private static LimitingCodeStore.Permit permit(String bucket, int limit, Duration window) {
    return new LimitingCodeStore.Permit(bucket, new Quota(limit, window));
  }

  @Test
  @DisplayName("C28: a LimitingCodeStore never shares buckets with an in-memory limiter")
  void limitingStoreKnowsItsLimiter() {
    assumeTrue(store instanceof LimitingCodeStore, "the store takes no permits itself; the service calls the limiter");
    assertFalse(((LimitingCodeStore) store).sharesBucketsWith(RateLimiter.inMemory()));
  }

  @Test
  @DisplayName("C10, C11, C29: a limiting issue takes every permit with the code, or, refused, none and keeps the old code")
  void limitingIssueTakesAllOrNothing() {
    LimitingCodeStore s = limiting();
    RateLimiter limiter = sharedLimiter(store);
    CodeKey k = key("lim@example.com");
    String cooldown = "cooldown:register:lim@example.com";
    String cap = "address:register:lim@example.com";
    List<LimitingCodeStore.Permit> permits =
        List.of(permit(cooldown, 1, Duration.ofSeconds(60)), permit(cap, 3, Duration.ofHours(1)));

    assertEquals(Optional.empty(), s.issue(k, new PendingCode(mac("111111"), T0.plus(TTL), 5, 0), permits, T0));
    Optional<LimitingCodeStore.Refusal> refused =
        s.issue(k, new PendingCode(mac("222222"), T0.plus(TTL), 5, 0), permits, T0.plusSeconds(10));
    assertEquals(0, refused.map(LimitingCodeStore.Refusal::index).orElse(-1), "the cooldown refuses");
    assertEquals(Duration.ofSeconds(50), refused.map(LimitingCodeStore.Refusal::retryAfter).orElse(Duration.ZERO));
    // the refused issue took no permit of the cap (1 of 3 taken) and left the first code in place
    assertTrue(limiter.tryAcquire(cap, new Quota(3, Duration.ofHours(1)), T0.plusSeconds(11)).granted());
    assertTrue(limiter.tryAcquire(cap, new Quota(3, Duration.ofHours(1)), T0.plusSeconds(11)).granted());
    assertFalse(limiter.tryAcquire(cap, new Quota(3, Duration.ofHours(1)), T0.plusSeconds(11)).granted());
    assertEquals(Outcome.MATCHED, attempt(k, "111111", T0.plusSeconds(12)).outcome());
  }

  @Test
  @DisplayName("C8, C9: a limiting attempt that also stores the token stores it on a match only, once, with the"
      + " code consumed; a wrong or second try stores nothing")
  void limitingAttemptStoresTheTokenOnlyOnAMatch() {
    LimitingCodeStore s = limiting();
    CodeKey k = key("token@example.com");
    LimitingCodeStore.Permit budget = permit("failures:register:token@example.com", 10, Duration.ofHours(1));
    TokenRecord record = new TokenRecord("token@example.com", VerificationType.REGISTER, T0, T0.plus(TTL));
    s.issue(k, new PendingCode(mac("123456"), T0.plus(TTL), 5, 0), List.of(), T0);

    assertEquals(Optional.of(Outcome.MISMATCHED), s.attemptAndStoreToken(k, List.of(mac("000000")), budget,
        "hash-wrong", record, T0).map(AttemptResult::outcome));
    assertTrue(store.takeToken("hash-wrong", null, T0).isEmpty(), "a wrong try stores no token");
    assertEquals(Optional.of(Outcome.MATCHED), s.attemptAndStoreToken(k, List.of(mac("123456")), budget,
        "hash-right", record, T0).map(AttemptResult::outcome));
    assertEquals(Optional.of(Outcome.NOT_FOUND), s.attemptAndStoreToken(k, List.of(mac("123456")), budget,
        "hash-again", record, T0).map(AttemptResult::outcome), "the code was consumed");
    assertTrue(store.takeToken("hash-again", null, T0).isEmpty(), "a try after the match stores no token");
    assertEquals(Optional.of(record), store.takeToken("hash-right", "token@example.com", T0));
  }

  @Test
  @DisplayName("C29: a limiting issue replayed after a timeout (the same code) takes no second permit")
  void limitingIssueReplayTakesNothing() {
    LimitingCodeStore s = limiting();
    CodeKey k = key("replay@example.com");
    List<LimitingCodeStore.Permit> permits = List.of(permit("address:register:replay@example.com", 2,
        Duration.ofHours(1)));
    PendingCode first = new PendingCode(mac("111111"), T0.plus(TTL), 5, 0);
    assertEquals(Optional.empty(), s.issue(k, first, permits, T0));
    assertEquals(Optional.empty(), s.issue(k, first, permits, T0), "the replay is answered as done");
    // one permit of two was taken: one more code, then the cap refuses
    assertEquals(Optional.empty(), s.issue(k, new PendingCode(mac("222222"), T0.plus(TTL), 5, 0), permits, T0));
    assertTrue(s.issue(k, new PendingCode(mac("333333"), T0.plus(TTL), 5, 0), permits, T0).isPresent());
    assertEquals(Outcome.MATCHED, attempt(k, "222222", T0).outcome());
  }

  @Test
  @DisplayName("C13, C28: the shared limiter sees and releases the permits a limiting issue took")
  void limitingIssuePermitsAreTheLimiters() {
    LimitingCodeStore s = limiting();
    RateLimiter limiter = sharedLimiter(store);
    CodeKey k = key("lift@example.com");
    String cooldown = "cooldown:register:lift@example.com";
    List<LimitingCodeStore.Permit> permits = List.of(permit(cooldown, 1, Duration.ofSeconds(60)));
    assertEquals(Optional.empty(), s.issue(k, new PendingCode(mac("111111"), T0.plus(TTL), 5, 0), permits, T0));
    assertFalse(limiter.tryAcquire(cooldown, new Quota(1, Duration.ofSeconds(60)), T0).granted());
    limiter.release(cooldown, T0); // a failed mail lifts the cooldown (C13)
    assertEquals(Optional.empty(), s.issue(k, new PendingCode(mac("222222"), T0.plus(TTL), 5, 0), permits, T0));
    assertEquals(Outcome.MATCHED, attempt(k, "222222", T0).outcome());
    // no permits at all: a plain issue
    assertEquals(Optional.empty(), s.issue(k, new PendingCode(mac("333333"), T0.plus(TTL), 5, 0), List.of(), T0));
    assertEquals(Outcome.MATCHED, attempt(k, "333333", T0).outcome());
  }

  @Test
  @DisplayName("C7: a limited attempt counts only a wrong try against the budget; a used-up budget compares nothing")
  void limitedAttemptCountsOnlyWrongTries() {
    LimitingCodeStore s = limiting();
    CodeKey k = key("budget@example.com");
    String failures = "failures:register:budget@example.com";
    LimitingCodeStore.Permit budget = permit(failures, 2, Duration.ofHours(1));
    assertEquals(Optional.of(Outcome.NOT_FOUND), s.attempt(k, List.of(mac("111111")), budget, T0)
        .map(AttemptResult::outcome), "nothing pending: no try counted");
    issue(k, "123456", 5);
    assertEquals(Optional.of(AttemptResult.mismatched(4)), s.attempt(k, List.of(mac("000000")), budget, T0));
    issue(k, "123456", 5);
    assertEquals(Optional.of(AttemptResult.mismatched(4)), s.attempt(k, List.of(), budget, T0));
    assertEquals(Optional.empty(), s.attempt(k, List.of(mac("123456")), budget, T0), "budget used up");
    assertEquals(Optional.empty(), s.attempt(k, List.of(mac("123456")), budget, T0.plusSeconds(1)),
        "still used up: the refused try took nothing and freed nothing");
    // the right code was not compared, so it is still pending
    assertEquals(Outcome.MATCHED, attempt(k, "123456", T0).outcome());
    // once the window has passed, the budget is back
    store.issue(k, new PendingCode(mac("123456"), T0.plus(Duration.ofHours(2)), 5, 0), T0);
    assertEquals(Optional.of(AttemptResult.mismatched(4)), s.attempt(k, List.of(mac("000000")), budget,
        T0.plus(Duration.ofHours(1)).plusMillis(1)));
  }

  @Test
  @DisplayName("C7: the failed-tries budget outlives the codes it counted: a right code, a removed code and a new"
      + " one leave it as it is, until its window has passed")
  void limitedBudgetOutlivesTheCodes() {
    LimitingCodeStore s = limiting();
    CodeKey k = key("outlives@example.com");
    LimitingCodeStore.Permit budget = permit("failures:register:outlives@example.com", 3, Duration.ofHours(1));
    Instant later = T0.plus(Duration.ofHours(3));
    store.issue(k, new PendingCode(mac("123456"), later, 5, 0), T0);
    assertEquals(Optional.of(AttemptResult.mismatched(4)), s.attempt(k, List.of(mac("000000")), budget, T0));
    assertEquals(Optional.of(AttemptResult.matched()), s.attempt(k, List.of(mac("123456")), budget,
        T0.plusSeconds(1)));
    assertEquals(Optional.of(Outcome.NOT_FOUND), s.attempt(k, List.of(mac("123456")), budget, T0.plusSeconds(2))
        .map(AttemptResult::outcome), "the right code was used");
    assertEquals(Outcome.NOT_FOUND, attempt(k, "123456", T0.plusSeconds(2)).outcome(), "also without the budget");
    assertFalse(store.invalidate(k), "no code is pending");

    store.issue(k, new PendingCode(mac("234567"), later, 5, 0), T0.plusSeconds(3));
    assertEquals(Optional.of(AttemptResult.mismatched(4)), s.attempt(k, List.of(mac("000000")), budget,
        T0.plusSeconds(4)));
    assertTrue(store.invalidate(k));
    assertEquals(Optional.of(Outcome.NOT_FOUND), s.attempt(k, List.of(mac("234567")), budget, T0.plusSeconds(5))
        .map(AttemptResult::outcome), "the code was removed");

    store.issue(k, new PendingCode(mac("345678"), later, 5, 0), T0.plusSeconds(6));
    assertEquals(Optional.of(AttemptResult.mismatched(4)), s.attempt(k, List.of(mac("000000")), budget,
        T0.plusSeconds(7)), "the third failed try, on the third code");
    assertEquals(Optional.empty(), s.attempt(k, List.of(mac("345678")), budget, T0.plusSeconds(8)),
        "three failed tries across three codes use up the budget");
    assertEquals(Optional.empty(), s.attempt(k, List.of(mac("345678")), budget,
        T0.plus(Duration.ofHours(1)).minusSeconds(1)), "all three are still in the window");
    assertEquals(Optional.of(AttemptResult.matched()), s.attempt(k, List.of(mac("345678")), budget,
        T0.plus(Duration.ofHours(1)).plusSeconds(5)), "once the first has left it, the code is compared again");
  }

  @Test
  @DisplayName("C7, C8: a right try takes no permit of the budget, a matched code is gone")
  void limitedAttemptRightCodeTakesNoPermit() {
    LimitingCodeStore s = limiting();
    CodeKey k = key("right@example.com");
    LimitingCodeStore.Permit budget = permit("failures:register:right@example.com", 1, Duration.ofHours(1));
    issue(k, "123456", 5);
    assertEquals(Optional.of(AttemptResult.matched()), s.attempt(k, List.of(mac("123456")), budget, T0));
    issue(k, "654321", 5);
    assertEquals(Optional.of(AttemptResult.matched()), s.attempt(k, List.of(mac("654321")), budget, T0));
    assertEquals(Optional.of(Outcome.NOT_FOUND), s.attempt(k, List.of(mac("654321")), budget, T0)
        .map(AttemptResult::outcome));
  }

  @Test
  @DisplayName("C8, C10: 20 threads issuing within one cooldown at once - exactly one code is stored")
  void raceLimitingIssue() throws Exception {
    LimitingCodeStore s = limiting();
    CodeKey k = key("raceissue@example.com");
    List<LimitingCodeStore.Permit> permits =
        List.of(permit("cooldown:register:raceissue@example.com", 1, Duration.ofSeconds(60)));
    List<Optional<LimitingCodeStore.Refusal>> results =
        race(20, i -> s.issue(k, new PendingCode(mac("code" + i), T0.plus(TTL), 5, 0), permits, T0));
    assertEquals(1, count(results, Optional::isEmpty));
    int winner = -1;
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).isEmpty()) {
        winner = i;
      }
    }
    assertEquals(Outcome.MATCHED, attempt(k, "code" + winner, T0).outcome());
  }

  @Test
  @DisplayName("C7, C8: 30 threads guessing wrong within a budget of 10 at once - exactly 10 are counted")
  void raceLimitedAttempts() throws Exception {
    LimitingCodeStore s = limiting();
    LimitingCodeStore.Permit budget = permit("failures:register:racebudget@example.com", 10, Duration.ofHours(1));
    CodeKey k = key("racebudget@example.com");
    store.issue(k, new PendingCode(mac("123456"), T0.plus(TTL), 100, 0), T0);
    List<Optional<AttemptResult>> results = race(30, i -> s.attempt(k, List.of(mac("w" + i)), budget, T0));
    assertEquals(10, count(results, r -> r.map(a -> a.outcome() == Outcome.MISMATCHED).orElse(false)));
    assertEquals(20, count(results, Optional::isEmpty));
  }

  @Test
  @DisplayName("C7, C8: 1 right and 29 wrong tries at once within a budget of 10 - at most one match, and the"
      + " budget holds exactly the wrong tries that were answered as counted")
  void raceLimitedRightAmongWrong() throws Exception {
    LimitingCodeStore s = limiting();
    LimitingCodeStore.Permit budget = permit("failures:register:raceright@example.com", 10, Duration.ofHours(1));
    CodeKey k = key("raceright@example.com");
    store.issue(k, new PendingCode(mac("123456"), T0.plus(TTL), 100, 0), T0);
    List<Optional<AttemptResult>> results =
        race(30, i -> s.attempt(k, List.of(mac(i == 17 ? "123456" : "w" + i)), budget, T0));
    long matched = count(results, r -> r.map(a -> a.outcome() == Outcome.MATCHED).orElse(false));
    long counted = count(results, r -> r.map(a -> a.outcome() == Outcome.MISMATCHED).orElse(false));
    assertTrue(matched <= 1, "at most one match");
    assertTrue(counted <= 10, "at most the budget");
    assertEquals(30, matched + counted + count(results, Optional::isEmpty)
        + count(results, r -> r.map(a -> a.outcome() == Outcome.NOT_FOUND).orElse(false)));
    if (matched == 0) {
      assertEquals(10, counted, "without a match, the budget is what stopped the others");
    }
    // a new code: exactly as many wrong tries as the budget has left are counted, then it refuses
    store.issue(k, new PendingCode(mac("654321"), T0.plus(TTL), 100, 0), T0);
    int more = 0;
    while (s.attempt(k, List.of(mac("000000")), budget, T0).isPresent()) {
      more++;
      assertTrue(more <= 10, "the budget never refused");
    }
    assertEquals(10, counted + more, "the budget counted every wrong try answered as counted, and no other");
  }

  // --- C32: the link beside the code, through a real service over this store -----------------

  private static final byte[] LINK_SECRET = "code store kit link secret, 32+ bytes long".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern LINK_TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]{43})&type=register");

  /** A service over this store that sends a link beside each code; generous limits. */
  private VerificationCodeService linkService(InMemoryOutbox outbox, MutableClock clock) {
    return VerificationCodeService.builder()
        .transport(outbox)
        .store(store)
        .clock(clock)
        .secret(LINK_SECRET)
        .perAddressTotalQuota(Quota.perHour(1000))
        .defaultPolicy(VerificationPolicy.builder()
            .linkBaseUrl(URI.create("https://app.example.com/verify"))
            .cooldown(Duration.ofSeconds(1))
            .perAddressQuota(Quota.perHour(1000))
            .perClientQuota(Quota.perHour(3))
            .failedAttemptsQuota(Quota.perHour(1000))
            .build())
        .build();
  }

  private static String linkToken(InMemoryOutbox outbox, String email) {
    return tokenInLatestMail(outbox, email, LINK_TOKEN, "the mail's text part shows the link");
  }

  /** The token of the first link the pattern finds in the text part of the latest mail to an address. */
  private static String tokenInLatestMail(InMemoryOutbox outbox, String to, Pattern link, String what) {
    Matcher m = link.matcher(outbox.latestTo(to).orElseThrow().text());
    assertTrue(m.find(), what);
    return m.group(1);
  }

  @Test
  @DisplayName("C32: the link verifies once, and using it consumes the code of the same mail")
  void linkConsumesItsCode() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    VerificationCodeService service = linkService(outbox, MutableClock.at(T0));
    assertInstanceOf(SendResult.Sent.class, service.sendVerificationCode("link@example.com", REG, TTL));
    String token = linkToken(outbox, "link@example.com");
    String code = outbox.latestCode("link@example.com").orElseThrow();

    VerifyResult.Verified verified = assertInstanceOf(VerifyResult.Verified.class,
        service.verifyLink(token, REG, "198.51.100.7"));
    assertEquals("link@example.com", service.redeemToken(verified.token(), REG).orElseThrow());
    assertInstanceOf(VerifyResult.NotFound.class, service.verifyLink(token, REG, "198.51.100.7"));
    assertInstanceOf(VerifyResult.NotFound.class, service.verifyCode("link@example.com", REG, code));
  }

  @Test
  @DisplayName("C32 same device: a bound link asks for the code elsewhere, consuming nothing, and verifies once on its device")
  void sameDeviceLinkOnThisStore() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    VerificationCodeService service = linkService(outbox, MutableClock.at(T0));
    assertInstanceOf(SendResult.Sent.class, service.sendVerificationCode(
        SendRequest.builder("device@example.com", REG).sameDevice("cookie-of-the-asking-browser").build()));
    Matcher m = Pattern.compile("[?&]token=([A-Za-z0-9_.-]{89})&type=register")
        .matcher(outbox.latestTo("device@example.com").orElseThrow().text());
    assertTrue(m.find(), "the mail's text part shows the bound link");
    String token = m.group(1);
    String code = outbox.latestCode("device@example.com").orElseThrow();

    assertInstanceOf(VerifyResult.CodeRequired.class, service.verifyLink(LinkRequest.builder(token, REG)
        .clientKey("198.51.100.8").sameDevice("another-browser").build()));
    assertInstanceOf(VerifyResult.CodeRequired.class, service.verifyLink(token, REG, "198.51.100.8"));
    VerifyResult.Verified verified = assertInstanceOf(VerifyResult.Verified.class, service.verifyLink(
        LinkRequest.builder(token, REG).clientKey("198.51.100.8").sameDevice("cookie-of-the-asking-browser").build()));
    assertEquals("device@example.com", service.redeemToken(verified.token(), REG).orElseThrow());
    assertInstanceOf(VerifyResult.NotFound.class, service.verifyCode("device@example.com", REG, code));
  }

  @Test
  @DisplayName("C32: the code consumes the link of the same mail; a link for another type finds nothing")
  void codeConsumesItsLink() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    VerificationCodeService service = linkService(outbox, MutableClock.at(T0));
    service.sendVerificationCode("code@example.com", REG, TTL);
    String token = linkToken(outbox, "code@example.com");
    String code = outbox.latestCode("code@example.com").orElseThrow();

    assertInstanceOf(VerifyResult.NotFound.class, service.verifyLink(token, VerificationType.LOGIN, null));
    assertInstanceOf(VerifyResult.Verified.class, service.verifyCode("code@example.com", REG, code));
    assertInstanceOf(VerifyResult.NotFound.class, service.verifyLink(token, REG, null));
  }

  @Test
  @DisplayName("C32, C4: after a resend the old link stops working and the new one works")
  void resendReplacesTheLink() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    MutableClock clock = MutableClock.at(T0);
    VerificationCodeService service = linkService(outbox, clock);
    service.sendVerificationCode("again@example.com", REG, TTL);
    String old = linkToken(outbox, "again@example.com");
    clock.advance(Duration.ofSeconds(2));
    service.sendVerificationCode("again@example.com", REG, TTL);
    String fresh = linkToken(outbox, "again@example.com");

    assertNotEquals(old, fresh);
    assertFalse(service.verifyLink(old, REG, null) instanceof VerifyResult.Verified);
    assertInstanceOf(VerifyResult.Verified.class, service.verifyLink(fresh, REG, null));
  }

  @Test
  @DisplayName("C32, C3: a link expires with its code")
  void linkExpiresWithItsCode() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    MutableClock clock = MutableClock.at(T0);
    VerificationCodeService service = linkService(outbox, clock);
    service.sendVerificationCode("late@example.com", REG, TTL);
    String token = linkToken(outbox, "late@example.com");
    clock.advance(TTL.plusMillis(1));
    assertFalse(service.verifyLink(token, REG, null) instanceof VerifyResult.Verified);
  }

  @Test
  @DisplayName("C32: wrong link tokens count against the client key, never the address; the link is stored only hashed (C14)")
  void wrongLinksCountAgainstTheClientOnly() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    VerificationCodeService service = linkService(outbox, MutableClock.at(T0));
    service.sendVerificationCode("victim@example.com", REG, TTL);
    String token = linkToken(outbox, "victim@example.com");
    String code = outbox.latestCode("victim@example.com").orElseThrow();
    assertFalse(dump(store).contains(token), "a dump holds no link token");

    String madeUp = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
    for (int i = 0; i < 10; i++) { // more wrong links than the code has tries (5)
      assertInstanceOf(VerifyResult.NotFound.class, service.verifyLink(madeUp, REG, "203.0.113.9"));
    }
    // the client's budget (3 an hour) is used up: even the right link is not looked up for it
    assertInstanceOf(VerifyResult.NotFound.class, service.verifyLink(token, REG, "203.0.113.9"));
    // the address lost nothing: its code and its link still work for everyone else
    assertInstanceOf(VerifyResult.Verified.class, service.verifyLink(token, REG, "198.51.100.7"));
    assertInstanceOf(VerifyResult.NotFound.class, service.verifyCode("victim@example.com", REG, code));
  }

  @Test
  @DisplayName("C32, C8: a link and its code submitted at once by 50 threads each - exactly one wins")
  void raceLinkAgainstCode() throws Exception {
    InMemoryOutbox outbox = MailTransport.inMemory();
    MutableClock clock = MutableClock.at(T0);
    VerificationCodeService service = linkService(outbox, clock);
    for (int round = 0; round < 5; round++) {
      String email = "race" + round + "@example.com";
      service.sendVerificationCode(email, REG, TTL);
      String token = linkToken(outbox, email);
      String code = outbox.latestCode(email).orElseThrow();
      List<VerifyResult> results = race(100, i -> i % 2 == 0
          ? service.verifyLink(token, REG, null)
          : service.verifyCode(email, REG, code));
      assertEquals(1, count(results, r -> r instanceof VerifyResult.Verified), "round " + round);
    }
  }

  // --- Resend grace: the previous code keeps working for a short while (issue 21) -------------

  /** The grace the tests use: 2 minutes, the documented example. */
  private static final Duration GRACE = Duration.ofMinutes(2);

  /** One way of issuing a code with a grace: the plain issue, or a LimitingCodeStore's with permits. */
  @FunctionalInterface
  private interface GraceIssue {
    void issue(CodeKey key, PendingCode code, Duration grace, Instant now);
  }

  /**
   * Runs a grace scenario with every issue operation the store offers: the plain one and, for a
   * {@link LimitingCodeStore} that shares its buckets, the one that takes permits (one generous
   * permit, so it is the real combined path). Each run gets its own address prefix.
   */
  private void forEachIssue(GraceScenario scenario) throws Exception {
    assumeTrue(store.supportsResendGrace(), "the store does not support a resend grace");
    scenario.run("plain-", store::issue);
    if (store instanceof LimitingCodeStore l && l.sharesBucketsWith(sharedLimiter(store))) {
      scenario.run("limited-", (key, code, grace, now) -> {
        List<LimitingCodeStore.Permit> permits =
            List.of(permit("address:register:" + key.address(), 1000, Duration.ofHours(1)));
        assertEquals(Optional.empty(), l.issue(key, code, grace, permits, now), "a generous permit refused");
      });
    }
  }

  @FunctionalInterface
  private interface GraceScenario {
    void run(String prefix, GraceIssue issue) throws Exception;
  }

  private static PendingCode pending(String code, Instant at, Duration ttl, int maxAttempts) {
    return new PendingCode(mac(code), at.plus(ttl), maxAttempts, 0);
  }

  @Test
  @DisplayName("C4: with a zero grace a resend kills the old code at once")
  void c4ZeroGraceKillsTheOldCode() throws Exception {
    GraceScenario scenario = (p, issue) -> {
      CodeKey k = key(p + "zero@example.com");
      issue.issue(k, pending("111111", T0, TTL, 5), Duration.ZERO, T0);
      issue.issue(k, pending("222222", T0.plusSeconds(30), TTL, 5), Duration.ZERO, T0.plusSeconds(30));
      AttemptResult old = attempt(k, "111111", T0.plusSeconds(31));
      assertEquals(AttemptResult.mismatched(4), old, "C4: the old code is dead and the try counts on the new one");
      assertEquals(Outcome.MATCHED, attempt(k, "222222", T0.plusSeconds(32)).outcome());
    };
    if (store.supportsResendGrace()) {
      forEachIssue(scenario);
    } else {
      scenario.run("plain-", store::issue); // the SPI's default: a zero grace is the plain issue
    }
  }

  @Test
  @DisplayName("C4 grace: the old code works until resend + grace (exclusive), and its match consumes the new code too")
  void graceOldCodeWorksWithinTheWindow() throws Exception {
    forEachIssue((p, issue) -> {
      Instant resend = T0.plusSeconds(30);
      CodeKey k = key(p + "window@example.com");
      issue.issue(k, pending("111111", T0, TTL, 5), GRACE, T0);
      issue.issue(k, pending("222222", resend, TTL, 5), GRACE, resend);
      assertEquals(Outcome.MATCHED, attempt(k, "111111", resend.plus(GRACE).minusMillis(1)).outcome());
      assertEquals(Outcome.NOT_FOUND, attempt(k, "222222", resend.plus(GRACE)).outcome(),
          "a match with the old code consumes the new one");
      assertEquals(Outcome.NOT_FOUND, attempt(k, "111111", resend.plus(GRACE)).outcome());

      CodeKey late = key(p + "late@example.com");
      issue.issue(late, pending("111111", T0, TTL, 5), GRACE, T0);
      issue.issue(late, pending("222222", resend, TTL, 5), GRACE, resend);
      assertEquals(AttemptResult.mismatched(4), attempt(late, "111111", resend.plus(GRACE)),
          "after the window the old code is wrong, and the try counts");
      assertEquals(Outcome.MATCHED, attempt(late, "222222", resend.plus(GRACE)).outcome());
    });
  }

  @Test
  @DisplayName("C4 grace, C3: the old code never works beyond its own expiry, whatever the grace")
  void graceNeverBeyondTheOldCodesExpiry() throws Exception {
    forEachIssue((p, issue) -> {
      Instant resend = T0.plus(TTL).minusSeconds(60); // one minute of the old code's life left, grace 2
      CodeKey k = key(p + "expiry@example.com");
      issue.issue(k, pending("111111", T0, TTL, 5), GRACE, T0);
      issue.issue(k, pending("222222", resend, TTL, 5), GRACE, resend);
      assertEquals(AttemptResult.mismatched(4), attempt(k, "111111", T0.plus(TTL)), "dead at its own expiry");
      assertEquals(Outcome.MATCHED, attempt(k, "222222", T0.plus(TTL)).outcome());

      CodeKey justBefore = key(p + "before@example.com");
      issue.issue(justBefore, pending("111111", T0, TTL, 5), GRACE, T0);
      issue.issue(justBefore, pending("222222", resend, TTL, 5), GRACE, resend);
      assertEquals(Outcome.MATCHED, attempt(justBefore, "111111", T0.plus(TTL).minusMillis(1)).outcome());

      CodeKey expired = key(p + "expired@example.com"); // expired before the resend: not kept at all
      issue.issue(expired, pending("111111", T0, TTL, 5), GRACE, T0);
      Instant after = T0.plus(TTL).plusSeconds(1);
      issue.issue(expired, pending("222222", after, TTL, 5), GRACE, after);
      assertEquals(AttemptResult.mismatched(4), attempt(expired, "111111", after));
      assertEquals(Outcome.MATCHED, attempt(expired, "222222", after).outcome());

      CodeKey newExpired = key(p + "newexpired@example.com"); // the new code's expiry ends both
      issue.issue(newExpired, pending("111111", T0, TTL, 5), GRACE, T0);
      issue.issue(newExpired, pending("222222", T0.plusSeconds(1), Duration.ofMinutes(1), 5), GRACE,
          T0.plusSeconds(1));
      assertEquals(Outcome.EXPIRED, attempt(newExpired, "111111", T0.plusSeconds(61)).outcome());
      assertEquals(Outcome.EXPIRED, attempt(newExpired, "222222", T0.plusSeconds(61)).outcome());
    });
  }

  @Test
  @DisplayName("C4 grace, C6: both codes share one try budget - tries on the old code carry over, the lock covers both")
  void graceTriesAreSharedAndTheLockCoversBoth() throws Exception {
    forEachIssue((p, issue) -> {
      Instant resend = T0.plusSeconds(30);
      CodeKey k = key(p + "shared@example.com");
      issue.issue(k, pending("111111", T0, TTL, 5), GRACE, T0);
      assertEquals(AttemptResult.mismatched(4), attempt(k, "000001", T0.plusSeconds(1)));
      assertEquals(AttemptResult.mismatched(3), attempt(k, "000002", T0.plusSeconds(2)));
      issue.issue(k, pending("222222", resend, TTL, 5), GRACE, resend);
      assertEquals(AttemptResult.mismatched(2), attempt(k, "000003", resend), "the old code's tries carry over");
      assertEquals(AttemptResult.mismatched(1), attempt(k, "000004", resend));
      assertEquals(AttemptResult.mismatched(0), attempt(k, "000005", resend));
      assertEquals(Outcome.LOCKED, attempt(k, "111111", resend).outcome(), "locked: the old code too");
      assertEquals(Outcome.LOCKED, attempt(k, "222222", resend).outcome(), "locked: the new code too");

      CodeKey twoSecrets = key(p + "once@example.com"); // a try compared with both codes counts once
      issue.issue(twoSecrets, pending("111111", T0, TTL, 5), GRACE, T0);
      issue.issue(twoSecrets, pending("222222", resend, TTL, 5), GRACE, resend);
      assertEquals(AttemptResult.mismatched(4), store.attempt(twoSecrets, List.of(mac("x1"), mac("x2")), resend));
      assertEquals(AttemptResult.mismatched(3), attempt(twoSecrets, "000000", resend));
    });
  }

  @Test
  @DisplayName("C4 grace, C6: a locked old code is not kept - the new code starts with a full budget")
  void graceLockedOldCodeIsNotKept() throws Exception {
    forEachIssue((p, issue) -> {
      Instant resend = T0.plusSeconds(30);
      CodeKey k = key(p + "locked@example.com");
      issue.issue(k, pending("111111", T0, TTL, 5), GRACE, T0);
      for (int i = 0; i < 5; i++) {
        attempt(k, "00000" + i, T0.plusSeconds(1));
      }
      assertEquals(Outcome.LOCKED, attempt(k, "111111", T0.plusSeconds(2)).outcome());
      issue.issue(k, pending("222222", resend, TTL, 5), GRACE, resend);
      assertEquals(AttemptResult.mismatched(4), attempt(k, "111111", resend), "the locked code stays dead");
      assertEquals(Outcome.MATCHED, attempt(k, "222222", resend).outcome());
    });
  }

  @Test
  @DisplayName("C4 grace: a match with the new code consumes the old one")
  void graceNewCodeConsumesTheOld() throws Exception {
    forEachIssue((p, issue) -> {
      Instant resend = T0.plusSeconds(30);
      CodeKey k = key(p + "newfirst@example.com");
      issue.issue(k, pending("111111", T0, TTL, 5), GRACE, T0);
      issue.issue(k, pending("222222", resend, TTL, 5), GRACE, resend);
      assertEquals(Outcome.MATCHED, attempt(k, "222222", resend.plusSeconds(1)).outcome());
      assertEquals(Outcome.NOT_FOUND, attempt(k, "111111", resend.plusSeconds(2)).outcome());
    });
  }

  @Test
  @DisplayName("C4 grace: only the code just before the newest is kept - a third send drops the first")
  void graceThirdSendDropsTheFirst() throws Exception {
    forEachIssue((p, issue) -> {
      CodeKey k = key(p + "third@example.com");
      issue.issue(k, pending("111111", T0, TTL, 5), GRACE, T0);
      issue.issue(k, pending("222222", T0.plusSeconds(10), TTL, 5), GRACE, T0.plusSeconds(10));
      issue.issue(k, pending("333333", T0.plusSeconds(20), TTL, 5), GRACE, T0.plusSeconds(20));
      assertEquals(AttemptResult.mismatched(4), attempt(k, "111111", T0.plusSeconds(21)), "the first is dropped");
      assertEquals(Outcome.MATCHED, attempt(k, "222222", T0.plusSeconds(22)).outcome(), "the second is kept");
      assertEquals(Outcome.NOT_FOUND, attempt(k, "333333", T0.plusSeconds(23)).outcome());
    });
  }

  @Test
  @DisplayName("C4 grace, C25: invalidate removes both codes")
  void graceInvalidateRemovesBoth() throws Exception {
    forEachIssue((p, issue) -> {
      CodeKey k = key(p + "invalidate@example.com");
      issue.issue(k, pending("111111", T0, TTL, 5), GRACE, T0);
      issue.issue(k, pending("222222", T0.plusSeconds(30), TTL, 5), GRACE, T0.plusSeconds(30));
      assertTrue(store.invalidate(k));
      assertEquals(Outcome.NOT_FOUND, attempt(k, "111111", T0.plusSeconds(31)).outcome());
      assertEquals(Outcome.NOT_FOUND, attempt(k, "222222", T0.plusSeconds(31)).outcome());
      assertFalse(store.invalidate(k));
    });
  }

  @Test
  @DisplayName("C4 grace, C14: a dump holds neither code in clear")
  void graceDumpHoldsNoCode() throws Exception {
    forEachIssue((p, issue) -> {
      CodeKey k = key(p + "dump@example.com");
      issue.issue(k, pending("493817", T0, TTL, 5), GRACE, T0);
      issue.issue(k, pending("561203", T0.plusSeconds(30), TTL, 5), GRACE, T0.plusSeconds(30));
      String dump = dump(store);
      assertFalse(dump.contains("493817") || dump.contains("561203"), "C14: the dump holds a code");
    });
  }

  @Test
  @DisplayName("C4 grace, C8: the old and the new code submitted at once by 100 threads - exactly one wins")
  void graceRaceOldAndNewCode() throws Exception {
    forEachIssue((p, issue) -> {
      for (int round = 0; round < 10; round++) {
        CodeKey k = key(p + "race" + round + "@example.com");
        issue.issue(k, pending("111111", T0, TTL, 5), GRACE, T0);
        issue.issue(k, pending("222222", T0.plusSeconds(30), TTL, 5), GRACE, T0.plusSeconds(30));
        List<AttemptResult> results = race(THREADS, i -> attempt(k, i % 2 == 0 ? "111111" : "222222",
            T0.plusSeconds(31)));
        assertEquals(1, count(results, r -> r.outcome() == Outcome.MATCHED), "round " + round);
        assertEquals(0, count(results, r -> r.outcome() == Outcome.MISMATCHED), "both codes are right: round " + round);
      }
    });
  }

  @Test
  @DisplayName("C4 grace, C6, C8: 100 wrong tries at once on both codes - exactly the shared budget's tries left are counted")
  void graceRaceWrongTriesShareTheBudget() throws Exception {
    forEachIssue((p, issue) -> {
      CodeKey k = key(p + "racewrong@example.com");
      issue.issue(k, pending("111111", T0, TTL, 5), GRACE, T0);
      attempt(k, "000001", T0);
      attempt(k, "000002", T0);
      issue.issue(k, pending("222222", T0.plusSeconds(30), TTL, 5), GRACE, T0.plusSeconds(30));
      List<AttemptResult> results = race(THREADS, i -> attempt(k, String.format("%06d", 300000 + i),
          T0.plusSeconds(31)));
      assertEquals(3, count(results, r -> r.outcome() == Outcome.MISMATCHED));
      assertEquals(THREADS - 3, count(results, r -> r.outcome() == Outcome.LOCKED));
      assertEquals(Outcome.LOCKED, attempt(k, "111111", T0.plusSeconds(32)).outcome());
      assertEquals(Outcome.LOCKED, attempt(k, "222222", T0.plusSeconds(32)).outcome());
    });
  }

  @Test
  @DisplayName("C4 grace, C8: a grace resend racing 99 threads with the old code - exactly one match, before or after it")
  void graceRaceResendAgainstOldCode() throws Exception {
    forEachIssue((p, issue) -> {
      for (int round = 0; round < 10; round++) {
        CodeKey k = key(p + "raceresend" + round + "@example.com");
        issue.issue(k, pending("111111", T0, TTL, 200), GRACE, T0);
        int changer = round;
        List<Optional<AttemptResult>> results = race(THREADS, i -> {
          if (i == changer) {
            issue.issue(k, pending("222222", T0.plusSeconds(30), TTL, 200), GRACE, T0.plusSeconds(30));
            return Optional.empty();
          }
          return Optional.of(attempt(k, "111111", T0.plusSeconds(31)));
        });
        // before the resend, a match consumes the old code (the resend then keeps nothing);
        // after it, the old code still matches within the grace: exactly one match either way
        assertEquals(1, count(results, r -> r.isPresent() && r.get().outcome() == Outcome.MATCHED), "round " + round);
      }
    });
  }

  @Test
  @DisplayName("C4 grace, C7: a limited attempt with the old code in its window matches and takes no permit")
  void graceLimitedAttemptMatchesTheOldCode() {
    LimitingCodeStore s = limiting();
    assumeTrue(store.supportsResendGrace(), "the store does not support a resend grace");
    CodeKey k = key("gracebudget@example.com");
    LimitingCodeStore.Permit budget = permit("failures:register:gracebudget@example.com", 2, Duration.ofHours(1));
    s.issue(k, pending("111111", T0, TTL, 5), GRACE, List.of(), T0);
    s.issue(k, pending("222222", T0.plusSeconds(30), TTL, 5), GRACE, List.of(), T0.plusSeconds(30));
    assertEquals(Optional.of(AttemptResult.mismatched(4)), s.attempt(k, List.of(mac("000000")), budget,
        T0.plusSeconds(31)));
    TokenRecord record = new TokenRecord("gracebudget@example.com", REG, T0, T0.plus(TTL));
    assertEquals(Optional.of(Outcome.MATCHED), s.attemptAndStoreToken(k, List.of(mac("111111")), budget,
        "hash-grace", record, T0.plusSeconds(32)).map(AttemptResult::outcome));
    assertEquals(Optional.of(record), store.takeToken("hash-grace", null, T0.plusSeconds(33)));
    assertEquals(Optional.of(Outcome.NOT_FOUND), s.attempt(k, List.of(mac("222222")), budget, T0.plusSeconds(34))
        .map(AttemptResult::outcome));
    // one permit of two was taken (the wrong try): one more wrong try fits
    assertEquals(Optional.of(Outcome.NOT_FOUND), s.attempt(k, List.of(mac("000000")), budget, T0.plusSeconds(35))
        .map(AttemptResult::outcome));
  }

  /** A service over this store with a link beside each code and a 2-minute resend grace. */
  private VerificationCodeService graceService(InMemoryOutbox outbox, MutableClock clock) {
    return VerificationCodeService.builder()
        .transport(outbox)
        .store(store)
        .clock(clock)
        .secret(LINK_SECRET)
        .perAddressTotalQuota(Quota.perHour(1000))
        .defaultPolicy(VerificationPolicy.builder()
            .linkBaseUrl(URI.create("https://app.example.com/verify"))
            .cooldown(Duration.ofSeconds(1))
            .resendGrace(GRACE)
            .perAddressQuota(Quota.perHour(1000))
            .failedAttemptsQuota(Quota.perHour(1000))
            .build())
        .build();
  }

  @Test
  @DisplayName("C4 grace, C32: through a service - the first mail's code works within the grace and consumes the second")
  void graceServiceOldCodeWorksWithinTheWindow() {
    assumeTrue(store.supportsResendGrace(), "the store does not support a resend grace");
    InMemoryOutbox outbox = MailTransport.inMemory();
    MutableClock clock = MutableClock.at(T0);
    VerificationCodeService service = graceService(outbox, clock);
    service.sendVerificationCode("slow@example.com", REG, TTL);
    String first = outbox.latestCode("slow@example.com").orElseThrow();
    clock.advance(Duration.ofSeconds(70));
    assertInstanceOf(SendResult.Sent.class, service.sendVerificationCode("slow@example.com", REG, TTL));
    String second = outbox.latestCode("slow@example.com").orElseThrow();
    clock.advance(GRACE.minusMillis(1));
    assertInstanceOf(VerifyResult.Verified.class, service.verifyCode("slow@example.com", REG, first));
    assertInstanceOf(VerifyResult.NotFound.class, service.verifyCode("slow@example.com", REG, second));

    service.sendVerificationCode("late@example.com", REG, TTL);
    String early = outbox.latestCode("late@example.com").orElseThrow();
    clock.advance(Duration.ofSeconds(70));
    service.sendVerificationCode("late@example.com", REG, TTL);
    String later = outbox.latestCode("late@example.com").orElseThrow();
    clock.advance(GRACE);
    assertEquals(new VerifyResult.Invalid(4), service.verifyCode("late@example.com", REG, early));
    assertInstanceOf(VerifyResult.Verified.class, service.verifyCode("late@example.com", REG, later));
  }

  @Test
  @DisplayName("C4 grace, C32: through a service - the first mail's link works within the grace, and not after it")
  void graceServiceOldLinkFollowsTheSameRule() {
    assumeTrue(store.supportsResendGrace(), "the store does not support a resend grace");
    InMemoryOutbox outbox = MailTransport.inMemory();
    MutableClock clock = MutableClock.at(T0);
    VerificationCodeService service = graceService(outbox, clock);
    service.sendVerificationCode("link1@example.com", REG, TTL);
    String firstLink = linkToken(outbox, "link1@example.com");
    clock.advance(Duration.ofSeconds(5));
    service.sendVerificationCode("link1@example.com", REG, TTL);
    String secondLink = linkToken(outbox, "link1@example.com");
    String secondCode = outbox.latestCode("link1@example.com").orElseThrow();
    assertInstanceOf(VerifyResult.Verified.class, service.verifyLink(firstLink, REG, null));
    assertInstanceOf(VerifyResult.NotFound.class, service.verifyCode("link1@example.com", REG, secondCode));
    assertFalse(service.verifyLink(secondLink, REG, null) instanceof VerifyResult.Verified);

    service.sendVerificationCode("link2@example.com", REG, TTL);
    String oldLink = linkToken(outbox, "link2@example.com");
    clock.advance(Duration.ofSeconds(5));
    service.sendVerificationCode("link2@example.com", REG, TTL);
    String newLink = linkToken(outbox, "link2@example.com");
    clock.advance(GRACE);
    assertFalse(service.verifyLink(oldLink, REG, null) instanceof VerifyResult.Verified, "after the grace");
    assertInstanceOf(VerifyResult.Verified.class, service.verifyLink(newLink, REG, null));
  }

  @Test
  @DisplayName("C4 grace, C8, C32: through a service - the first code, the second code and the first link at once"
      + " from 99 threads - exactly one verifies")
  void graceServiceRaceOldCodeNewCodeAndOldLink() throws Exception {
    assumeTrue(store.supportsResendGrace(), "the store does not support a resend grace");
    InMemoryOutbox outbox = MailTransport.inMemory();
    MutableClock clock = MutableClock.at(T0);
    VerificationCodeService service = graceService(outbox, clock);
    for (int round = 0; round < 3; round++) {
      String email = "gracerace" + round + "@example.com";
      service.sendVerificationCode(email, REG, TTL);
      String firstCode = outbox.latestCode(email).orElseThrow();
      String firstLink = linkToken(outbox, email);
      clock.advance(Duration.ofSeconds(5));
      service.sendVerificationCode(email, REG, TTL);
      String secondCode = outbox.latestCode(email).orElseThrow();
      List<VerifyResult> results = race(99, i -> switch (i % 3) {
        case 0 -> service.verifyCode(email, REG, firstCode);
        case 1 -> service.verifyCode(email, REG, secondCode);
        default -> service.verifyLink(firstLink, REG, null);
      });
      assertEquals(1, count(results, r -> r instanceof VerifyResult.Verified), "round " + round);
      assertEquals(0, count(results, r -> r instanceof VerifyResult.Invalid), "every try was right: round " + round);
    }
  }

  // --- C33: the revert link of a change of address, through a real service over this store ----

  private static final Pattern REVERT_TOKEN = Pattern.compile("https://app\\.example\\.com/revert\\?token=([A-Za-z0-9_-]{43})");
  private static final Duration REVERT_VALIDITY = Duration.ofDays(7);

  /** A service over this store that sends the notice of a change of address with a revert link. */
  private VerificationCodeService revertService(InMemoryOutbox outbox, MutableClock clock) {
    return VerificationCodeService.builder()
        .transport(outbox)
        .store(store)
        .clock(clock)
        .secret(LINK_SECRET)
        .revertLinkBaseUrl(URI.create("https://app.example.com/revert"))
        .build();
  }

  private static String revertToken(InMemoryOutbox outbox, String oldEmail) {
    return tokenInLatestMail(outbox, oldEmail, REVERT_TOKEN, "the notice's text part shows the revert link");
  }

  @Test
  @DisplayName("C33: a token record keeps the new address of a change of address; other tokens have none")
  void tokenRecordKeepsTheNewAddress() {
    Instant expires = T0.plus(REVERT_VALIDITY);
    store.storeToken("hash-revert", new TokenRecord("Old@example.com", VerificationType.CHANGE_EMAIL, T0, expires,
        "New.Name@example.org"), T0);
    store.storeToken("hash-plain", new TokenRecord("old@example.com", VerificationType.CHANGE_EMAIL, T0, expires), T0);
    TokenRecord revert = store.takeToken("hash-revert", "old@example.com", T0).orElseThrow();
    assertEquals(new TokenRecord("Old@example.com", VerificationType.CHANGE_EMAIL, T0, expires, "New.Name@example.org"),
        revert);
    assertNull(store.takeToken("hash-plain", null, T0).orElseThrow().newAddress());
  }

  @Test
  @DisplayName("C33: the revert link works once, for the old address only (another address leaves it usable); stored only hashed (C14)")
  void revertWorksOnceForTheOldAddressOnly() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    VerificationCodeService service = revertService(outbox, MutableClock.at(T0));
    assertInstanceOf(SendResult.Sent.class, service.notifyAddressChanged("old@example.com", "new@example.org"));
    String token = revertToken(outbox, "old@example.com");
    String dump = dump(store);
    assertTrue(dump.contains("old@example.com"), "the dump shows no address, so it cannot be the whole store");
    assertFalse(dump.contains(token), "C14: a dump holds the revert token");

    assertTrue(service.revertAddressChange(token, "new@example.org").isEmpty(), "the new address cannot revert");
    assertTrue(service.revertAddressChange(token, "someone@example.com").isEmpty());
    assertTrue(service.redeem(token, VerificationType.CHANGE_EMAIL).isEmpty(), "a revert token is no verification token");
    AddressChange change = service.revertAddressChange(token, "OLD@Example.COM").orElseThrow();
    assertEquals(new AddressChange("old@example.com", "new@example.org", T0), change);
    assertTrue(service.revertAddressChange(token, "old@example.com").isEmpty(), "a revert link works once");
  }

  @Test
  @DisplayName("C33, C8: 100 threads reverting one change at once, half for the old address and half for others - exactly one wins")
  void raceRevert() throws Exception {
    InMemoryOutbox outbox = MailTransport.inMemory();
    VerificationCodeService service = revertService(outbox, MutableClock.at(T0));
    service.notifyAddressChanged("raced@example.com", "thief@example.net");
    String token = revertToken(outbox, "raced@example.com");
    List<Optional<AddressChange>> results = race(THREADS,
        i -> service.revertAddressChange(token, i % 2 == 0 ? "raced@example.com" : "x" + i + "@example.com"));
    assertEquals(1, count(results, Optional::isPresent));
    assertTrue(service.revertAddressChange(token, "raced@example.com").isEmpty());
  }

  @Test
  @DisplayName("C33: a revert link works until 7 days after the change and is refused from then on")
  void revertExpiresAfterSevenDays() {
    InMemoryOutbox outbox = MailTransport.inMemory();
    MutableClock clock = MutableClock.at(T0);
    VerificationCodeService service = revertService(outbox, clock);
    service.notifyAddressChanged("early@example.com", "e2@example.org");
    String early = revertToken(outbox, "early@example.com");
    service.notifyAddressChanged("late@example.com", "l2@example.org");
    String late = revertToken(outbox, "late@example.com");

    clock.advance(REVERT_VALIDITY.minusMillis(1));
    assertTrue(service.revertAddressChange(early, "early@example.com").isPresent(), "valid until the last millisecond");
    clock.advance(Duration.ofMillis(1));
    assertTrue(service.revertAddressChange(late, "late@example.com").isEmpty(), "refused after 7 days");
  }

  private static <T> List<T> race(int threads, Race.Task<T> task) throws Exception {
    return Race.run(threads, task);
  }

  private static <T> long count(List<T> results, Predicate<T> which) {
    return results.stream().filter(which).count();
  }
}
