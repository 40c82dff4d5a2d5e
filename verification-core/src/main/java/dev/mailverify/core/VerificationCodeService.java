package dev.mailverify.core;

import dev.mailverify.core.internal.InMemoryCodeStore;
import dev.mailverify.core.internal.Secrets;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.RecipientCheck;
import dev.mailverify.core.spi.TemplateRenderer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Sends one-time verification codes by e-mail, verifies what the user typed, and redeems the
 * token a successful verification hands out.
 *
 * <pre>{@code
 * InMemoryOutbox outbox = MailTransport.inMemory();          // MailTransport.console() in development
 * VerificationCodeService service = VerificationCodeService.builder().transport(outbox).build();
 *
 * SendResult sent = service.sendVerificationCode("user@example.com", VerificationType.REGISTER,
 *     Duration.ofMinutes(10));
 * String typed = outbox.latestCode("user@example.com").orElseThrow();   // what the user types
 * VerifyResult verified = service.verifyCode("user@example.com", VerificationType.REGISTER, typed);
 * String token = ((VerifyResult.Verified) verified).token();
 * Optional<String> address = service.redeemToken(token, VerificationType.REGISTER);
 * }</pre>
 *
 * <p>Expected outcomes are results, never exceptions: a bad address, a rate limit and a failed
 * delivery are {@link SendResult}s; a wrong, strange, expired or locked code is a
 * {@link VerifyResult}. A {@code null} where none is allowed throws {@link NullPointerException}
 * naming the parameter. Implementations are thread-safe. An e-mailed code proves that the user
 * can read that mailbox; it is not an authentication factor.
 */
public interface VerificationCodeService {

  /**
   * Sends a new code to an address. Same as {@link #sendVerificationCode(SendRequest)} with only
   * these fields.
   *
   * @param email the address as typed; not null
   * @param type what the code is for; not null
   * @param ttl how long the code lives, 1 minute-24 hours; not null
   * @return the outcome
   * @throws IllegalArgumentException if {@code ttl} is outside 1 minute-24 hours
   */
  SendResult sendVerificationCode(String email, VerificationType type, Duration ttl);

  /**
   * Sends a new code: validates and normalizes the address, checks the cooldown and caps,
   * generates a code, stores its keyed hash, renders the mail and hands it to the transport. A
   * new code replaces any pending one for the same address and type.
   *
   * @param request the request; not null
   * @return {@link SendResult.Sent}, {@link SendResult.RateLimited},
   *     {@link SendResult.InvalidAddress} or {@link SendResult.DeliveryFailed}
   * @throws IllegalArgumentException if the request names a limit key the policy has no quota for
   * @throws MailVerifyException if the renderer fails or produced an unsafe header (a
   *     configuration problem, not a delivery one)
   */
  SendResult sendVerificationCode(SendRequest request);

  /**
   * Checks a typed code. Counting the try, comparing in constant time and consuming the code on
   * a match are one atomic store operation.
   *
   * @param email the address as typed; not null
   * @param type what the code is for; not null
   * @param code what the user typed; {@code null}, empty, over-long or foreign input never
   *     matches and never throws
   * @return {@link VerifyResult.Verified} with a single-use token, or {@link VerifyResult.Invalid},
   *     {@link VerifyResult.Expired}, {@link VerifyResult.Locked}, {@link VerifyResult.NotFound}
   */
  VerifyResult verifyCode(String email, VerificationType type, @Nullable String code);

