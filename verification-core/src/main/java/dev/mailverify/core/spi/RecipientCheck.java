package dev.mailverify.core.spi;

import dev.mailverify.core.EmailAddress;
import dev.mailverify.core.SendResult;
import java.util.Optional;

/**
 * A check of the recipient that runs before a code is stored or sent, after the syntax rules
 * (C18) and the rate limits: for example that the domain exists and accepts mail (an MX lookup in
 * {@code verification-smtp}) or is not a disposable one. Set it with
 * {@code VerificationCodeService.builder().recipientCheck(...)}.
 *
 * <p>A check that asks the network must fail open (C30): a timeout, SERVFAIL or network error
 * answers {@link Optional#empty()}; only a definitive answer (no such domain, a null MX) refuses.
 * It must bound every lookup by a timeout. If it throws anyway, the service logs it and sends.
 * Implementations must be thread-safe.
 *
 * <p>A refusal may carry the address the user probably meant
 * ({@link SendResult.InvalidAddress#suggestion()}); the service keeps it. Without one, the service
 * adds its own {@link dev.mailverify.core.TypoSuggestions} suggestion, and a
 * {@link dev.mailverify.core.InvalidAddressReason#DISPOSABLE_DOMAIN} refusal of a domain that looks
 * like a typo of a major provider's ({@code gmial.com}) becomes
 * {@link dev.mailverify.core.InvalidAddressReason#LIKELY_TYPO}: the typo list wins over a disposable
 * list, so a check need not know about typos.
 */
@FunctionalInterface
public interface RecipientCheck {

  /**
   * Checks one recipient.
   *
   * @param address the validated, normalized address
   * @return empty to let the send go on, or the refusal the service answers (nothing is stored
   *     or sent)
   */
  Optional<SendResult.InvalidAddress> check(EmailAddress address);
}
