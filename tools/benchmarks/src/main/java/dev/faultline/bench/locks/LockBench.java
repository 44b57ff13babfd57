package dev.faultline.bench.locks;

import dev.faultline.bench.Bench;
import dev.faultline.bench.ClosedLoop;
import dev.faultline.bench.Latencies;
import dev.faultline.bench.RunningSuite;
import dev.faultline.lock.client.LockClient;
import dev.faultline.lock.client.LockHandle;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * {@code bin/bench locks [--cycles 2000]}: against the running local suite, one thread does
 * uncontended acquire+release cycles through our REST lock service (lock-service-1, with the Java
 * lock client) and through Curator's InterProcessMutex on the suite's ZooKeeper ensemble,
 * alternating blocks of 100 so that both see the same conditions. Reports cycles per second and
 * per-cycle p50/p99, and the ratios; then the same with eight threads contending for one name.
 */
public final class LockBench {
  private static final int BLOCK = 100;
  private static final int CONTENDERS = 8;

  private LockBench() {}

  public static void run(String[] args) throws Exception {
    int cycles = Math.min(20_000, Bench.intArg(args, "--cycles", 2000));
    RunningSuite suite = RunningSuite.fromEnvironment();
    String token = suite.customerToken("bench");
    String zkConnect = suite.ports().zooKeeperConnect();
    URI lockService = URI.create("http://127.0.0.1:" + suite.ports().lockService(1));

    try (CuratorFramework zk =
            CuratorFrameworkFactory.newClient(zkConnect, new ExponentialBackoffRetry(200, 5));
        LockClient locks = new LockClient(lockService, () -> token)) {
      zk.start();
      if (!zk.blockUntilConnected(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("ZooKeeper at " + zkConnect + " does not answer");
      }
      InterProcessMutex mutex = new InterProcessMutex(zk, "/bench/curator-mutex");
      Cycle ours =
          () -> {
            try (LockHandle lease =
                locks
                    .acquire("bench-rest", "bench", Duration.ofSeconds(10), Duration.ZERO, h -> {})
                    .orElseThrow(() -> new IllegalStateException("bench-rest is held"))) {
              if (lease.fencingToken() <= 0) {
                throw new IllegalStateException("no token");
              }
            }
          };
      Cycle curator =
          () -> {
            mutex.acquire();
            mutex.release();
          };
      System.out.printf(
          Locale.ROOT,
          "locks: %d uncontended acquire+release cycles each, 1 thread, blocks of %d alternating;"
              + " REST via %s, Curator on %s%n",
          cycles,
          BLOCK,
          lockService,
          zkConnect);
      // Warm up both paths (JIT in the lock service and here, connections, containers): a lock
      // service that served only a few hundred calls runs them interpreted or at C1.
      for (int i = 0; i < 1_500; i++) {
        ours.run();
        curator.run();
      }
      Latencies.Side[] sides =
          Latencies.alternate(
              cycles,
              BLOCK,
              "lock-service REST (ours)",
              (n, into, from) -> measure(ours, into, from, n),
              "Curator InterProcessMutex",
              (n, into, from) -> measure(curator, into, from, n));
      Latencies.compare("cycles", "%.0f", sides[0], sides[1], "Curator");
      contended(suite, lockService, zk, Math.max(BLOCK, cycles / 2));
    }
  }

  /**
   * {@value #CONTENDERS} threads on one lock name, each acquiring (waiting as long as it takes),
   * holding it for nothing and releasing, ours against Curator: a cycle's time includes its wait in
   * the queue, and cycles per second is how fast the lock changes hands.
   */
  private static void contended(
      RunningSuite suite, URI lockService, CuratorFramework zk, int cycles) throws Exception {
    // A client (a customer of its own) per thread, as separate processes contending would be.
    LockClient[] clients = new LockClient[CONTENDERS];
    for (int i = 0; i < CONTENDERS; i++) {
      String token = suite.customerToken("bench-contender-" + i);
      clients[i] = new LockClient(lockService, () -> token);
    }
    InterProcessMutex[] mutexes = new InterProcessMutex[CONTENDERS];
    for (int i = 0; i < CONTENDERS; i++) {
      mutexes[i] = new InterProcessMutex(zk, "/bench/curator-contended");
    }
    ClosedLoop.Operation ours =
        t -> {
          try (LockHandle lease =
              clients[t]
                  .acquire(
                      "bench-contended",
                      "bench-" + t,
                      Duration.ofSeconds(10),
                      Duration.ofSeconds(60),
                      h -> {})
                  .orElseThrow(() -> new IllegalStateException("waited 60 s in vain"))) {
            if (lease.fencingToken() <= 0) {
              throw new IllegalStateException("no token");
            }
          }
        };
    ClosedLoop.Operation curator =
        t -> {
          mutexes[t].acquire();
          mutexes[t].release();
        };
    System.out.printf(
        Locale.ROOT,
        "%ncontended: %d threads on one lock name, %d acquire+release cycles each way%n",
        CONTENDERS,
        cycles);
    try (ExecutorService pool = Executors.newFixedThreadPool(CONTENDERS)) {
      long[] scratch = new long[BLOCK];
      ClosedLoop.block(pool, CONTENDERS, BLOCK, scratch, 0, ours);
      ClosedLoop.block(pool, CONTENDERS, BLOCK, scratch, 0, curator);
      Latencies.Side[] sides =
          Latencies.alternate(
              cycles,
              BLOCK,
              "lock-service REST (ours), contended",
              (n, into, from) -> ClosedLoop.block(pool, CONTENDERS, n, into, from, ours),
              "Curator InterProcessMutex, contended",
              (n, into, from) -> ClosedLoop.block(pool, CONTENDERS, n, into, from, curator));
      Latencies.compare("cycles", "%.0f", sides[0], sides[1], "Curator");
    } finally {
      for (LockClient client : clients) {
        client.close();
      }
    }
  }

  @FunctionalInterface
  private interface Cycle {
    void run() throws Exception;
  }

  private static long measure(Cycle cycle, long[] into, int from, int n) throws Exception {
    long total = 0;
    for (int i = 0; i < n; i++) {
      long started = System.nanoTime();
      cycle.run();
      long took = System.nanoTime() - started;
      into[from + i] = took;
      total += took;
    }
    return total;
  }
}