  /**
   * Checks the one-click link sent beside the code, when the type's policy has a
   * {@link VerificationPolicy.Builder#linkBaseUrl link base URL} (C32). The link and the code of
   * one mail are one verification: whichever is used first consumes both, in one atomic store
   * operation, so a link and its code submitted at once give exactly one {@link VerifyResult.Verified}.
   *
   * <p><b>Call this only from the {@code POST} of a button, never from a {@code GET}.</b> Mail
   * scanners (Microsoft Defender Safe Links, Proofpoint, Mimecast) and link previews open every
   * link in a mail, often within seconds and with a headless browser; a {@code GET} that consumed
   * would burn the link, and the code with it, before the user saw the mail. The page served at
   * the link's {@code GET} shows a button; its form posts the token back here.
   *
   * <p>A token that names no pending link (made up, mistyped, already used) is answered
   * {@link VerifyResult.NotFound} and counts against the client key's
   * {@link VerificationPolicy#perClientQuota() per-client quota}, never against an address:
   * a 256-bit token cannot be guessed, so a stream of wrong ones is an attack on the endpoint. Once
   * that budget is used up, the client's links are answered {@code NotFound} unread. A link whose
   * mail was superseded by a resend (C4) counts one wrong try against the address, as a stale
   * code would.
   *
   * <p>Same as {@link #verifyLink(LinkRequest)} without a device value: a link sent with the
   * same-device option is then answered {@link VerifyResult.CodeRequired}.
   *
   * @param token the {@code token} query parameter of the link; not null; any string is safe
   * @param type the {@code type} query parameter, as {@link VerificationType#of}; not null
   * @param clientKey the caller's key (its IP address, say), or {@code null} to count nothing
   * @return the same results as {@link #verifyCode}
   * @throws IllegalArgumentException if {@code clientKey} is blank or longer than 256 characters
   */
  default VerifyResult verifyLink(String token, VerificationType type, @Nullable String clientKey) {
    LinkRequest.Builder request = LinkRequest.builder(token, type);
    if (clientKey != null) {
      request.clientKey(clientKey);
    }
    return verifyLink(request.build());
  }

  /**
   * Checks the one-click link sent beside the code, like {@link #verifyLink(String,
   * VerificationType, String)}, with the value of the device it was opened on: the same-device
   * option (C32, off by default).
   *
   * <p>When the link's send carried {@link SendRequest.Builder#sameDevice a device value}, the link
   * is consumed only when {@code request} carries the same value, that is, in the browser that
   * asked for the mail. With another value or none (another browser, a phone, a mail scanner, a
   * link copied out of a proxy log), nothing is looked up, consumed or counted, and the answer is
   * {@link VerifyResult.CodeRequired}: show a form for the code printed in the same mail, which
   * {@link #verifyCode} still accepts. The check needs no store: the link itself carries a keyed
   * MAC of the device value, and a second MAC that proves this server issued it, so a made-up or
   * altered token is still {@link VerifyResult.NotFound} counted against the client key. Links
   * sent without the option behave as in the three-argument method, whatever device value comes.
   *
   * @param request the token, type, client key and device value; not null
   * @return {@link VerifyResult.CodeRequired} as above, else the same results as {@link #verifyCode}
   */
  VerifyResult verifyLink(LinkRequest request);

  /**
   * Redeems a token from {@link VerifyResult.Verified}, once: the first call for a token returns
   * the verified address, every later call, a call with another type, or a call after the
   * token's expiry returns empty. Same as {@code redeem(token, type).map(VerifiedEmail::email)}.
   *
   * @param token the token; not null
   * @param type the type the code was verified for; not null
   * @return the verified, normalized address, or empty
   */
  default Optional<String> redeemToken(String token, VerificationType type) {
    return redeem(token, type).map(VerifiedEmail::email);
  }

  /**
   * Redeems a token once, like {@link #redeemToken}, and returns what it proves: the address, the
   * type and when the code was verified.
   *
   * @param token the token; not null
   * @param type the type the code was verified for; not null
   * @return what was verified, or empty if the token is unknown, used, expired or of another type
   */
  Optional<VerifiedEmail> redeem(String token, VerificationType type);

  /**
   * Redeems a token only if it was issued to {@code expectedEmail} (compared as normalized
   * addresses, so {@code User@Example.COM} matches {@code user@example.com}). Checking and
   * consuming are one atomic store operation: a registration form submitted with another or
   * mistyped address gets empty and leaves the token usable for the right one.
   *
   * <pre>{@code
   * Optional<VerifiedEmail> proof = service.redeem(form.token(), VerificationType.REGISTER, form.email());
   * if (proof.isEmpty()) {
   *   return badRequest("verify your e-mail address first");
   * }
   * }</pre>
   *
   * @param token the token; not null
   * @param type the type the code was verified for; not null
   * @param expectedEmail the address the caller is about to act on; not null; an invalid address
   *     gives empty
   * @return what was verified, or empty (the token is then not consumed unless it had expired)
   */
  Optional<VerifiedEmail> redeem(String token, VerificationType type, String expectedEmail);

