/**
 * Plug-in points: {@link dev.mailverify.core.spi.CodeStore} (where pending codes and tokens
 * live), {@link dev.mailverify.core.MailTransport} (how mail leaves),
 * {@link dev.mailverify.core.spi.TemplateRenderer} (what the mail says) and
 * {@link dev.mailverify.core.spi.RateLimiter} (how often one may send).
 *
 * <p>Every interface has a built-in implementation reachable from a static factory on the
 * interface. Implementations must be thread-safe. Each interface has a contract test kit in the
 * {@code verification-test} module (package {@code dev.mailverify.test}) that every built-in
 * passes and that an implementation of yours extends in a JUnit Jupiter test:
 * {@code CodeStoreContract}, {@code RateLimiterContract}, {@code MailTransportContract} and
 * {@code TemplateRendererContract}.
 *
 * <pre>{@code
 * class ConcurrentMapCodeStoreTest extends CodeStoreContract {
 *   @Override
 *   protected CodeStore createStore() {
 *     return new ConcurrentMapCodeStore();
 *   }
 *
 *   @Override
 *   protected String dump(CodeStore store) {
 *     return ((ConcurrentMapCodeStore) store).dump();
 *   }
 * }
 * }</pre>
 */
@NullMarked
package dev.mailverify.core.spi;

import org.jspecify.annotations.NullMarked;
