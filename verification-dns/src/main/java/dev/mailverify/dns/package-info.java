/**
 * DNS checks of deliverability for mailverify.
 *
 * <p>{@link dev.mailverify.dns.MxRecipientCheck} refuses recipients whose domain takes no mail,
 * before a code is stored or sent: plug it into the service with
 * {@code VerificationCodeService.builder().recipientCheck(MxRecipientCheck.builder().build())}. It
 * fails open (C30): DNS trouble never blocks a send. Optionally it refuses
 * {@link dev.mailverify.dns.DisposableDomains}; typo domains of big providers on that list
 * ({@code gmial.com}) answer {@code LIKELY_TYPO} with the address meant, because the service checks
 * core's {@link dev.mailverify.core.TypoSuggestions} first. {@link dev.mailverify.dns.DomainSuggestions}
 * is those suggestions under their older name, for "did you mean gmail.com?" before a send.
 *
 * <p>{@link dev.mailverify.dns.SenderDomainCheck} checks the From domain's SPF, DMARC, DKIM key
 * and MX records, each as a {@link dev.mailverify.dns.SenderFinding}; it is the
 * {@code dev.mailverify.smtp.spi.SenderCheck} that {@code SmtpDiagnostics.builder(settings)
 * .senderCheck(...)} runs after the SMTP steps (it needs {@code verification-smtp}, an optional
 * dependency of this module).
 *
 * <p>Every lookup is bounded by a timeout. Nothing in this package accepts or returns {@code null}
 * unless a parameter or return value is marked nullable; a {@code null} where none is allowed throws
 * {@link java.lang.NullPointerException}.
 */
@NullMarked
package dev.mailverify.dns;

import org.jspecify.annotations.NullMarked;
