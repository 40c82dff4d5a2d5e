/**
 * Test kits for mailverify's plug-in points, for its own implementations and yours: extend
 * {@link dev.mailverify.test.CodeStoreContract}, {@link dev.mailverify.test.RateLimiterContract},
 * {@link dev.mailverify.test.MailTransportContract} or
 * {@link dev.mailverify.test.TemplateRendererContract} in a JUnit Jupiter test, implement its
 * factory methods, and your implementation is checked against the contract, races included.
 *
 * <p>Helpers for tests without sleeps: {@link dev.mailverify.test.MutableClock} (time moved by
 * hand), {@link dev.mailverify.test.Race} (many threads released at once) and
 * {@link dev.mailverify.test.TcpProxy} (a loopback proxy that makes a server hang, drop packets or
 * refuse connections). To read the codes your application sends, use
 * {@code MailTransport.inMemory()} from {@code verification-core}.
 *
 * <p>Add {@code dev.mailverify:verification-test} with test scope; it brings JUnit Jupiter's API.
 */
@NullMarked
package dev.mailverify.test;

import org.jspecify.annotations.NullMarked;