  /**
   * Tells the old address that the account's address was changed (C33), after the application
   * has verified the new one with {@link VerificationType#CHANGE_EMAIL} and stored it. Same as
   * {@link #notifyAddressChanged(String, String, Locale)} in the service's default locale.
   *
   * @param oldEmail the address the account had; not null
   * @param newEmail the address the account has now; not null
   * @return the outcome
   * @throws IllegalStateException if the builder set no {@link Builder#revertLinkBaseUrl}
   */
  SendResult notifyAddressChanged(String oldEmail, String newEmail);

  /**
   * Tells the old address that the account's address was changed (C33): sends it a notice saying
   * what changed (the new address masked, like {@code n***@example.com}) and when, with a "this
   * wasn't me" link to the {@link Builder#revertLinkBaseUrl revert page}, valid for
   * {@link Builder#revertLinkValidity} (7 days by default). The link's token works once, only for
   * the old address, through {@link #revertAddressChange}. Only the token's keyed hash is stored
   * (C14), with both addresses.
   *
   * <p>Call it once the change is made, not before: the notice says it happened. It is not rate
   * limited (the change itself was, through its {@code CHANGE_EMAIL} code). The renderer's
   * {@link dev.mailverify.core.spi.TemplateRenderer#renderAddressChanged} writes the notice.
   *
   * @param oldEmail the address the account had; not null
   * @param newEmail the address the account has now; not null
   * @param locale the language of the notice; not null
   * @return {@link SendResult.Sent} (type {@code CHANGE_EMAIL}, to the old address, {@code expiresAt}
   *     when the revert link stops working), {@link SendResult.InvalidAddress} if either address is
   *     invalid (nothing stored or sent), or {@link SendResult.DeliveryFailed} (the revert token is
   *     then removed again)
   * @throws IllegalStateException if the builder set no {@link Builder#revertLinkBaseUrl}
   * @throws StoreUnavailableException if the revert token could not be stored (nothing was sent)
   */
  SendResult notifyAddressChanged(String oldEmail, String newEmail, Locale locale);

  /**
   * Redeems the revert token of a "this wasn't me" link (C33), once: the first call for a token
   * returns the change, so the application can find the account by {@link AddressChange#newEmail()}
   * and give it back {@link AddressChange#oldEmail()}, and sign out its sessions. The token is
   * taken only if it was sent to {@code expectedOldEmail} (compared as normalized addresses);
   * for another address the answer is empty and the token stays usable. Checking and consuming
   * are one atomic store operation: of many concurrent calls, one wins. After its validity a
   * token gives empty.
   *
   * <p><b>Call this only from the {@code POST} of the revert page's button, never from its
   * {@code GET}</b> (C32): mail scanners open every link in a mail.
   *
   * @param token the {@code token} query parameter of the revert link; not null; any string is safe
   * @param expectedOldEmail the address the application expects the link was sent to: the
   *     account's previous address, which the application keeps with the account when it changes
   *     it, or which the revert page asks the user to type; not null; an invalid address gives empty
   * @return the change, or empty if the token is unknown, used, expired or for another address
   */
  Optional<AddressChange> revertAddressChange(String token, String expectedOldEmail);

