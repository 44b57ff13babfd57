package dev.faultline.shard.topology;

import dev.faultline.ring.SlotRing;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current topology, kept current by a ZooKeeper watch: a change made anywhere is seen here in
 * one round trip (milliseconds), well within the second a switch may take. Only ever moves forward:
 * an event carrying an older epoch than the one held (a late read) is ignored.
 */
public final class TopologyWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopologyWatcher.class);

  /** A topology with its slot table decoded once, for routing. */
  public record View(Topology topology, SlotRing ring) {
    public long epoch() {
      return topology.epoch();
    }
  }

  private final @Nullable TopologyStore store;
  private final @Nullable CuratorCache cache;
  private final List<Consumer<View>> listeners = new CopyOnWriteArrayList<>();
  private volatile @Nullable View current;

  private TopologyWatcher(@Nullable TopologyStore store, @Nullable CuratorCache cache) {
    this.store = store;
    this.cache = cache;
  }

  /** Starts watching {@code store}'s node; {@code initial} is what this process seeded or read. */
  public static TopologyWatcher start(
      TopologyStore store, org.apache.curator.framework.CuratorFramework zk, Topology initial) {
    CuratorCache cache =
        CuratorCache.build(zk, store.path(), CuratorCache.Options.SINGLE_NODE_CACHE);
    TopologyWatcher watcher = new TopologyWatcher(store, cache);
    watcher.offer(initial);
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forCreatesAndChanges(
                    (old, node) -> {
                      try {
                        watcher.offer(store.decode(node.getData()));
                      } catch (RuntimeException e) {
                        log.error(
                            "unreadable topology at {}; keeping epoch {}",
                            store.path(),
                            watcher.view().epoch(),
                            e);
                      }
                    })
                .build());
    cache.start();
    return watcher;
  }

  /**
   * A view frozen at {@code topology} that never follows ZooKeeper: what a client partitioned from
   * ZooKeeper (or paused through a failover) holds. For tools and tests of epoch fencing.
   */
  public static TopologyWatcher fixed(Topology topology) {
    TopologyWatcher watcher = new TopologyWatcher(null, null);
    watcher.offer(topology);
    return watcher;
  }

  public View view() {
    View view = current;
    if (view == null) {
      throw new IllegalStateException("no topology yet");
    }
    return view;
  }

  public Topology topology() {
    return view().topology();
  }

  public void onChange(Consumer<View> listener) {
    listeners.add(listener);
  }

  /** Reads ZooKeeper directly: after a write was refused as stale, do not wait for the watch. */
  public View refresh() {
    if (store == null) {
      return view();
    }
    try {
      store.read().ifPresent(v -> offer(v.topology()));
    } catch (Exception e) {
      log.warn("cannot re-read the topology: {}", e.toString());
    }
    return view();
  }

  /**
   * Waits up to {@code timeout} for a topology newer than {@code epoch} (a cutover's end, seen by
   * the watch in milliseconds); returns the view held then, newer or not.
   */
  public View awaitNewerThan(long epoch, java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (view().epoch() <= epoch) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return view();
    }
  }

  synchronized void offer(Topology topology) {
    View held = current;
    if (held != null && held.epoch() >= topology.epoch()) {
      return;
    }
    View next = new View(topology, topology.slotRing());
    current = next;
    notifyAll();
    if (held != null) {
      log.info("topology epoch {} -> {}", held.epoch(), topology.epoch());
    }
    for (Consumer<View> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        log.error("topology listener failed", e);
      }
    }
  }

  @Override
  public void close() {
    if (cache != null) {
      cache.close();
    }
  }
}
