package dev.mailverify.core;

import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.RecipientCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a send may go ahead and a verify may be tried: the cooldown and caps of a send
 * (C10-C12), the failed-tries budget of a verify (C7) and the recipient check (C30). Every permit
 * taken can be given back, so that a send that does not happen costs the user nothing.
 */
final class Admission {
  private static final Logger LOG = LoggerFactory.getLogger(VerificationCodeService.class);

  private final RateLimiter limiter;
  private final Quota perAddressTotalQuota;
  private final @Nullable RecipientCheck recipientCheck;

  Admission(RateLimiter limiter, Quota perAddressTotalQuota, @Nullable RecipientCheck recipientCheck) {
    this.limiter = limiter;
    this.perAddressTotalQuota = perAddressTotalQuota;
    this.recipientCheck = recipientCheck;
  }

  /**
   * Refuses a request that names a limit key its policy has no quota for: a programming error.
   *
   * @throws IllegalArgumentException naming the key and the policy setting to add
   */
  static void checkLimitKeys(SendRequest request, VerificationPolicy policy) {
    for (String keyName : request.limitKeys().keySet()) {
      if (!policy.customQuotas().containsKey(keyName)) {
        throw new IllegalArgumentException("limit key '" + keyName + "' has no quota in the policy for "
            + request.type() + "; add VerificationPolicy.Builder.customQuota(\"" + keyName + "\", ...)");
      }
    }
  }

  /**
   * Takes a permit of every limit a send is subject to, in order: cooldown, cap per address and
   * type, cap per address, cap per client key, custom caps. The first refusal gives back the
   * permits taken before it.
   */
  Permits admit(CodeKey key, SendRequest request, VerificationPolicy policy, Instant now) {
    Permits permits = new Permits(policy.cooldown().isZero() ? null : limitKey("cooldown", key));
    String cooldownKey = permits.cooldownKey;
    if (cooldownKey != null) {
      permits.acquire(cooldownKey, new Quota(1, policy.cooldown()), now, SendResult.Limit.COOLDOWN);
    }
    permits.acquire(limitKey("address", key), policy.perAddressQuota(), now, SendResult.Limit.ADDRESS_QUOTA);
    permits.acquire("address-all:" + key.address(), perAddressTotalQuota, now, SendResult.Limit.ADDRESS_TOTAL_QUOTA);
    String clientKey = request.clientKey();
    if (clientKey != null) {
      permits.acquire("client:" + clientKey, policy.perClientQuota(), now, SendResult.Limit.CLIENT_QUOTA);
    }
    for (Map.Entry<String, String> e : request.limitKeys().entrySet()) {
      Quota quota = policy.customQuotas().get(e.getKey());
      if (quota != null) {
        permits.acquire("custom:" + e.getKey() + ":" + e.getValue(), quota, now, SendResult.Limit.CUSTOM_QUOTA);
      }
    }
    if (permits.refusal != null) {
      permits.giveBack(now);
    }
    return permits;
  }

  /** Runs the recipient check, failing open when it throws (C30); null when the address may be used. */
  SendResult.@Nullable InvalidAddress checkRecipient(EmailAddress address) {
    RecipientCheck check = recipientCheck;
    if (check == null) {
      return null;
    }
    try {
      return check.check(address).orElse(null);
    } catch (RuntimeException e) {
      LOG.warn("recipient check {} failed for {}; sending anyway (fail open): {}", check, address.masked(),
          e.toString());
      return null;
    }
  }

  /**
   * Takes a permit of the failed-tries budget of an address and type (C7), before the try: the
   * caller gives it back with {@link #giveBackFailedTry} unless the try turns out wrong.
   *
   * @return false if the budget is used up
   */
  boolean takeFailedTry(CodeKey key, VerificationPolicy policy, Instant now) {
    return limiter.tryAcquire(limitKey("failures", key), policy.failedAttemptsQuota(), now).granted();
  }

  /** Gives back the permit of {@link #takeFailedTry}: the try was not a wrong code. */
  void giveBackFailedTry(CodeKey key, Instant now) {
    limiter.release(limitKey("failures", key), now);
  }

  /**
   * Lifts the cooldown of a key after its mail failed on another instance's behalf (C13, C31):
   * the send's own permits are in the JVM that took them.
   */
  void liftCooldown(CodeKey key, VerificationPolicy policy, Instant now) {
    if (!policy.cooldown().isZero()) {
      limiter.release(limitKey("cooldown", key), now);
    }
  }

  /** The limiter key for an address and type: {@code kind:type:address}, built in one concatenation. */
  private static String limitKey(String kind, CodeKey key) {
    return kind + ':' + key.type().name() + ':' + key.address();
  }

  /**
   * The permits one send took, or the refusal that stopped it. Used by one send at a time: taken
   * on the caller's thread, the cooldown lifted later by whichever thread learns that the mail
   * failed.
   */
  final class Permits {
    private final @Nullable String cooldownKey;
    private final List<String> taken = new ArrayList<>(4);
    private SendResult.@Nullable RateLimited refusal;

    private Permits(@Nullable String cooldownKey) {
      this.cooldownKey = cooldownKey;
    }

    /** The limit that refused the send, or null if every permit was granted. */
    SendResult.@Nullable RateLimited refusal() {
      return refusal;
    }

    private void acquire(String key, Quota quota, Instant now, SendResult.Limit limit) {
      if (refusal != null) {
        return;
      }
      RateLimiter.Decision d = limiter.tryAcquire(key, quota, now);
      if (d.granted()) {
        taken.add(key);
      } else {
        refusal = new SendResult.RateLimited(limit, d.retryAfter());
      }
    }

    /** Gives back every permit taken: the send did not happen, so the user keeps their budget. */
    void giveBack(Instant now) {
      for (String k : taken) {
        limiter.release(k, now);
      }
    }

    /** Gives back the cooldown only: the mail failed (C13), the caps still count. */
    void liftCooldown(Instant now) {
      if (cooldownKey != null) {
        limiter.release(cooldownKey, now);
      }
    }
  }
}
