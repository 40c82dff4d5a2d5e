/**
 * Plug-in points: {@link dev.mailverify.core.spi.CodeStore} (where pending codes and tokens
 * live), {@link dev.mailverify.core.MailTransport} (how mail leaves),
 * {@link dev.mailverify.core.spi.TemplateRenderer} (what the mail says) and
 * {@link dev.mailverify.core.spi.RateLimiter} (how often one may send).
 *
 * <p>Every interface has a built-in implementation reachable from a static factory on the
 * interface. Implementations must be thread-safe. Store implementations should extend the
 * contract test kit {@code dev.mailverify.core.testkit.CodeStoreContract} published in the
 * {@code verification-core} test-jar.
 */
@NullMarked
package dev.mailverify.core.spi;

import org.jspecify.annotations.NullMarked;
