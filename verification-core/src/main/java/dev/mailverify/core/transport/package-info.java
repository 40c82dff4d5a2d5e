/**
 * Built-in {@link dev.mailverify.core.MailTransport}s that need no mail server:
 * {@link dev.mailverify.core.transport.ConsoleTransport} for development (prints the mail,
 * code included), {@link dev.mailverify.core.transport.InMemoryOutbox} for tests (read the code
 * back in one call) and {@link dev.mailverify.core.transport.FileTransport} (writes standard
 * {@code .eml} files). Real SMTP lives in the {@code verification-smtp} module.
 */
@NullMarked
package dev.mailverify.core.transport;

import org.jspecify.annotations.NullMarked;
