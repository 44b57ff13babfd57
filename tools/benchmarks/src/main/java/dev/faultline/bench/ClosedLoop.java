package dev.faultline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load: each client sends its next request when its last one is answered, so the
 * offered load adapts to the server (no queue builds in the harness). Used for side-by-side blocks
 * ({@link Latencies#alternate}).
 */
public final class ClosedLoop {
  private ClosedLoop() {}

  /** One client's operation; the argument is the client's index. */
  @FunctionalInterface
  public interface Operation {
    void run(int client) throws Exception;
  }

  /**
   * Runs {@code n} operations spread over {@code clients} clients on {@code pool}, each one's
   * nanoseconds into {@code into[from, from + n)}; returns the wall time of the block.
   */
  public static long block(
      ExecutorService pool, int clients, int n, long[] into, int from, Operation operation)
      throws Exception {
    AtomicInteger next = new AtomicInteger(from);
    List<Callable<Void>> work = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      work.add(
          () -> {
            for (int slot = next.getAndIncrement(); slot < from + n; ) {
              long started = System.nanoTime();
              operation.run(client);
              into[slot] = System.nanoTime() - started;
              slot = next.getAndIncrement();
            }
            return null;
          });
    }
    long started = System.nanoTime();
    for (Future<Void> f : pool.invokeAll(work)) {
      f.get();
    }
    return System.nanoTime() - started;
  }
}
