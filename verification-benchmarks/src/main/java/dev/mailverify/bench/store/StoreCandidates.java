package dev.mailverify.bench.store;

import dev.mailverify.core.spi.CodeStore;
import java.util.List;

/**
 * The stores the benchmarks know, by name. Benchmarks that take a store have a
 * {@code @Param("in-memory") String store} and open it here, so a store added to
 * {@link #open(String)} is measured by every one of them with {@code -p store=in-memory,NAME}.
 *
 * <p>The Redis and JDBC stores of later issues plug in here: add a case that starts (or connects
 * to a loopback) server, returns a {@link StoreCandidate} whose {@code close()} stops it, and add
 * the name to {@link #NAMES}.
 */
public final class StoreCandidates {

  /** Every name {@link #open(String)} accepts. */
  public static final List<String> NAMES = List.of("in-memory");

  private StoreCandidates() {}

  /**
   * Opens a store by name.
   *
   * @param name one of {@link #NAMES}
   * @return the store, ready to use; close it when done
   * @throws IllegalArgumentException for an unknown name
   */
  public static StoreCandidate open(String name) {
    return switch (name) {
      case "in-memory" -> new Simple(name, CodeStore.inMemory());
      default -> throw new IllegalArgumentException("unknown store '" + name + "'; known: " + NAMES);
    };
  }

  /** A store that needs nothing around it. */
  private record Simple(String name, CodeStore store) implements StoreCandidate {
    @Override
    public void close() {}
  }
}
