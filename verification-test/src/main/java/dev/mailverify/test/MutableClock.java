package dev.mailverify.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that tests move by hand, so that expiry and rate limits are tested without
 * sleeping. A clock from {@link #withZone} shares the instant with this one. Thread-safe; every
 * method throws {@link NullPointerException} for a null argument.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * VerificationCodeService service = VerificationCodeService.builder()
 *     .transport(outbox).clock(clock).build();
 * clock.advance(Duration.ofMinutes(10));
 * }</pre>
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * Returns a clock standing at an instant, in UTC.
   *
   * @param start the instant; not null
   * @return the clock
   */
  public static MutableClock at(Instant start) {
    return new MutableClock(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /**
   * Returns a clock standing at 2026-01-01T00:00:00Z.
   *
   * @return the clock
   */
  public static MutableClock start() {
    return at(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Moves the clock forward (or back, for a negative amount).
   *
   * @param amount how far; not null
   * @return the new time
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    return now.updateAndGet(t -> t.plus(amount));
  }

  /**
   * Sets the clock.
   *
   * @param instant the new time; not null
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new MutableClock(now, Objects.requireNonNull(newZone, "zone"));
  }

  @Override
  public Instant instant() {
    return Objects.requireNonNull(now.get(), "never null: every update sets a non-null instant");
  }
}
