package dev.mailverify.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs one task on many threads that start at the same instant, for race tests of anything that
 * must be atomic (contract C8, C9, C10). The contract kits use it; it is public for
 * race tests of your own.
 *
 * <pre>{@code
 * List<VerifyResult> results = Race.run(100, i -> service.verifyCode(email, type, wrongCode));
 * }</pre>
 */
public final class Race {
  private Race() {}

  /**
   * A task run by one racing thread.
   *
   * @param <T> its result
   */
  @FunctionalInterface
  public interface Task<T> {
    /**
     * Runs the task.
     *
     * @param index the thread's index, 0 to threads-1
     * @return the result
     * @throws Exception on failure; it fails the race
     */
    T run(int index) throws Exception;
  }

  /**
   * Starts {@code threads} threads, releases them together and collects their results.
   *
   * @param threads how many threads, at least 1
   * @param task what each thread runs
   * @param <T> the result type
   * @return the results, by thread index
   * @throws Exception if a task failed, or the threads did not start or finish within a minute
   */
  public static <T> List<T> run(int threads, Task<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        Callable<T> c = () -> {
          ready.countDown();
          go.await();
          return task.run(n);
        };
        futures.add(pool.submit(c));
      }
      if (!ready.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the " + threads + " threads did not start within 60 s");
      }
      go.countDown();
      List<T> out = new ArrayList<>(threads);
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
