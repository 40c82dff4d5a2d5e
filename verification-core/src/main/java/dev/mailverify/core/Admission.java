package dev.mailverify.core;

import dev.mailverify.core.spi.CodeKey;
import dev.mailverify.core.spi.LimitingCodeStore;
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
   * permits taken before it; so does a limiter that fails half-way (C29), before its exception
   * propagates.
   */
  Permits admit(CodeKey key, SendRequest request, VerificationPolicy policy, Instant now) {
    Permits permits = new Permits(cooldownKey(key, policy));
    try {
      String cooldownKey = permits.cooldownKey;
      if (cooldownKey != null) {
        permits.acquire(cooldownKey, new Quota(1, policy.cooldown()), now, SendResult.Limit.COOLDOWN);
      }
      permits.acquire(limitKey("address", key), policy.perAddressQuota(), now, SendResult.Limit.ADDRESS_QUOTA);
      permits.acquire(totalKey(key), perAddressTotalQuota, now, SendResult.Limit.ADDRESS_TOTAL_QUOTA);
      acquireUnshared(permits, request, policy, now);
    } catch (RuntimeException e) {
      permits.giveBackAfter(e, now);
      throw e;
    }
    if (permits.refusal != null) {
      permits.giveBack(now);
    }
    return permits;
  }

  /**
   * Takes, through the limiter, only the permits a {@link LimitingCodeStore} does not take with
   * the code: the per-client cap and the custom caps. The permits of the address's own buckets,
   * {@link #addressPermits}, are taken by the store when it stores the code; the cooldown is still
   * lifted through the limiter after a failed mail (C13).
   */
  Permits admitUnshared(CodeKey key, SendRequest request, VerificationPolicy policy, Instant now) {
    Permits permits = new Permits(cooldownKey(key, policy));
    try {
      acquireUnshared(permits, request, policy, now);
    } catch (RuntimeException e) {
      permits.giveBackAfter(e, now);
      throw e;
    }
    if (permits.refusal != null) {
      permits.giveBack(now);
    }
    return permits;
  }

  /**
   * The permits of the address's own buckets, in the order {@link #admit} takes them, for a
   * {@link LimitingCodeStore} to take with the code; {@link #refusal} names the one it refuses.
   */
  List<LimitingCodeStore.Permit> addressPermits(CodeKey key, VerificationPolicy policy) {
    List<LimitingCodeStore.Permit> list = new ArrayList<>(3);
    String cooldownKey = cooldownKey(key, policy);
    if (cooldownKey != null) {
      list.add(new LimitingCodeStore.Permit(cooldownKey, new Quota(1, policy.cooldown())));
    }
    list.add(new LimitingCodeStore.Permit(limitKey("address", key), policy.perAddressQuota()));
    list.add(new LimitingCodeStore.Permit(totalKey(key), perAddressTotalQuota));
    return list;
  }

  /** The answer for a refusal of one of {@link #addressPermits}. */
  static SendResult.RateLimited refusal(VerificationPolicy policy, LimitingCodeStore.Refusal refusal) {
    int index = policy.cooldown().isZero() ? refusal.index() + 1 : refusal.index();
    SendResult.Limit limit = switch (index) {
      case 0 -> SendResult.Limit.COOLDOWN;
      case 1 -> SendResult.Limit.ADDRESS_QUOTA;
      default -> SendResult.Limit.ADDRESS_TOTAL_QUOTA;
    };
    return new SendResult.RateLimited(limit, refusal.retryAfter());
  }

  private void acquireUnshared(Permits permits, SendRequest request, VerificationPolicy policy, Instant now) {
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
  }

  private static @Nullable String cooldownKey(CodeKey key, VerificationPolicy policy) {
    return policy.cooldown().isZero() ? null : limitKey("cooldown", key);
  }

  private static String totalKey(CodeKey key) {
    return "address-all:" + key.address();
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
   * Gives back the permit of {@link #takeFailedTry} after the store failed (C29: a verify that
   * fails at the store counts no try); a failure to give it back is added to the store's.
   */
  void giveBackFailedTryAfter(RuntimeException failure, CodeKey key, Instant now) {
    try {
      giveBackFailedTry(key, now);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** The failed-tries budget of an address and type (C7), for a {@link LimitingCodeStore}. */
  LimitingCodeStore.Permit failedTries(CodeKey key, VerificationPolicy policy) {
    return new LimitingCodeStore.Permit(limitKey("failures", key), policy.failedAttemptsQuota());
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
      taken.clear();
    }

    /**
     * Gives back every permit taken after a failure (the limiter's or the store's), so that the
     * send that did not happen leaves nothing behind (C29); a failure to give one back is added
     * to the original one, which the caller rethrows.
     */
    void giveBackAfter(RuntimeException failure, Instant now) {
      for (String k : taken) {
        try {
          limiter.release(k, now);
        } catch (RuntimeException e) {
          failure.addSuppressed(e);
        }
      }
      taken.clear();
    }

    /** Gives back the cooldown only: the mail failed (C13), the caps still count. */
    void liftCooldown(Instant now) {
      if (cooldownKey != null) {
        limiter.release(cooldownKey, now);
      }
    }
  }
}
