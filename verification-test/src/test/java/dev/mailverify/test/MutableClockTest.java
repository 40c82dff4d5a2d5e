package dev.mailverify.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The clock the kits and users' tests move by hand. */
class MutableClockTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  @DisplayName("stands still until moved; advance and set move it, and a zoned copy moves with it")
  void movesOnlyByHand() {
    MutableClock clock = MutableClock.at(T0);
    java.time.Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    assertEquals(T0, clock.instant());
    assertEquals(T0.plusSeconds(61), clock.advance(Duration.ofSeconds(61)));
    assertEquals(T0.plusSeconds(61), paris.instant());
    assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
    clock.set(T0.minusMillis(1));
    assertEquals(T0.minusMillis(1), clock.instant());
    assertEquals(T0.toEpochMilli() - 1, clock.millis());
    assertEquals(T0, MutableClock.start().instant());
  }

  @Test
  @DisplayName("refuses null arguments")
  @SuppressWarnings("NullAway") // null on purpose
  void refusesNull() {
    MutableClock clock = MutableClock.start();
    assertThrows(NullPointerException.class, () -> MutableClock.at(null));
    assertThrows(NullPointerException.class, () -> clock.advance(null));
    assertThrows(NullPointerException.class, () -> clock.set(null));
    assertThrows(NullPointerException.class, () -> clock.withZone(null));
  }
}
