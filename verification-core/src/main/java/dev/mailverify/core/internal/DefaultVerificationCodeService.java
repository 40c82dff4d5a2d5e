package dev.mailverify.core.internal;

import dev.mailverify.core.CodeAlphabet;
import dev.mailverify.core.DeliveryException;
import dev.mailverify.core.DeliveryReceipt;
import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.InvalidAddressException;
import dev.mailverify.core.Mailbox;
import dev.mailverify.core.Quota;
import dev.mailverify.core.SendRequest;
import dev.mailverify.core.SendResult;
import dev.mailverify.core.VerificationCodeService;
import dev.mailverify.core.VerificationEvent;
import dev.mailverify.core.VerificationEvent.Action;
import dev.mailverify.core.VerificationEvent.Outcome;
import dev.mailverify.core.VerificationListener;
import dev.mailverify.core.VerificationPolicy;
import dev.mailverify.core.VerificationType;
import dev.mailverify.core.VerifiedEmail;
import dev.mailverify.core.VerifyResult;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.DeliveryContext;
import dev.mailverify.core.spi.DeliveryOutcome;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.MailTransport;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.RecipientCheck;
import dev.mailverify.core.spi.RenderedMail;
import dev.mailverify.core.spi.TemplateContext;
import dev.mailverify.core.spi.TemplateRenderer;
import dev.mailverify.core.spi.TokenRecord;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one implementation of {@link VerificationCodeService}; built by its builder. */
public final class DefaultVerificationCodeService implements VerificationCodeService {
  private static final Logger AUDIT = LoggerFactory.getLogger("dev.mailverify.audit");
  private static final Logger LOG = LoggerFactory.getLogger(DefaultVerificationCodeService.class);
  /** Longer input is refused unread (C2). */
  private static final int MAX_CODE_INPUT = 64;
  /** How many idempotency keys one instance remembers at most. */
  private static final int IDEMPOTENCY_ENTRIES = 100_000;
  /** The longest TTL a code can have: an unfinished first call is remembered at most this long. */
  private static final Duration MAX_TTL = Duration.ofHours(24);

  private final MailTransport transport;
  private final CodeStore store;
  private final RateLimiter limiter;
  private final TemplateRenderer renderer;
  private final Clock clock;
  private final Secrets secrets;
  private final VerificationPolicy defaultPolicy;
  private final Map<VerificationType, VerificationPolicy> policies;
  private final List<VerificationListener> listeners;
  private final @Nullable Mailbox from;
  private final @Nullable String appName;
  private final Locale defaultLocale;
  private final Quota perAddressTotalQuota;
  private final @Nullable RecipientCheck recipientCheck;
  /** The latest send per key while its mail may still fail: see {@link #delivered}. */
  private final ConcurrentMap<CodeKey, Object> inFlight = new ConcurrentHashMap<>();
  /** Results by idempotency key (C10 covers other instances); entries live until the code expires. */
  private final Cache<String, CompletableFuture<SendResult>> idempotent;

  /**
   * Creates the service; use {@link VerificationCodeService#builder()}.
   *
   * @param transport the transport
   * @param store the store
   * @param limiter the rate limiter
   * @param renderer the renderer
   * @param clock the clock
   * @param secrets the secrets
   * @param defaultPolicy the policy for types without one
   * @param policies policies per type
   * @param listeners event listeners
   * @param from the sender, or null for the transport's
   * @param appName the application name, or null
   * @param defaultLocale the locale when a request has none
   * @param perAddressTotalQuota the cap per address across all types
   * @param recipientCheck the check before storing and sending, or null
   */
  public DefaultVerificationCodeService(MailTransport transport, CodeStore store, RateLimiter limiter,
      TemplateRenderer renderer, Clock clock, Secrets secrets, VerificationPolicy defaultPolicy,
      Map<VerificationType, VerificationPolicy> policies, List<VerificationListener> listeners,
      @Nullable Mailbox from, @Nullable String appName, Locale defaultLocale, Quota perAddressTotalQuota,
      @Nullable RecipientCheck recipientCheck) {
    this.transport = transport;
    this.store = store;
    this.limiter = limiter;
    this.renderer = renderer;
    this.clock = clock;
    this.secrets = secrets;
    this.defaultPolicy = defaultPolicy;
    this.policies = policies;
    this.listeners = listeners;
    this.from = from;
    this.appName = appName;
    this.defaultLocale = defaultLocale;
    this.perAddressTotalQuota = perAddressTotalQuota;
    this.recipientCheck = recipientCheck;
    this.idempotent = Caffeine.newBuilder()
        .maximumSize(IDEMPOTENCY_ENTRIES)
        .ticker(() -> {
          Instant t = clock.instant();
          return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        })
        .expireAfter(Expiry.<String, CompletableFuture<SendResult>>creating((k, v) -> MAX_TTL))
        .build();
    transport.adoptOutcomes(this::adopted); // C31: mails this instance finishes for a stopped one
  }

