/**
 * Micrometer metrics for mailverify. Build one {@link dev.mailverify.micrometer.MailVerifyMetrics},
 * register it as the service's listener and bind it to your registry:
 *
 * <pre>{@code
 * MailVerifyMetrics metrics = MailVerifyMetrics.builder().clock(clock).codeTtl(Duration.ofMinutes(10)).build();
 * VerificationCodeService service = VerificationCodeService.builder()
 *     .transport(transport).clock(clock).listener(metrics).build();
 * metrics.bindTo(registry);
 * service.sendVerificationCode("user@example.com", VerificationType.REGISTER, Duration.ofMinutes(10));
 * }</pre>
 *
 * <p>The meters and their tags are listed on {@link dev.mailverify.micrometer.MailVerifyMetrics}.
 * Tags are low-cardinality only: never an address, a client key, a code or a token (contract C16).
 * Nothing in this package accepts or returns {@code null} unless it says so.
 */
@NullMarked
package dev.mailverify.micrometer;

import org.jspecify.annotations.NullMarked;
