package dev.mailverify.core;

import dev.mailverify.core.VerificationEvent.Reason;
import dev.mailverify.core.internal.Secrets;
import dev.mailverify.core.spi.AttemptResult;
import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.EmailMessage;
import dev.mailverify.core.spi.LimitingCodeStore;
import dev.mailverify.core.spi.PendingCode;
import dev.mailverify.core.spi.TokenRecord;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one implementation of {@link VerificationCodeService}, made only by its builder. It
 * orchestrates; its collaborators do the work: {@link Admission} (limits and their permits, the
 * recipient check), {@link CodeMailComposer} (the mail), {@link DeliveryTracker} (the transport and
 * what becomes of a mail), {@link IdempotentSends} (repeated requests) and {@link ServiceEvents}
 * (the audit line and the listeners).
 */
final class DefaultVerificationCodeService implements VerificationCodeService {
  /** Longer input is refused unread (C2). */
  private static final int MAX_CODE_INPUT = 64;

  private final ServiceSettings settings;
  private final CodeStore store;
  /** The store, when it takes the limiter's permits with its own operations; else null. */
  private final @Nullable LimitingCodeStore limitingStore;
  private final Clock clock;
  private final Secrets secrets;
  private final Admission admission;
  private final CodeMailComposer composer;
  private final DeliveryTracker delivery;
  private final IdempotentSends idempotent;
  private final ServiceEvents events;
  private final AddressChanges addressChanges;

  DefaultVerificationCodeService(ServiceSettings settings) {
    this.settings = settings;
    this.store = settings.store();
    this.limitingStore = store instanceof LimitingCodeStore l && l.sharesBucketsWith(settings.limiter()) ? l : null;
    this.clock = settings.clock();
    this.secrets = settings.secrets();
    this.events = new ServiceEvents(settings.listeners());
    this.admission = new Admission(settings.limiter(), settings.perAddressTotalQuota(), settings.recipientCheck());
    this.composer = new CodeMailComposer(settings.renderer(), settings.from(),
        settings.transport().defaultSender().orElse(null), settings.appName(), settings.defaultLocale());
    this.delivery = new DeliveryTracker(settings.transport(), store, clock, events,
        (key, at) -> admission.liftCooldown(key, settings.policy(key.type()), at));
    this.idempotent = new IdempotentSends(clock);
    this.addressChanges = new AddressChanges(settings, events);
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
    return idempotencyKey == null ? send(request) : idempotent.sendOnce(request, idempotencyKey, this::send);
  }

