package dev.mailverify.core.testkit;

import dev.mailverify.core.transport.DelayScheduler;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A {@link DelayScheduler} the test runs by hand: nothing waits for real time. */
public final class ManualScheduler implements DelayScheduler {
  /** One scheduled task. */
  public record Scheduled(Duration delay, Runnable task) {}

  private final LinkedBlockingQueue<Scheduled> tasks = new LinkedBlockingQueue<>();

  @Override
  public void schedule(Duration delay, Runnable task) {
    tasks.add(new Scheduled(delay, task));
  }

  /**
   * Waits for the next scheduled task (scheduled by a worker thread), up to 10 s.
   *
   * @return the task
   * @throws InterruptedException if interrupted
   */
  public Scheduled next() throws InterruptedException {
    Scheduled s = tasks.poll(10, TimeUnit.SECONDS);
    if (s == null) {
      throw new AssertionError("nothing was scheduled within 10 s");
    }
    return s;
  }

  /**
   * Returns a task scheduled already, without waiting.
   *
   * @return the task, or null
   */
  public @Nullable Scheduled poll() {
    return tasks.poll();
  }
}