  /**
   * Starts a builder. Only the transport is required:
   * {@code VerificationCodeService.builder().transport(MailTransport.console()).build()}.
   *
   * @return a new builder with safe defaults
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link VerificationCodeService}. Each setter checks its argument at once (a
   * {@code null} or an out-of-range value fails right there, naming the setting) and may be called
   * again: the last call wins ({@link #listener} adds one more listener; {@link #policy} sets the
   * policy of one type). {@link #build()} checks the settings together. Every default is the safe
   * one:
   *
   * <ul>
   *   <li>store: {@link CodeStore#inMemory()}; rate limiter: {@link RateLimiter#inMemory()};
   *   <li>renderer: {@link TemplateRenderer#plainText()}; locale: English;
   *   <li>policy: {@link VerificationPolicy#defaults()} for every type;
   *   <li>secret: random per process, allowed only with the in-memory store;
   *   <li>per-address cap across all types: 10 sends per hour ({@link #perAddressTotalQuota});
   *   <li>recipient check: none (syntax only; {@link #recipientCheck});
   *   <li>revert page of a change of address: none ({@link #revertLinkBaseUrl}; required by
   *       {@link VerificationCodeService#notifyAddressChanged}), its link valid 7 days;
   *   <li>typo suggestions: {@link TypoSuggestions#standard()} ({@link #typoSuggestions});
   *   <li>clock: {@link Clock#systemUTC()}.
   * </ul>
   */
  final class Builder {
    private @Nullable MailTransport transport;
    private @Nullable CodeStore store;
    private @Nullable RateLimiter rateLimiter;
    private @Nullable TemplateRenderer renderer;
    private @Nullable Clock clock;
    private byte @Nullable [] secret;
    private List<byte[]> previousSecrets = List.of();
    private @Nullable VerificationPolicy defaultPolicy;
    private final Map<VerificationType, VerificationPolicy> policies = new HashMap<>();
    private final List<VerificationListener> listeners = new ArrayList<>();
    private Quota perAddressTotalQuota = DEFAULT_PER_ADDRESS_TOTAL_QUOTA;
    private @Nullable RecipientCheck recipientCheck;
    private TypoSuggestions typoSuggestions = TypoSuggestions.standard();
    private @Nullable Mailbox from;
    private @Nullable String appName;
    private @Nullable Locale defaultLocale;
    private java.net.@Nullable URI revertLinkBaseUrl;
    private Duration revertLinkValidity = DEFAULT_REVERT_LINK_VALIDITY;

    /** How long the "this wasn't me" link of a change of address works by default: 7 days (C33). */
    public static final Duration DEFAULT_REVERT_LINK_VALIDITY = Duration.ofDays(7);

    /** The default cap on sends to one address across all types: 10 per hour (C11). */
    public static final Quota DEFAULT_PER_ADDRESS_TOTAL_QUOTA = Quota.perHour(10);

    private Builder() {}

    /**
     * Sets the cap on sends to one address across all verification types (C11): the mail-bombing
     * guard, so that an application mapping user input to types cannot be turned into a mail
     * cannon by a made-up type per request. Counted on the normalized address (C12), after the
     * per-type cooldown and cap of {@link VerificationPolicy}; a refusal is
     * {@link SendResult.RateLimited} with {@link SendResult.Limit#ADDRESS_TOTAL_QUOTA}.
     *
     * @param value the cap; default 10 per hour
     * @return this builder
     */
    public Builder perAddressTotalQuota(Quota value) {
      perAddressTotalQuota = Objects.requireNonNull(value, "perAddressTotalQuota");
      return this;
    }

    /**
     * Sets a check that runs before a code is stored or sent, after the rate limits, such as the
     * MX check of {@code verification-smtp}: when it refuses an address the send answers its
     * {@link SendResult.InvalidAddress} and nothing is stored or sent. The refused send still
     * counts toward the caps, so the check cannot be used to probe DNS without limit. A check
     * that throws is logged and the send goes on (fail open; C30).
     *
     * @param value the check
     * @return this builder
     */
    public Builder recipientCheck(RecipientCheck value) {
      recipientCheck = Objects.requireNonNull(value, "recipientCheck");
      return this;
    }

    /**
     * Sets the "did you mean ...?" suggestions for addresses whose domain looks like a typo of a
     * major provider's ({@code li@gmial.com}): {@link SendResult.Sent#suggestion()} and
     * {@link SendResult.InvalidAddress#suggestion()} carry the address meant, and a typo domain a
     * recipient check refuses as disposable answers {@link InvalidAddressReason#LIKELY_TYPO} instead
     * of {@link InvalidAddressReason#DISPOSABLE_DOMAIN} (the typo list is checked first). Pure
     * string work after the rate limits, a few microseconds per send; no I/O.
     *
     * @param value the suggestions; default {@link TypoSuggestions#standard()};
     *     {@link TypoSuggestions#none()} turns them off
     * @return this builder
     */
    public Builder typoSuggestions(TypoSuggestions value) {
      typoSuggestions = Objects.requireNonNull(value, "typoSuggestions");
      return this;
    }

    /**
     * Sets how mail leaves. Required.
     *
     * @param value the transport
     * @return this builder
     */
    public Builder transport(MailTransport value) {
      Objects.requireNonNull(value, "transport");
      transport = value;
      return this;
    }

