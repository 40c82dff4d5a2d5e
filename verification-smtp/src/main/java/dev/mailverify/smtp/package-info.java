/**
 * SMTP delivery for mailverify.
 *
 * <p>Start with {@link dev.mailverify.smtp.SmtpEnvironment#createTransport()}: it reads the seed's
 * variables ({@code USE_REAL_EMAIL}, {@code EMAIL_HOST}, {@code EMAIL_PORT},
 * {@code EMAIL_HOST_USER}, {@code EMAIL_HOST_PASSWORD}, {@code DEFAULT_FROM_EMAIL},
 * {@code EMAIL_USE_TLS}, {@code EMAIL_USE_SSL}, {@code EMAIL_TIMEOUT}) from the environment and an
 * optional {@code .env} file and returns the console transport in development or an
 * {@link dev.mailverify.smtp.SmtpTransport}. In code, build {@link dev.mailverify.smtp.SmtpSettings}
 * (optionally from a {@link dev.mailverify.smtp.SmtpPreset}) and call
 * {@link dev.mailverify.smtp.SmtpTransport#create(SmtpSettings)}.
 * {@link dev.mailverify.smtp.SmtpDiagnostics#check(SmtpSettings)} walks resolve, connect, banner,
 * EHLO, TLS, AUTH (and optionally a test send) and says which step fails and why.
 *
 * <p>{@link dev.mailverify.smtp.DkimSigner} signs mail. The DNS checks of deliverability (the
 * recipient's MX, disposable domains, typo suggestions, the sender's SPF, DMARC, DKIM key and MX)
 * live in {@code verification-dns} ({@code dev.mailverify.dns}), so that an application which only
 * sends mail carries no DNS library; {@code SmtpDiagnostics.builder(settings).senderCheck(...)}
 * plugs the sender checks into the diagnostics through {@link dev.mailverify.smtp.spi.SenderCheck}.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless a parameter or return value is
 * marked nullable; a {@code null} where none is allowed throws {@link java.lang.NullPointerException}.
 * Passwords never appear in {@code toString}, logs, exception messages or diagnostic reports.
 */
@NullMarked
package dev.mailverify.smtp;

import org.jspecify.annotations.NullMarked;
