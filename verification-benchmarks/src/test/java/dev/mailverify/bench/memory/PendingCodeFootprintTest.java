package dev.mailverify.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PendingCodeFootprintTest {

  @Test
  @DisplayName("the probe fills every container, the store and a whole service with the asked count")
  void measuresEveryContainer() {
    List<PendingCodeFootprint.Row> rows = new PendingCodeFootprint(500).measureAll(true);

    assertThat(rows).extracting(PendingCodeFootprint.Row::name).containsExactly(
        "keys + records alone (array)", "ConcurrentHashMap", "bare Caffeine (unbounded)", "Caffeine maximumSize(1M)",
        "Caffeine maximumSize + expireAfter", "InMemoryCodeStore (CodeStore.inMemory())",
        "service, default policy (store + limiter)");
    assertThat(rows).allSatisfy(r -> assertThat(r.count()).isEqualTo(500));
  }
}
