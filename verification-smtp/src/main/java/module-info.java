/**
 * mailverify SMTP: sends verification mail through any SMTP server (QQ Mail, Tencent Exmail,
 * NetEase, Gmail, Outlook) with TLS by default, pooled connections, bounded timeouts and failures
 * classified into {@link dev.mailverify.core.DeliveryException} categories with hints.
 *
 * <p>Entry points: {@link dev.mailverify.smtp.SmtpEnvironment#createTransport()} (the seed's
 * environment / {@code .env} rules), {@link dev.mailverify.smtp.SmtpTransport#create} with
 * {@link dev.mailverify.smtp.SmtpSettings}, and {@link dev.mailverify.smtp.SmtpDiagnostics}.
 */
module dev.mailverify.smtp {
  requires transitive dev.mailverify.core;
  requires jakarta.mail;
  requires org.eclipse.angus.mail;
  requires io.github.cdimascio.dotenv.java;
  requires org.slf4j;
  requires org.dnsjava;
  requires com.github.benmanes.caffeine;
  requires static org.jspecify;

  exports dev.mailverify.smtp;
}
