package dev.faultline.shard.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.testing.WithZooKeeper;
import dev.faultline.testing.ZooKeeperCluster;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The topology's compare-and-set and watch against a real ZooKeeper. */
@WithZooKeeper
class TopologyStoreIT {
  private final ZooKeeperCluster cluster;
  private CuratorFramework zk;
  private TopologyStore store;

  TopologyStoreIT(ZooKeeperCluster cluster) {
    this.cluster = cluster;
  }

  @BeforeEach
  void connect() throws Exception {
    zk = CuratorFrameworkFactory.newClient(cluster.connectString(), new RetryOneTime(100));
    zk.start();
    zk.blockUntilConnected();
    store =
        new TopologyStore(zk, JsonMapper.builder().build(), "/it-" + UUID.randomUUID() + "/shards");
  }

  @AfterEach
  void close() {
    zk.close();
  }

  private static Topology initial() {
    return Topology.initial(
        List.of(
            new ShardInfo(0, "h:1", List.of("h:2"), ShardState.SYNC),
            new ShardInfo(1, "h:3", List.of("h:4"), ShardState.SYNC)));
  }

  @Test
  void theFirstSeedWinsAndLaterSeedsReadIt() throws Exception {
    TopologyStore.Versioned first = store.seedIfAbsent(initial());
    Topology other =
        Topology.initial(List.of(new ShardInfo(0, "x:1", List.of(), ShardState.DEGRADED)));

    assertThat(store.seedIfAbsent(other).topology()).isEqualTo(first.topology());
  }

  @Test
  void ofConcurrentChangesFromTheSameVersionExactlyOneWins() throws Exception {
    TopologyStore.Versioned seeded = store.seedIfAbsent(initial());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Callable<Boolean>> writers =
        java.util.stream.IntStream.range(0, 8)
            .<Callable<Boolean>>mapToObj(
                i ->
                    () ->
                        store
                            .compareAndSet(
                                seeded,
                                seeded
                                    .topology()
                                    .next(i % 2, s -> s.withState(ShardState.DEGRADED)),
                                List.of())
                            .isPresent())
            .toList();
    long winners = 0;
    for (Future<Boolean> result : pool.invokeAll(writers)) {
      winners += result.get() ? 1 : 0;
    }
    pool.shutdown();

    assertThat(winners).isEqualTo(1);
    assertThat(store.read().orElseThrow().topology().epoch()).isEqualTo(2);
  }

  @Test
  void aChangeMustBumpTheEpochByExactlyOne() throws Exception {
    TopologyStore.Versioned seeded = store.seedIfAbsent(initial());
    Topology skipping = seeded.topology().next(0, s -> s).next(0, s -> s);

    assertThatThrownBy(() -> store.compareAndSet(seeded, skipping, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aGuardThatNoLongerExistsFencesTheChange() throws Exception {
    TopologyStore.Versioned seeded = store.seedIfAbsent(initial());
    String leader = store.path() + "-leader";
    zk.create().forPath(leader);
    var guard = store.requireExists(leader);
    zk.delete().forPath(leader); // the leader's session ended: its node is gone

    assertThat(
            store.compareAndSet(
                seeded,
                seeded.topology().next(0, s -> s.withState(ShardState.DEGRADED)),
                List.of(guard)))
        .isEmpty();
    assertThat(store.read().orElseThrow().version()).isEqualTo(seeded.version());
  }

  @Test
  void watchersSeeAChangeWithinASecondAndNeverGoBack() throws Exception {
    TopologyStore.Versioned seeded = store.seedIfAbsent(initial());
    try (TopologyWatcher watcher = TopologyWatcher.start(store, zk, seeded.topology())) {
      Topology next = seeded.topology().next(1, s -> s.withState(ShardState.READ_ONLY));
      store.compareAndSet(seeded, next, List.of()).orElseThrow();

      await().atMost(Duration.ofSeconds(1)).until(() -> watcher.view().epoch() == 2);
      assertThat(watcher.topology().shard(1).orElseThrow().state()).isEqualTo(ShardState.READ_ONLY);
      watcher.offer(seeded.topology()); // a late event with an older epoch
      assertThat(watcher.view().epoch()).isEqualTo(2);
    }
  }
}