  /** Validate, admit, issue, render, deliver, answer. */
  private SendResult send(SendRequest request) {
    VerificationPolicy policy = settings.policy(request.type());
    Admission.checkLimitKeys(request, policy);
    Instant now = clock.instant();
    EmailAddress address;
    try {
      address = EmailAddress.parse(request.email());
    } catch (InvalidAddressException e) {
      return answer(now, request, null, new SendResult.InvalidAddress(e.reason(), e.getMessage()));
    }
    CodeKey key = CodeKey.of(request.type(), address);

    LimitingCodeStore limiting = limitingStore;
    Admission.Permits permits = limiting == null
        ? admission.admit(key, request, policy, now) // C10-C12
        : admission.admitUnshared(key, request, policy, now); // the rest is taken with the code
    SendResult.RateLimited limited = permits.refusal();
    if (limited != null) {
      return answer(now, request, address, limited);
    }
    SendResult.InvalidAddress refused = admission.checkRecipient(address); // C30
    Optional<EmailAddress> suggestion = settings.typoSuggestions().suggest(address); // "did you mean ...?"
    if (refused != null) {
      return answer(now, request, address, settings.typoSuggestions().explain(refused, suggestion));
    }

    Duration requestedTtl = request.ttl();
    Duration ttl = requestedTtl != null ? requestedTtl : policy.defaultTtl();
    Instant expiresAt = now.plus(ttl);
    URI linkBase = policy.linkBaseUrl().orElse(null);
    String device = request.sameDevice();
    String linkToken = linkBase == null ? null
        : device == null ? secrets.newToken()
        : secrets.bindToDevice(secrets.newToken(), request.type(), device); // C32: same-device option
    String code = linkToken == null
        ? secrets.newCode(policy.alphabet().symbols(), policy.codeLength())
        : secrets.linkCode(linkToken, policy.alphabet().symbols(), policy.codeLength()); // C32: one verification
    EmailMessage message;
    try {
      String link = linkBase == null || linkToken == null ? null : link(linkBase, linkToken, request.type());
      message = composer.compose(request, address, code, link, ttl, now, expiresAt);
    } catch (RuntimeException e) {
      permits.giveBack(now); // a broken template is not the user's fault: keep their budget
      throw e;
    }
    DeliveryTracker.Ticket ticket = delivery.track(key, request, address, permits, now, message.messageId());
    PendingCode pending = new PendingCode(secrets.mac(key, code), expiresAt, policy.maxAttempts(), 0);
    try {
      if (linkToken != null) { // the link's name first: a code is never pending without its link
        store.storeToken(secrets.linkHashes(request.type(), linkToken).get(0),
            new TokenRecord(address.address(), request.type(), now, expiresAt), now);
      }
      if (limiting == null) {
        store.issue(key, pending, policy.resendGrace(), now); // zero grace: the old code dies (C4)
      } else {
        Optional<LimitingCodeStore.Refusal> refusal =
            limiting.issue(key, pending, policy.resendGrace(), admission.addressPermits(key, policy), now);
        if (refusal.isPresent()) {
          delivery.untrack(ticket);
          permits.giveBack(now);
          return answer(now, request, address, Admission.refusal(policy, refusal.get()));
        }
      }
    } catch (RuntimeException e) {
      // C29: the code was not stored, so no mail goes out and no permit stays taken
      delivery.untrack(ticket);
      permits.giveBackAfter(e, now);
      throw e;
    }

    DeliveryTracker.Handover handover = delivery.handOver(ticket, message, expiresAt);
    SendResult result = handover.result();
    if (suggestion.isPresent() && result instanceof SendResult.Sent sent) {
      result = new SendResult.Sent(sent.email(), sent.type(), sent.expiresAt(), sent.delivery(), suggestion);
    }
    events.send(now, request, address, result, message.messageId());
    handover.reportWhenDone(); // after the QUEUED event, so listeners see it first (C27)
    return result;
  }

  /** Publishes a send's outcome (C17) and returns it. */
  private SendResult answer(Instant now, SendRequest request, @Nullable EmailAddress address, SendResult result) {
    events.send(now, request, address, result, null);
    return result;
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
      events.verify(now, type, null, new VerifyResult.NotFound(), Reason.INVALID_ADDRESS);
      return new VerifyResult.NotFound();
    }
    VerificationPolicy policy = settings.policy(type);
    CodeKey key = CodeKey.of(type, address);

