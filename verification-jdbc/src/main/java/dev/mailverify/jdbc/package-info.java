/**
 * Codes, tokens and rate limits in the application's own SQL database, shared by every instance of
 * the application (C28). Entry points: {@link dev.mailverify.jdbc.JdbcCodeStore} and
 * {@link dev.mailverify.jdbc.JdbcRateLimiter}, built over the application's {@link javax.sql.DataSource}.
 *
 * <pre>{@code
 * HikariDataSource pool = new HikariDataSource(config);   // connectionTimeout <= 2000 ms
 * VerificationCodeService service = VerificationCodeService.builder()
 *     .transport(transport).secret(secretBytes)
 *     .store(JdbcCodeStore.builder(pool).build())
 *     .rateLimiter(JdbcRateLimiter.builder(pool).build()).build();
 * }</pre>
 *
 * <p>Apply the schema of {@link dev.mailverify.jdbc.JdbcDialect#schemaResource()} with your
 * migration tool (or set {@code createTablesIfMissing(true)}), and schedule
 * {@code cleanup(clock.instant(), 1000)} on both, for example every minute.
 *
 * <p>{@link dev.mailverify.jdbc.JdbcMailOutbox} is the durable outbox for
 * {@code MailTransport.async(...).outbox(outbox, secret)} (C31): queued mails survive a crash of the
 * instance that accepted them, sealed under the secret while they wait (C14).
 */
@NullMarked
package dev.mailverify.jdbc;

import org.jspecify.annotations.NullMarked;