    /**
     * Sets where codes and tokens live. A store other than the built-in in-memory one needs a
     * {@link #secret} shared by every instance of the application.
     *
     * @param value the store
     * @return this builder
     */
    public Builder store(CodeStore value) {
      Objects.requireNonNull(value, "store");
      store = value;
      return this;
    }

    /**
     * Sets the rate limiter for cooldowns and caps.
     *
     * @param value the limiter
     * @return this builder
     */
    public Builder rateLimiter(RateLimiter value) {
      Objects.requireNonNull(value, "rateLimiter");
      rateLimiter = value;
      return this;
    }

    /**
     * Sets the template renderer.
     *
     * @param value the renderer
     * @return this builder
     */
    public Builder renderer(TemplateRenderer value) {
      Objects.requireNonNull(value, "renderer");
      renderer = value;
      return this;
    }

    /**
     * Sets the clock every expiry and limit is measured by.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      Objects.requireNonNull(value, "clock");
      clock = value;
      return this;
    }

    /**
     * Sets the server secret codes are hashed with (HMAC-SHA256; C14), and older secrets whose
     * pending codes must still verify during a rotation. Keep it out of the repository.
     *
     * @param current at least 32 bytes
     * @param previous older secrets, each at least 32 bytes
     * @return this builder
     * @throws IllegalArgumentException if a secret is shorter than 32 bytes
     */
    public Builder secret(byte[] current, byte[]... previous) {
      Objects.requireNonNull(current, "secret");
      Objects.requireNonNull(previous, "previous");
      List<byte[]> prev = new ArrayList<>();
      for (byte[] p : previous) {
        prev.add(Objects.requireNonNull(p, "previous secret").clone());
      }
      new Secrets(current, prev); // validates lengths now
      secret = current.clone();
      previousSecrets = List.copyOf(prev);
      return this;
    }

    /**
     * Sets the policy for every type that has no policy of its own.
     *
     * @param value the policy
     * @return this builder
     */
    public Builder defaultPolicy(VerificationPolicy value) {
      Objects.requireNonNull(value, "defaultPolicy");
      defaultPolicy = value;
      return this;
    }

    /**
     * Sets the policy for one type.
     *
     * @param type the type
     * @param value its policy
     * @return this builder
     */
    public Builder policy(VerificationType type, VerificationPolicy value) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(value, "policy");
      policies.put(type, value);
      return this;
    }

