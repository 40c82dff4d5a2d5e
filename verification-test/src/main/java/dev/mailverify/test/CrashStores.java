package dev.mailverify.test;

import dev.mailverify.core.spi.CodeStore;
import dev.mailverify.core.spi.MailOutbox;

/**
 * The shared stores of a crash test, opened the same way in the test's JVM and in the child JVM
 * it kills. An implementation has a public constructor taking one {@code String}: a namespace (key
 * or table prefix) that the test and its child share and no other test uses.
 */
public interface CrashStores extends AutoCloseable {

  /**
   * Returns the durable outbox.
   *
   * @return the outbox
   */
  MailOutbox outbox();

  /**
   * Returns the shared code store.
   *
   * @return the store
   */
  CodeStore codeStore();

  /** Closes connections and removes what the namespace holds (called by the test's JVM). */
  @Override
  void close();
}