    String normalized = normalizeCode(code, policy);
    List<byte[]> candidates = secrets.candidates(key, normalized != null ? normalized : "\u0000");
    // with a limiting store the token is made first, so the store can keep it with the consumption
    IssuedToken issued = limitingStore != null ? newToken(address, type, now, policy) : null;
    AttemptResult attempt = attempt(key, normalized != null ? candidates : List.of(), policy, now, issued);
    if (attempt == null) {
      events.verify(now, type, address, new VerifyResult.Locked(), Reason.FAILED_ATTEMPTS_QUOTA);
      return new VerifyResult.Locked();
    }
    VerifyResult result = result(attempt, address, type, now, policy, issued);
    boolean malformed = normalized == null && attempt.outcome() == AttemptResult.Outcome.MISMATCHED;
    events.verify(now, type, address, result, malformed ? Reason.MALFORMED_INPUT : null);
    return result;
  }

  private VerifyResult result(AttemptResult attempt, EmailAddress address, VerificationType type, Instant now,
      VerificationPolicy policy, @Nullable IssuedToken issued) {
    return switch (attempt.outcome()) {
      case MATCHED -> issued != null ? new VerifyResult.Verified(issued.token(), issued.record().expiresAt())
          : redeemable(address, type, now, policy);
      case MISMATCHED -> new VerifyResult.Invalid(attempt.remainingAttempts());
      case EXPIRED -> new VerifyResult.Expired();
      case LOCKED -> new VerifyResult.Locked();
      case NOT_FOUND -> new VerifyResult.NotFound();
    };
  }

  /** The link of a mail: the configured base URL (C21) with the token and the type appended. */
  private static String link(URI base, String token, VerificationType type) {
    String s = base.toString();
    String separator = base.getRawQuery() == null ? (s.endsWith("?") ? "" : "?") : "&";
    return s + separator + "token=" + token + "&type=" + URLEncoder.encode(type.name(), StandardCharsets.UTF_8);
  }

  @Override
  public VerifyResult verifyLink(LinkRequest request) {
    Objects.requireNonNull(request, "request");
    String token = request.token();
    VerificationType type = request.type();
    String clientKey = request.clientKey();
    Instant now = clock.instant();
    VerificationPolicy policy = settings.policy(type);
    String wrongLinks = clientKey == null ? null : "links:client:" + clientKey;
    if (wrongLinks != null && !settings.limiter().tryAcquire(wrongLinks, policy.perClientQuota(), now).granted()) {
      events.verify(now, type, null, new VerifyResult.NotFound(), Reason.FAILED_ATTEMPTS_QUOTA);
      return new VerifyResult.NotFound(); // a flood of made-up links: not even looked up
    }
    Secrets.DeviceCheck device = secrets.checkDevice(token, type, request.sameDevice());
    if (device == Secrets.DeviceCheck.OTHER_DEVICE) { // a genuine link in another browser: ask for the code
      if (wrongLinks != null) {
        settings.limiter().release(wrongLinks, now);
      }
      events.verify(now, type, null, new VerifyResult.CodeRequired(), null);
      return new VerifyResult.CodeRequired();
    }
    Optional<TokenRecord> link;
    try {
      link = device == Secrets.DeviceCheck.FORGED ? Optional.empty() : takeLink(token, type, now);
    } catch (RuntimeException e) { // C29: a store failure counts nothing against the client
      if (wrongLinks != null) {
        try {
          settings.limiter().release(wrongLinks, now);
        } catch (RuntimeException r) {
          e.addSuppressed(r);
        }
      }
      throw e;
    }
    if (link.isEmpty()) { // the permit stays taken: a wrong link counts against the client only
      events.verify(now, type, null, new VerifyResult.NotFound(), Reason.MALFORMED_INPUT);
      return new VerifyResult.NotFound();
    }
    if (wrongLinks != null) {
      settings.limiter().release(wrongLinks, now);
    }
    EmailAddress address = EmailAddress.parse(link.get().address());
    CodeKey key = CodeKey.of(type, address);
    List<byte[]> candidates =
        secrets.linkCandidates(key, token, policy.alphabet().symbols(), policy.codeLength());
    AttemptResult attempt = attempt(key, candidates, policy, now, null);
    if (attempt == null) {
      events.verify(now, type, address, new VerifyResult.Locked(), Reason.FAILED_ATTEMPTS_QUOTA);
      return new VerifyResult.Locked();
    }
    VerifyResult result = result(attempt, address, type, now, policy, null);
    events.verify(now, type, address, result, null);
    return result;
  }

  /** Takes the record a link token names, under the current secret first, then rotated ones. */
  private Optional<TokenRecord> takeLink(String token, VerificationType type, Instant now) {
    for (String name : secrets.linkHashes(type, token)) {
      Optional<TokenRecord> link = store.takeToken(name, null, now).filter(r -> r.type().equals(type));
      if (link.isPresent()) {
        return link;
      }
    }
    return Optional.empty();
  }

  /**
   * One try within the failed-tries budget of the address and type (C7), counted only if wrong;
   * null if the budget is used up. With a {@link LimitingCodeStore} that is one store operation;
   * otherwise a permit is taken first and given back unless the try turns out wrong, or the store
   * fails (C29: a verify that fails at the store counts no try).
   */
  private @Nullable AttemptResult attempt(CodeKey key, List<byte[]> candidates, VerificationPolicy policy,
      Instant now, @Nullable IssuedToken issued) {
    LimitingCodeStore limiting = limitingStore;
    if (limiting != null && issued != null) {
      return limiting.attemptAndStoreToken(key, candidates, admission.failedTries(key, policy),
          Secrets.tokenHash(key.type(), issued.token()), issued.record(), now).orElse(null);
    }
    if (!admission.takeFailedTry(key, policy, now)) {
      return null;
    }
    AttemptResult attempt;
    try {
      attempt = store.attempt(key, candidates, now);
    } catch (RuntimeException e) {
      admission.giveBackFailedTryAfter(e, key, now);
      throw e;
    }
    if (attempt.outcome() != AttemptResult.Outcome.MISMATCHED) {
      admission.giveBackFailedTry(key, now);
    }
    return attempt;
  }

  /** A token made before the attempt, for a {@link LimitingCodeStore} that stores it with the match. */
  private record IssuedToken(String token, TokenRecord record) {
    @Override
    public String toString() {
      return "IssuedToken[token=[PROTECTED], expiresAt=" + record.expiresAt() + "]"; // C16
    }
  }

  private IssuedToken newToken(EmailAddress address, VerificationType type, Instant now, VerificationPolicy policy) {
    return new IssuedToken(secrets.newToken(), new TokenRecord(address.address(), type, now,
        now.plus(policy.tokenTtl())));
  }

  /** Issues the token a right code earns (C9) and stores its hash. */
  private VerifyResult.Verified redeemable(EmailAddress address, VerificationType type, Instant now,
      VerificationPolicy policy) {
    String token = secrets.newToken();
    Instant tokenExpiry = now.plus(policy.tokenTtl());
    store.storeToken(Secrets.tokenHash(type, token), new TokenRecord(address.address(), type, now, tokenExpiry), now);
    return new VerifyResult.Verified(token, tokenExpiry);
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
      events.redeem(clock.instant(), type, null, false, Reason.INVALID_EXPECTED_ADDRESS);
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
    events.redeem(now, type, subject, verified.isPresent(),
        verified.isEmpty() && expected != null ? Reason.NO_TOKEN_FOR_ADDRESS : null);
    return verified;
  }

  @Override
  public SendResult notifyAddressChanged(String oldEmail, String newEmail) {
    return notifyAddressChanged(oldEmail, newEmail, settings.defaultLocale());
  }

  @Override
  public SendResult notifyAddressChanged(String oldEmail, String newEmail, java.util.Locale locale) {
    Objects.requireNonNull(oldEmail, "oldEmail");
    Objects.requireNonNull(newEmail, "newEmail");
    Objects.requireNonNull(locale, "locale");
    return addressChanges.notifyChanged(oldEmail, newEmail, locale);
  }

  @Override
  public Optional<AddressChange> revertAddressChange(String token, String expectedOldEmail) {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(expectedOldEmail, "expectedOldEmail");
    return addressChanges.revert(token, expectedOldEmail);
  }

  @Override
  public String toString() {
    return "VerificationCodeService[transport=" + settings.transport() + ", store=" + store + ", limiter="
        + settings.limiter() + ", renderer=" + settings.renderer() + "]";
  }
}
