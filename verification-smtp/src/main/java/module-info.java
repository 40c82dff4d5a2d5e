/**
 * mailverify SMTP: sends verification mail through any SMTP server (QQ Mail, Tencent Exmail,
 * NetEase, Gmail, Outlook) with TLS by default, pooled connections, bounded timeouts and failures
 * classified into {@link dev.mailverify.core.DeliveryException} categories with hints.
 *
 * <p>Entry points: {@link dev.mailverify.smtp.SmtpEnvironment#createTransport()} (the seed's
 * environment / {@code .env} rules), {@link dev.mailverify.smtp.SmtpTransport#create} with
 * {@link dev.mailverify.smtp.SmtpSettings}, and {@link dev.mailverify.smtp.SmtpDiagnostics}.
 * Plug-ins implement {@code dev.mailverify.smtp.spi} ({@link dev.mailverify.smtp.spi.SenderCheck},
 * which {@code verification-dns} provides). No DNS library: the DNS checks are in
 * {@code verification-dns}.
 */
module dev.mailverify.smtp {
  requires transitive dev.mailverify.core;
  requires jakarta.mail;
  requires org.eclipse.angus.mail;
  requires io.github.cdimascio.dotenv.java;
  requires org.slf4j;
  requires static org.jspecify;

  exports dev.mailverify.smtp;
  exports dev.mailverify.smtp.spi;
}
