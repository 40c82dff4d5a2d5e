/**
 * For implementers of plug-ins to mailverify's SMTP module.
 *
 * <p>{@link dev.mailverify.smtp.spi.SenderCheck} is the seam through which
 * {@link dev.mailverify.smtp.SmtpDiagnostics} checks the sender's DNS records (SPF, DMARC, DKIM
 * key, MX) without this module depending on a DNS library: {@code verification-dns}'s
 * {@code dev.mailverify.dns.SenderDomainCheck} is the built-in implementation. Applications only
 * wire one in with {@link dev.mailverify.smtp.SmtpDiagnostics.Builder#senderCheck(SenderCheck)}.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless a parameter or return value is
 * marked nullable; a {@code null} where none is allowed throws {@link java.lang.NullPointerException}.
 */
@NullMarked
package dev.mailverify.smtp.spi;

import org.jspecify.annotations.NullMarked;
