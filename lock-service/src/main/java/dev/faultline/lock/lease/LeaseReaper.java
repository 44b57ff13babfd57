package dev.faultline.lock.lease;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ends leases whose holder stopped renewing. Every instance runs one, and why that is safe:
 *
 * <p>Each lease's expiry is measured here, on this JVM's monotonic clock, from the moment this
 * instance <em>saw</em> the lease's current version (its creation or latest renewal) arrive through
 * its watch. That moment is never earlier than the renewal itself, so the deadline this instance
 * enforces is never earlier than the true one: an instance that starts, restarts, reconnects or
 * takes over later only lengthens leases, never shortens them. No wall clocks are compared. The
 * delete is conditional on the version it observed: a renewal that lands in between makes the
 * delete fail, and the lease lives on.
 *
 * <p>The holder's client, for its part, counts its TTL from before it sent the renewal, so it stops
 * protected work before any instance can let the lease go.
 *
 * <p>A version is not an identity: a lease released and granted again is a new node at the same
 * path, with version 0 again. An instance that was paused (a long GC, a stopped VM) wakes with
 * sightings of leases that are long gone, and a delete conditional on an old version alone would
 * end the new lease that reuses it. The drill's pause fault and its lock model caught exactly that.
 * So a delete goes ahead only after a fresh read shows the same node (its creation zxid) at the
 * same version, and a round that starts late, after a gap no scheduler explains, forgets every
 * sighting and starts them again from the cache: a later sighting only makes a lease longer.
 */
@Component
class LeaseReaper implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
  private static final long SCAN_MS = 50;

  /** A round this late was not the scheduler's doing: the process was paused. */
  private static final long PAUSE_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** A lease version as this instance first saw it, with when (monotonic). */
  record Observed(long czxid, int version, int incarnation, long seenNanos, long ttlNanos) {}

  private final Map<String, Observed> leases = new ConcurrentHashMap<>();
  private final CuratorFramework zk;
  private final JsonMapper json;
  private final Counter expirations;
  private CuratorCache cache;
  private ScheduledExecutorService timer;
  private long lastRound = System.nanoTime();

  /** Zero unless {@code faultline.locks.unsafe.reaper-clock-ahead} is set (UnsafeLockSettings). */
  private final long unsafeAheadNanos;

  LeaseReaper(CuratorFramework zk, JsonMapper json, MeterRegistry meters) {
    this(zk, json, meters, UnsafeLockSettings.SAFE);
  }

  @Autowired
  LeaseReaper(
      CuratorFramework zk, JsonMapper json, MeterRegistry meters, UnsafeLockSettings unsafe) {
    this.zk = zk;
    this.json = json;
    this.unsafeAheadNanos = unsafe.reaperClockAhead().toNanos();
    this.expirations =
        Counter.builder("locks.expirations")
            .description("leases ended because their holder stopped renewing")
            .register(meters);
    Gauge.builder("locks.active.leases", leases, Map::size)
        .description("leases currently held, as this instance sees them")
        .register(meters);
  }

  @Override
  public void start() {
    cache = CuratorCache.build(zk, LeaseStore.ROOT);
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forCreatesAndChanges((old, node) -> observe(node))
                .forDeletes(node -> leases.remove(node.getPath()))
                .build());
    cache.start();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("lease-reaper").factory());
    timer.scheduleWithFixedDelay(this::reapExpired, SCAN_MS, SCAN_MS, TimeUnit.MILLISECONDS);
  }

  private void observe(ChildData node) {
    if (!node.getPath().endsWith("/lease") || node.getStat() == null) {
      return;
    }
    try {
      LeaseRecord record = json.readValue(node.getData(), LeaseRecord.class);
      int version = node.getStat().getVersion();
      long czxid = node.getStat().getCzxid();
      leases.compute(
          node.getPath(),
          (path, seen) ->
              seen != null && seen.czxid() == czxid && seen.version() == version
                  ? seen // the same lease version again (a cache rebuild): keep the first sighting
                  : new Observed(
                      czxid,
                      version,
                      record.incarnation(),
                      System.nanoTime(),
                      TimeUnit.MILLISECONDS.toNanos(record.ttlMs())));
    } catch (RuntimeException e) {
      log.warn("unreadable lease at {}: {}", node.getPath(), e.toString());
    }
  }

  private void reapExpired() {
    long now = System.nanoTime();
    long gap = now - lastRound;
    lastRound = now;
    if (gap > PAUSE_GAP_NANOS) {
      log.warn(
          "lease reaper ran {} ms late (this process was paused): forgetting every sighting",
          TimeUnit.NANOSECONDS.toMillis(gap));
      leases.clear();
      cache.stream().forEach(this::observe);
      return;
    }
    long deadlineClock = now + unsafeAheadNanos;
    leases.forEach(
        (path, seen) -> {
          if (deadlineClock - seen.seenNanos() < seen.ttlNanos()) {
            return;
          }
          try {
            delete(path, seen);
            expirations.increment();
            log.info(
                "lease {} expired (version {} not renewed within its TTL)", path, seen.version());
          } catch (KeeperException.BadVersionException | KeeperException.NoNodeException moved) {
            // Renewed or released meanwhile: the watch brings the new state.
          } catch (Exception e) {
            log.debug("cannot reap {} now: {}", path, e.toString());
          }
        });
  }

  /**
   * Deletes the lease seen, and only it: in one multi-op with a check that the lock node is still
   * at the lease's incarnation (no grant since), so a lease granted anew at the same path and
   * version survives. A lease from before incarnations is read first and must be the same node.
   */
  void delete(String path, Observed seen) throws Exception {
    if (seen.incarnation() > 0) {
      String lock = path.substring(0, path.lastIndexOf('/'));
      zk.transaction()
          .forOperations(
              zk.transactionOp().check().withVersion(seen.incarnation()).forPath(lock),
              zk.transactionOp().delete().withVersion(seen.version()).forPath(path));
      return;
    }
    Stat current = zk.checkExists().forPath(path);
    if (current == null
        || current.getCzxid() != seen.czxid()
        || current.getVersion() != seen.version()) {
      throw new KeeperException.BadVersionException(path);
    }
    zk.delete().withVersion(seen.version()).forPath(path);
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
    if (cache != null) {
      cache.close();
    }
  }

  @Override
  public boolean isRunning() {
    return timer != null && !timer.isShutdown();
  }
}
