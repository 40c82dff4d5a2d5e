/**
 * mailverify DNS checks on dnsjava: {@link dev.mailverify.dns.MxRecipientCheck} refuses recipients
 * whose domain takes no mail (a {@link dev.mailverify.core.spi.RecipientCheck}; fails open, C30),
 * optionally with {@link dev.mailverify.dns.DisposableDomains};
 * {@link dev.mailverify.dns.DomainSuggestions} offers "did you mean gmail.com?" (core's
 * {@link dev.mailverify.core.TypoSuggestions}, which the service applies by default); and
 * {@link dev.mailverify.dns.SenderDomainCheck} checks the From domain's SPF, DMARC, DKIM key and
 * MX, plugged into the SMTP diagnostics.
 *
 * <p>The only module of mailverify that depends on a DNS library. {@code verification-smtp} is
 * optional ({@code requires static}): only {@code SenderDomainCheck} needs it, and an application
 * that uses it for the SMTP diagnostics has it already.
 */
module dev.mailverify.dns {
  requires transitive dev.mailverify.core;
  requires org.dnsjava;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires static transitive dev.mailverify.smtp;
  requires static org.jspecify;

  exports dev.mailverify.dns;
}
