package dev.mailverify.core.transport;

import java.time.Duration;

/**
 * Runs a task after a delay: how {@link AsyncMailTransport} waits out a retry's back-off without
 * holding a worker. Tests plug in a scheduler they run by hand, so nothing sleeps.
 *
 * <p>An implementation must be thread-safe and must not run the task on the calling thread
 * before {@link #schedule} returns. The built-in one ({@link AsyncMailTransport.Builder} uses it
 * when none is set) is one daemon thread that the transport shuts down on close.
 */
@FunctionalInterface
public interface DelayScheduler {

  /**
   * Runs {@code task} once, about {@code delay} from now.
   *
   * @param delay not negative; not null
   * @param task the task; not null
   */
  void schedule(Duration delay, Runnable task);
}
