package dev.mailverify.core;

import dev.mailverify.core.internal.Secrets;
import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.RateLimiter;
import dev.mailverify.core.spi.RecipientCheck;
import dev.mailverify.core.spi.TemplateRenderer;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@link VerificationCodeService.Builder#build()} hands the service: every setting checked,
 * every default filled in, every collection copied. Made only by the builder, so the builder is
 * the only way to a service.
 *
 * @param transport how mail leaves
 * @param store where codes and tokens live
 * @param limiter cooldowns and caps
 * @param renderer what the mail says
 * @param clock the time every expiry and limit is measured by
 * @param secrets the code and token secrets
 * @param defaultPolicy the policy of types without their own
 * @param policies the policies per type
 * @param listeners the event listeners, in the order added
 * @param from the sender, or {@code null} for the transport's
 * @param appName the application's name, or {@code null}
 * @param defaultLocale the locale of a request without one
 * @param perAddressTotalQuota the cap per address across all types (C11)
 * @param recipientCheck the check before a code is stored, or {@code null}
 * @param revertLinkBaseUrl the page of the "this wasn't me" link (C33), or {@code null}
 * @param revertLinkValidity how long a revert link works
 * @param typoSuggestions the "did you mean ...?" suggestions ({@link TypoSuggestions#none()} when off)
 */
record ServiceSettings(
    MailTransport transport,
    CodeStore store,
    RateLimiter limiter,
    TemplateRenderer renderer,
    Clock clock,
    Secrets secrets,
    VerificationPolicy defaultPolicy,
    Map<VerificationType, VerificationPolicy> policies,
    List<VerificationListener> listeners,
    @Nullable Mailbox from,
    @Nullable String appName,
    Locale defaultLocale,
    Quota perAddressTotalQuota,
    @Nullable RecipientCheck recipientCheck,
    java.net.@Nullable URI revertLinkBaseUrl,
    java.time.Duration revertLinkValidity,
    TypoSuggestions typoSuggestions) {

  /** Returns the policy of a type: its own, or the default. */
  VerificationPolicy policy(VerificationType type) {
    return policies.getOrDefault(type, defaultPolicy);
  }
}