    /**
     * Adds a listener for every send, verify and redeem outcome (C17).
     *
     * @param value the listener
     * @return this builder
     */
    public Builder listener(VerificationListener value) {
      listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    /**
     * Sets the sender of every mail. Without it the transport's own sender is used (the SMTP
     * transport's {@code DEFAULT_FROM_EMAIL}).
     *
     * @param value a mailbox such as {@code Roamio <noreply@roamio.com>}; the domain may be a single
     *     label such as {@code localhost} for a local test server (see {@link Mailbox}); not null
     * @return this builder
     * @throws InvalidAddressException naming {@code from} and quoting the value when the address is
     *     invalid
     * @throws HeaderInjectionException naming {@code from} when the text has control characters
     */
    public Builder from(String value) {
      Objects.requireNonNull(value, "from");
      try {
        from = Mailbox.parse(value);
      } catch (InvalidAddressException e) {
        throw new InvalidAddressException(e.reason(), "from: '" + value + "' is not a valid address: " + e.getMessage());
      } catch (HeaderInjectionException e) {
        throw new HeaderInjectionException("from");
      }
      return this;
    }

    /**
     * Sets the application's name, shown in mails.
     *
     * @param value the name, for example {@code "Roamio"}
     * @return this builder
     */
    public Builder appName(String value) {
      Objects.requireNonNull(value, "appName");
      if (Mailbox.containsControl(value) || value.isBlank()) {
        throw new IllegalArgumentException("appName must be non-blank without control characters");
      }
      appName = value;
      return this;
    }

    /**
     * Sets the locale used when a send request gives none.
     *
     * @param value the locale, for example {@link Locale#SIMPLIFIED_CHINESE}
     * @return this builder
     */
    public Builder defaultLocale(Locale value) {
      Objects.requireNonNull(value, "defaultLocale");
      defaultLocale = value;
      return this;
    }

    /**
     * Sets the page of the "this wasn't me" link that {@link #notifyAddressChanged} sends to the
     * old address (C33). The link is this URL with the query parameter {@code token} appended (256
     * random bits); the application serves the page. The URL comes from the application's
     * configuration, never from a request header (C21). The page must not revert on {@code GET}:
     * it shows a button whose {@code POST} calls {@link #revertAddressChange}.
     *
     * @param value an absolute {@code https} URL ({@code http} only for {@code localhost}), without
     *     a fragment; not null
     * @return this builder
     * @throws IllegalArgumentException naming {@code revertLinkBaseUrl} when the URL is not
     *     absolute, not https (outside localhost), or has a fragment
     */
    public Builder revertLinkBaseUrl(java.net.URI value) {
      Objects.requireNonNull(value, "revertLinkBaseUrl");
      String scheme = value.getScheme();
      String host = value.getHost();
      boolean local = "localhost".equals(host) || "127.0.0.1".equals(host);
      if (!value.isAbsolute() || host == null || value.getRawFragment() != null
          || !("https".equals(scheme) || ("http".equals(scheme) && local))) {
        throw new IllegalArgumentException("revertLinkBaseUrl must be an absolute https URL (http only for "
            + "localhost) without a fragment, was " + value);
      }
      revertLinkBaseUrl = value;
      return this;
    }

    /**
     * Sets how long the "this wasn't me" link of a change of address works (C33).
     *
     * @param value 1 hour to 30 days; default 7 days
     * @return this builder
     * @throws IllegalArgumentException naming {@code revertLinkValidity} when outside 1 hour-30 days
     */
    public Builder revertLinkValidity(Duration value) {
      Objects.requireNonNull(value, "revertLinkValidity");
      if (value.compareTo(Duration.ofHours(1)) < 0 || value.compareTo(Duration.ofDays(30)) > 0) {
        throw new IllegalArgumentException("revertLinkValidity must be 1 hour to 30 days, was " + value);
      }
      revertLinkValidity = value;
      return this;
    }

    /**
     * Builds the service.
     *
     * @return the service
     * @throws IllegalStateException if no transport was set, a shared store was set without a
     *     secret, or a policy sets a resend grace the store does not support
     */
    public VerificationCodeService build() {
      if (transport == null) {
        throw new IllegalStateException("transport is required: MailTransport.console() for development,"
            + " MailTransport.inMemory() for tests, SmtpTransport for real mail");
      }
      CodeStore s = store != null ? store : CodeStore.inMemory();
      byte[] key = secret;
      if (key == null) {
        if (!(s instanceof InMemoryCodeStore)) {
          throw new IllegalStateException("a shared CodeStore needs secret(...): the same 32+ byte secret on"
              + " every instance, or codes issued on one instance will not verify on another");
        }
        key = Secrets.randomSecret();
      }
      VerificationPolicy fallback = defaultPolicy != null ? defaultPolicy : VerificationPolicy.defaults();
      if (!s.supportsResendGrace() && (!fallback.resendGrace().isZero()
          || policies.values().stream().anyMatch(p -> !p.resendGrace().isZero()))) {
        throw new IllegalStateException("a policy sets resendGrace but the store " + s.getClass().getName()
            + " does not support it (supportsResendGrace() is false): set resendGrace to zero or use a store"
            + " that supports it");
      }
      return new DefaultVerificationCodeService(new ServiceSettings(
          transport,
          s,
          rateLimiter != null ? rateLimiter : RateLimiter.inMemory(),
          renderer != null ? renderer : TemplateRenderer.plainText(),
          clock != null ? clock : Clock.systemUTC(),
          new Secrets(key, previousSecrets),
          defaultPolicy != null ? defaultPolicy : VerificationPolicy.defaults(),
          Map.copyOf(policies),
          List.copyOf(listeners),
          from,
          appName,
          defaultLocale != null ? defaultLocale : Locale.ENGLISH,
          perAddressTotalQuota,
          recipientCheck,
          revertLinkBaseUrl,
          revertLinkValidity,
          typoSuggestions));
    }
  }
}
