package dev.mailverify.bench.store;

import dev.mailverify.core.spi.CodeStore;

/**
 * A {@link CodeStore} under test, with whatever it needs to run (a server, a connection pool) and
 * to clean up afterwards. Benchmarks ask {@link StoreCandidates#open(String)} for one by name.
 */
public interface StoreCandidate extends AutoCloseable {

  /**
   * Returns the name benchmarks select it by, such as {@code in-memory}.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the store; the same instance on every call.
   *
   * @return the store
   */
  CodeStore store();

  /** Releases the store and what it runs on. */
  @Override
  void close();
}
