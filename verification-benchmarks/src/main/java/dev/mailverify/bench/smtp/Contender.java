package dev.mailverify.bench.smtp;

import dev.mailverify.core.MailTransport;

/**
 * One way of sending mail that the SMTP benchmarks compare: the Jakarta Mail baselines and
 * mailverify's {@code SmtpTransport} from {@code verification-smtp}. A contender
 * makes a {@link MailTransport}; the harness calls {@link MailTransport#send} from
 * {@code concurrency} threads at once and {@link MailTransport#close()} at the end.
 *
 * <p>A new contender is registered in {@link Contenders#all()}. It must keep any tuning inside its
 * own transport: the baselines run in the same JVM.
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
