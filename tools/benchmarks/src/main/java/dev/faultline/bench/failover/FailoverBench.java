package dev.faultline.bench.failover;

import dev.faultline.bench.Bench;
import dev.faultline.bench.RunningSuite;
import dev.faultline.bench.SuiteShards;
import dev.faultline.cluster.suite.SuitePorts;
import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.TopologyWatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bin/bench failover [--shard N] [--writers 4] [--seconds 20]}: against the running local
 * suite, writes keys owned by shard N through the shard client (as a service does), SIGKILLs that
 * shard's primary after a few seconds, and reports how long until writes started after the kill
 * succeed, then checks every acknowledged write is on the shard's new primary.
 */
public final class FailoverBench {
  private FailoverBench() {}

  public static void run(String[] args) throws Exception {
    int shard = Bench.intArg(args, "--shard", 0);
    int writers = Bench.intArg(args, "--writers", 4);
    int seconds = Math.min(120, Bench.intArg(args, "--seconds", 20));
    RunningSuite suite = RunningSuite.fromEnvironment();
    try (SuiteShards shards = suite.shards()) {
      TopologyWatcher topology = shards.topology();
      ShardClient client = shards.client("bench", "bench-failover", writers + 2).start();
      ShardInfo before = topology.topology().shard(shard).orElseThrow();
      long epochBefore = topology.topology().epoch();
      String victim = "pg-shard-" + shard + "-" + bornRole(before.primary(), shard, suite.ports());
      long pid = pidOf(suite, victim);
      System.out.printf(
          Locale.ROOT,
          "failover: shard %d primary %s (%s, pid %d), epoch %d; %d writers for %d s, kill at 3 s%n",
          shard,
          before.primary(),
          victim,
          pid,
          epochBefore,
          writers,
          seconds);

      String run = UUID.randomUUID().toString().substring(0, 8);
      List<String> keys = new ArrayList<>();
      for (int i = 0; keys.size() < 200_000; i++) {
        String key = "bench-" + run + "-" + i;
        if (client.shardOf(key) == shard) {
          keys.add(key);
        }
      }
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicLong failed = new AtomicLong();
      AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
      AtomicLong firstAckAfterKill = new AtomicLong(-1);
      AtomicLong longestWrite = new AtomicLong();
      AtomicLong lastAck = new AtomicLong(System.nanoTime());
      AtomicLong longestGap = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      for (int w = 0; w < writers; w++) {
        int writer = w;
        pool.submit(
            () -> {
              for (int i = writer;
                  i < keys.size() && !stop.get() && System.nanoTime() < deadline;
                  i += writers) {
                String key = keys.get(i);
                long started = System.nanoTime();
                try {
                  client.write(
                      key, db -> db.sql("insert into items (id) values (?)").param(key).update());
                  long now = System.nanoTime();
                  acknowledged.add(key);
                  longestWrite.accumulateAndGet(now - started, Math::max);
                  long previous = lastAck.getAndAccumulate(now, Math::max);
                  longestGap.accumulateAndGet(now - previous, Math::max);
                  if (started > killedAt.get()) {
                    firstAckAfterKill.compareAndSet(-1, now);
                  }
                } catch (RuntimeException e) {
                  failed.incrementAndGet();
                  sleep(20);
                }
              }
            });
      }
      sleep(3000);
      long ackedBeforeKill = acknowledged.size();
      // The kill time is taken before the signal: waiting for a non-child's exit is a poll
      // that can lag by a second.
      killedAt.set(System.nanoTime());
      ProcessHandle.of(pid)
          .ifPresent(
              p -> {
                p.destroyForcibly(); // SIGKILL, like a pod kill
                p.onExit().join();
              });
      pool.shutdown();
      pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
      stop.set(true);

      ShardInfo after = topology.refresh().topology().shard(shard).orElseThrow();
      Set<String> stored2 = new HashSet<>();
      client
          .read(
              shard,
              Freshness.LATEST,
              db ->
                  db.sql("select id from items where id like ?")
                      .param("bench-" + run + "-%")
                      .query(String.class)
                      .list())
          .forEach(stored2::add);
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(stored2);
      double recovery =
          firstAckAfterKill.get() < 0
              ? Double.NaN
              : (firstAckAfterKill.get() - killedAt.get()) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "failover: first write started after the SIGKILL acknowledged at +%.2f s;"
              + " write outage (longest gap between acknowledged writes) %.2f s%n"
              + "failover: %d writes acknowledged (%d before the kill), %d failed or refused, %d"
              + " acknowledged writes lost%n"
              + "failover: shard %d primary now %s (state %s), epoch %d -> %d%n",
          recovery,
          longestGap.get() / 1e9,
          acknowledged.size(),
          ackedBeforeKill,
          failed.get(),
          lost.size(),
          shard,
          after.primary(),
          after.state(),
          epochBefore,
          topology.topology().epoch());
      System.out.printf(
          "failover: bring the old primary back as a replica with: bin/suite start %s%n", victim);
      if (!lost.isEmpty() || Double.isNaN(recovery)) {
        System.exit(1);
      }
    }
  }

  /** Which suite member listens on {@code address}: the born primary or the born replica. */
  private static String bornRole(String address, int shard, SuitePorts ports) {
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    return port == ports.postgresPrimary(shard) ? "primary" : "replica";
  }

  private static long pidOf(RunningSuite suite, String name) throws Exception {
    return suite.command().status().stream()
        .filter(m -> m.name().equals(name) && m.running())
        .findFirst()
        .map(m -> (long) m.pid())
        .orElseThrow(() -> new IllegalStateException(name + " is not running"));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
