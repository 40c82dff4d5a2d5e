package dev.mailverify.bench.smtp;

import dev.mailverify.core.spi.MailTransport;

/**
 * One way of sending mail that the SMTP benchmarks compare: the Jakarta Mail baselines now, and
 * mailverify's {@code SmtpTransport} from {@code verification-smtp} once it lands. A contender
 * makes a {@link MailTransport}; the harness calls {@link MailTransport#send} from
 * {@code concurrency} threads at once and {@link MailTransport#close()} at the end.
 *
 * <p>To add mailverify's transport, register in {@link Contenders} a contender whose
 * {@link #open} builds {@code SmtpTransport.create(SmtpSettings.builder().host(endpoint.host())
 * .port(endpoint.port()).security(...).trustStore(endpoint.trustStore())
 * .maxConnections(concurrency).build())}.
 */
public interface Contender {

  /**
   * Returns the name used on the command line and in reports, such as {@code jakarta-reused}.
   *
   * @return the name
   */
  String name();

  /**
   * Returns one line saying what this contender does.
   *
   * @return the description
   */
  String description();

  /**
   * Opens a transport to the endpoint, ready to be used by {@code concurrency} threads at once.
   *
   * @param endpoint where to send
   * @param concurrency how many threads will call {@code send} at once
   * @return the transport; the caller closes it
   */
  MailTransport open(SmtpEndpoint endpoint, int concurrency);
}