  private VerificationPolicy policy(VerificationType type) {
    return policies.getOrDefault(type, defaultPolicy);
  }

  @Override
  public SendResult sendVerificationCode(String email, VerificationType type, Duration ttl) {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(ttl, "ttl");
    return sendVerificationCode(SendRequest.builder(email, type).ttl(ttl).build());
  }

  @Override
  public SendResult sendVerificationCode(SendRequest request) {
    Objects.requireNonNull(request, "request");
    String idempotencyKey = request.idempotencyKey();
    if (idempotencyKey == null) {
      return send(request);
    }
    String cacheKey = request.type().name() + '\u0000' + request.email().trim() + '\u0000' + idempotencyKey;
    CompletableFuture<SendResult> mine = new CompletableFuture<>();
    CompletableFuture<SendResult> first = idempotent.asMap().putIfAbsent(cacheKey, mine);
    if (first != null) {
      try {
        return first.join(); // a duplicate: the first call's result, no second mail
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    SendResult result;
    try {
      result = send(request);
    } catch (RuntimeException e) {
      idempotent.asMap().remove(cacheKey, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    mine.complete(result);
    if (result instanceof SendResult.Sent sent) {
      Duration keep = Duration.between(clock.instant(), sent.expiresAt());
      idempotent.policy().expireVariably().ifPresent(p -> p.setExpiresAfter(cacheKey,
          keep.isNegative() ? Duration.ZERO : keep));
    } else {
      idempotent.asMap().remove(cacheKey, mine); // a failure or a refusal: the next try may send
    }
    return result;
  }

  private SendResult send(SendRequest request) {
    VerificationType type = request.type();
    VerificationPolicy policy = policy(type);
    for (String keyName : request.limitKeys().keySet()) {
      if (!policy.customQuotas().containsKey(keyName)) {
        throw new IllegalArgumentException("limit key '" + keyName + "' has no quota in the policy for " + type
            + "; add VerificationPolicy.Builder.customQuota(\"" + keyName + "\", ...)");
      }
    }
    Instant now = clock.instant();
    EmailAddress address;
    try {
      address = EmailAddress.parse(request.email());
    } catch (InvalidAddressException e) {
      publish(now, Action.SEND, type, null, request.clientKey(), Outcome.INVALID_ADDRESS, e.reason().name());
      return new SendResult.InvalidAddress(e.reason(), e.getMessage());
    }
    CodeKey key = CodeKey.of(type, address);

    // Limits (C10-C12): each permit taken is given back if a later one refuses.
    List<String> taken = new ArrayList<>(4);
    String cooldownKey = limitKey("cooldown", key);
    SendResult.RateLimited limited = null;
    if (!policy.cooldown().isZero()) {
      limited = acquire(cooldownKey, new Quota(1, policy.cooldown()), now, SendResult.Limit.COOLDOWN, taken);
    }
    if (limited == null) {
      limited = acquire(limitKey("address", key), policy.perAddressQuota(), now,
          SendResult.Limit.ADDRESS_QUOTA, taken);
    }
    if (limited == null) {
      limited = acquire("address-all:" + key.address(), perAddressTotalQuota, now, SendResult.Limit.ADDRESS_TOTAL_QUOTA,
          taken);
    }
    if (limited == null && request.clientKey() != null) {
      limited = acquire("client:" + request.clientKey(), policy.perClientQuota(), now,
          SendResult.Limit.CLIENT_QUOTA, taken);
    }
    if (limited == null) {
      for (Map.Entry<String, String> e : request.limitKeys().entrySet()) {
        limited = acquire("custom:" + e.getKey() + ":" + e.getValue(), policy.customQuotas().get(e.getKey()), now,
            SendResult.Limit.CUSTOM_QUOTA, taken);
        if (limited != null) {
          break;
        }
      }
    }
    if (limited != null) {
      releaseAll(taken, now);
      publish(now, Action.SEND, type, address, request.clientKey(), Outcome.RATE_LIMITED, limited.limit().name());
      return limited;
    }

    SendResult.@Nullable InvalidAddress refused = checkRecipient(address);
    if (refused != null) {
      publish(now, Action.SEND, type, address, request.clientKey(), Outcome.INVALID_ADDRESS, refused.reason().name());
      return refused;
    }

    Duration ttl = request.ttl() != null ? request.ttl() : policy.defaultTtl();
    Instant expiresAt = now.plus(ttl);
    String code = secrets.newCode(policy.alphabet().symbols(), policy.codeLength());
    EmailMessage message;
    try {
      Locale locale = request.locale() != null ? request.locale() : defaultLocale;
      RenderedMail mail = renderer.render(TemplateContext.builder(type, code, address)
          .locale(locale).validity(ttl).appName(appName).values(request.templateValues()).build());
      message = EmailMessage.builder(address)
          .from(from)
          .subject(mail.subject())
          .text(mail.text())
          .html(mail.html())
          .code(code)
          .date(now)
          .notAfter(expiresAt)
          .build();
    } catch (RuntimeException e) {
      releaseAll(taken, now); // a broken template is not the user's fault: keep their budget
      throw e;
    }

    Object ticket = new Object();
    inFlight.put(key, ticket); // a newer send for this key: an older queued mail's failure must not kill its code
    store.issue(key, new PendingCode(secrets.mac(key, code), expiresAt, policy.maxAttempts(), 0), now);
    CompletableFuture<DeliveryReceipt> outcome = new CompletableFuture<>();
    try {
      transport.sendAsync(message, new DeliveryContext(key, request.clientKey(), now)).whenComplete((receipt, error) -> {
        if (error != null) {
          outcome.completeExceptionally(error);
        } else {
          outcome.complete(receipt);
        }
      });
    } catch (RuntimeException e) {
      outcome.completeExceptionally(e);
    }
    if (!outcome.isDone() || (transport.queues() && !refusedAtIntake(outcome))) {
      // C27: queued; the final outcome is reported when the transport completes the stage (at once
      // if a fast worker already did: the caller still learns that the mail went through the queue)
      publish(event(now, Action.SEND, type, address, request.clientKey(), Outcome.QUEUED, null).expiresAt(expiresAt));
      outcome.whenComplete((receipt, error) -> delivered(key, ticket, address, type, request.clientKey(),
          cooldownKey, policy, now, receipt, error));
      return new SendResult.Sent(address, type, expiresAt, SendResult.Delivery.QUEUED);
    }
    inFlight.remove(key, ticket);
    DeliveryException failure = failureOf(outcome);
    if (failure != null) {
      store.invalidate(key); // a code nobody received must not stay guessable (C25)
      if (!policy.cooldown().isZero()) {
        limiter.release(cooldownKey, now); // C13: no cooldown after a failure, the caps still count
      }
      publish(now, Action.SEND, type, address, request.clientKey(), Outcome.DELIVERY_FAILED,
          failure.category().name());
      return new SendResult.DeliveryFailed(failure);
    }
    publish(event(now, Action.SEND, type, address, request.clientKey(), Outcome.SENT, null).expiresAt(expiresAt));
    return new SendResult.Sent(address, type, expiresAt, SendResult.Delivery.ACCEPTED);
  }

  /** Whether a completed stage failed before the mail was tried at all (a full or closed queue). */
  private boolean refusedAtIntake(CompletableFuture<DeliveryReceipt> done) {
    DeliveryException failure = failureOf(done);
    return failure != null && failure.attempts() == 0
        && failure.category() != DeliveryException.Category.OUTCOME_UNKNOWN;
  }

  /** The failure of a completed stage as a DeliveryException, or null if it succeeded. */
  private @Nullable DeliveryException failureOf(CompletableFuture<DeliveryReceipt> done) {
    try {
      done.join();
      return null;
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      return asDeliveryException(cause);
    }
  }

  private DeliveryException asDeliveryException(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof DeliveryException d ? d
        : new DeliveryException(DeliveryException.Category.UNKNOWN,
            "transport " + transport.getClass().getSimpleName() + " failed: " + cause.getClass().getName(), cause);
  }

  /**
   * Reports the final outcome of a queued mail (C27) and, on failure, invalidates its code and
   * lifts the cooldown (C25, C13), but only if no newer send for the same key happened in this
   * service since: the newer code must survive an older mail's failure.
   */
  private void delivered(CodeKey key, Object ticket, EmailAddress address, VerificationType type,
      @Nullable String clientKey, String cooldownKey, VerificationPolicy policy, Instant queuedAt,
      @Nullable DeliveryReceipt receipt, @Nullable Throwable error) {
    Instant at = clock.instant();
    Duration elapsed = at.isBefore(queuedAt) ? Duration.ZERO : Duration.between(queuedAt, at);
    if (error == null) {
      inFlight.remove(key, ticket);
      publish(event(at, Action.DELIVER, type, address, clientKey, Outcome.DELIVERED, null)
          .attempts(receipt == null ? 1 : receipt.attempts()).elapsed(elapsed));
      return;
    }
    DeliveryException failure = asDeliveryException(error);
    boolean mayArrive = failure.category() == DeliveryException.Category.OUTCOME_UNKNOWN; // C27: keep its code
    try {
      inFlight.computeIfPresent(key, (k, current) -> {
        if (current != ticket) {
          return current;
        }
        if (!mayArrive) {
          store.invalidate(k); // under the map's lock for this key, so a newer send's issue waits for it
          if (!policy.cooldown().isZero()) {
            limiter.release(cooldownKey, at);
          }
        }
        return null;
      });
    } catch (RuntimeException e) {
      LOG.warn("could not invalidate the code of a failed mail to {}: {}", address.masked(), e.toString());
    }
    publish(event(at, Action.DELIVER, type, address, clientKey, Outcome.DELIVERY_FAILED, failure.category().name())
        .attempts(failure.attempts()).elapsed(elapsed));
  }

  /**
   * Reports the final outcome of a mail another instance queued and this one finished from the
   * durable outbox (C31), like {@link #delivered}: a failure invalidates the code and lifts the
   * cooldown, unless this instance issued a newer code for the key since.
   */
  private void adopted(DeliveryOutcome outcome) {
    DeliveryContext context = outcome.entry().context();
    CodeKey key = context.codeKey();
    EmailAddress address = outcome.entry().message().to();
    Instant at = clock.instant();
    Duration elapsed = at.isBefore(context.queuedAt()) ? Duration.ZERO : Duration.between(context.queuedAt(), at);
    VerificationType type = key != null ? key.type() : VerificationType.of("unknown");
    DeliveryException failure = outcome.failure();
    if (failure == null) {
      publish(event(at, Action.DELIVER, type, address, context.clientKey(), Outcome.DELIVERED, null)
          .attempts(outcome.receipt().attempts()).elapsed(elapsed));
      return;
    }
    if (key != null && failure.category() != DeliveryException.Category.OUTCOME_UNKNOWN) {
      try {
        VerificationPolicy policy = policy(key.type());
        inFlight.compute(key, (k, current) -> {
          if (current == null) { // no newer send for this key on this instance
            store.invalidate(k);
            if (!policy.cooldown().isZero()) {
              limiter.release(limitKey("cooldown", k), at);
            }
          }
          return current;
        });
      } catch (RuntimeException e) {
        LOG.warn("could not invalidate the code of a failed mail to {}: {}", address.masked(), e.toString());
      }
    }
    publish(event(at, Action.DELIVER, type, address, context.clientKey(), Outcome.DELIVERY_FAILED,
        failure.category().name()).attempts(failure.attempts()).elapsed(elapsed));
  }

  /** Runs the recipient check, failing open when it throws (C30). */
  private SendResult.@Nullable InvalidAddress checkRecipient(EmailAddress address) {
    if (recipientCheck == null) {
      return null;
    }
    try {
      return recipientCheck.check(address).orElse(null);
    } catch (RuntimeException e) {
      LOG.warn("recipient check {} failed for {}; sending anyway (fail open): {}", recipientCheck, address.masked(),
          e.toString());
      return null;
    }
  }

  /** The limiter key for an address and type: {@code kind:type:address}, built in one concatenation. */
  private static String limitKey(String kind, CodeKey key) {
    return kind + ':' + key.type().name() + ':' + key.address();
  }

  private SendResult.@Nullable RateLimited acquire(String key, Quota quota, Instant now, SendResult.Limit limit,
      List<String> taken) {
    RateLimiter.Decision d = limiter.tryAcquire(key, quota, now);
    if (!d.granted()) {
      return new SendResult.RateLimited(limit, d.retryAfter());
    }
    taken.add(key);
    return null;
  }

  private void releaseAll(List<String> keys, Instant now) {
    for (String k : keys) {
      limiter.release(k, now);
    }
  }

  @Override
  public VerifyResult verifyCode(String email, VerificationType type, @Nullable String code) {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(type, "type");
    Instant now = clock.instant();
    EmailAddress address;
    try {
      address = EmailAddress.parse(email);
    } catch (InvalidAddressException e) {
      publish(now, Action.VERIFY, type, null, null, Outcome.NOT_FOUND, "invalid address");
      return new VerifyResult.NotFound();
    }
    VerificationPolicy policy = policy(type);
    CodeKey key = CodeKey.of(type, address);

    // C7: failed tries per address and type across codes. Take a permit now, give it back
    // unless the try turns out wrong.
    String failuresKey = limitKey("failures", key);
    if (!limiter.tryAcquire(failuresKey, policy.failedAttemptsQuota(), now).granted()) {
      publish(now, Action.VERIFY, type, address, null, Outcome.LOCKED, "failed-attempts quota");
      return new VerifyResult.Locked();
    }
    String normalized = normalizeCode(code, policy);
    List<byte[]> candidates = secrets.candidates(key, normalized != null ? normalized : "\u0000");
    AttemptResult attempt = store.attempt(key, normalized != null ? candidates : List.of(), now);
    if (attempt.outcome() != AttemptResult.Outcome.MISMATCHED) {
      limiter.release(failuresKey, now);
    }
    VerifyResult result;
    switch (attempt.outcome()) {
      case MATCHED -> {
        String token = secrets.newToken();
        Instant tokenExpiry = now.plus(policy.tokenTtl());
        store.storeToken(Secrets.tokenHash(type, token), new TokenRecord(address.address(), type, now, tokenExpiry), now);
        result = new VerifyResult.Verified(token, tokenExpiry);
      }
      case MISMATCHED -> result = new VerifyResult.Invalid(attempt.remainingAttempts());
      case EXPIRED -> result = new VerifyResult.Expired();
      case LOCKED -> result = new VerifyResult.Locked();
      case NOT_FOUND -> result = new VerifyResult.NotFound();
      default -> throw new IllegalStateException("unknown outcome " + attempt.outcome());
    }
    publish(now, Action.VERIFY, type, address, null, verifyOutcome(result),
        normalized == null && attempt.outcome() == AttemptResult.Outcome.MISMATCHED ? "malformed input" : null);
    return result;
  }

  private static Outcome verifyOutcome(VerifyResult r) {
    if (r instanceof VerifyResult.Verified) {
      return Outcome.VERIFIED;
    } else if (r instanceof VerifyResult.Invalid) {
      return Outcome.INVALID;
    } else if (r instanceof VerifyResult.Expired) {
      return Outcome.EXPIRED;
    } else if (r instanceof VerifyResult.Locked) {
      return Outcome.LOCKED;
    }
    return Outcome.NOT_FOUND;
  }

  /**
   * Normalizes typed input (C2): strips ASCII spaces and dashes, upper-cases for a
   * case-insensitive alphabet, and accepts only the alphabet's symbols at the policy's length.
   *
   * @return the normalized code, or null if it cannot match
   */
  static @Nullable String normalizeCode(@Nullable String input, VerificationPolicy policy) {
    if (input == null || input.isEmpty() || input.length() > MAX_CODE_INPUT) {
      return null;
    }
    CodeAlphabet alphabet = policy.alphabet();
    StringBuilder sb = new StringBuilder(policy.codeLength());
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c == ' ' || c == '-') {
        continue;
      }
      if (alphabet.isCaseInsensitive() && c >= 'a' && c <= 'z') {
        c = (char) (c - 'a' + 'A');
      }
      if (alphabet.symbols().indexOf(c) < 0) {
        return null;
      }
      sb.append(c);
    }
    return sb.length() == policy.codeLength() ? sb.toString() : null;
  }

  @Override
  public Optional<VerifiedEmail> redeem(String token, VerificationType type) {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(type, "type");
    return take(token, type, null);
  }

  @Override
  public Optional<VerifiedEmail> redeem(String token, VerificationType type, String expectedEmail) {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(expectedEmail, "expectedEmail");
    EmailAddress expected;
    try {
      expected = EmailAddress.parse(expectedEmail);
    } catch (InvalidAddressException e) {
      publish(clock.instant(), Action.REDEEM, type, null, null, Outcome.REDEEM_FAILED, "invalid expected address");
      return Optional.empty();
    }
    return take(token, type, expected);
  }

  private Optional<VerifiedEmail> take(String token, VerificationType type, @Nullable EmailAddress expected) {
    Instant now = clock.instant();
    Optional<TokenRecord> taken = Secrets.isTokenShaped(token)
        ? store.takeToken(Secrets.tokenHash(type, token), expected == null ? null : expected.key(), now)
        : Optional.empty();
    Optional<VerifiedEmail> verified = taken.filter(r -> r.type().equals(type))
        .map(r -> new VerifiedEmail(r.address(), r.type(), r.verifiedAt()));
    EmailAddress subject = verified.map(v -> EmailAddress.parse(v.email())).orElse(expected);
    publish(now, Action.REDEEM, type, subject, null, verified.isPresent() ? Outcome.REDEEMED : Outcome.REDEEM_FAILED,
        verified.isEmpty() && expected != null ? "unknown, used, expired or for another address" : null);
    return verified;
  }

  private void publish(Instant at, Action action, VerificationType type, @Nullable EmailAddress address,
      @Nullable String clientKey, Outcome outcome, @Nullable String detail) {
    publish(event(at, action, type, address, clientKey, outcome, detail));
  }

  private static VerificationEvent.Builder event(Instant at, Action action, VerificationType type,
      @Nullable EmailAddress address, @Nullable String clientKey, Outcome outcome, @Nullable String detail) {
    return VerificationEvent.builder(at, action, type, outcome).email(address).clientKey(clientKey).detail(detail);
  }

  /** Writes the audit line (C17) and hands the event to every listener; a failing listener is logged. */
  private void publish(VerificationEvent.Builder builder) {
    VerificationEvent event = builder.build();
    boolean warn = event.outcome() == Outcome.DELIVERY_FAILED;
    if (warn ? AUDIT.isWarnEnabled() : AUDIT.isInfoEnabled()) {
      EmailAddress address = event.email();
      String line = event.action() + " type=" + event.type() + " to=" + (address == null ? "-" : address.masked())
          + " client=" + (event.clientKey() == null ? "-" : event.clientKey()) + " outcome=" + event.outcome()
          + (event.detail() == null ? "" : " detail=" + event.detail())
          + (event.attempts() == 0 ? "" : " attempts=" + event.attempts())
          + (event.elapsed() == null ? "" : " elapsed=" + event.elapsed().toMillis() + "ms");
      if (warn) {
        AUDIT.warn("{}", line);
      } else {
        AUDIT.info("{}", line);
      }
    }
    if (listeners.isEmpty()) {
      return;
    }
    for (VerificationListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("VerificationListener {} failed on {}", listener, event, e);
      }
    }
  }

  @Override
  public String toString() {
    return "VerificationCodeService[transport=" + transport + ", store=" + store + ", limiter=" + limiter
        + ", renderer=" + renderer + "]";
  }
}
