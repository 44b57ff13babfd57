package dev.faultline.lock.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testing.WithZooKeeper;
import dev.faultline.testing.ZooKeeperCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * One customer (counted leases) whose eight workers take turns on one lock, waiting in the queue:
 * every acquire gets its turn. A grant that lost the race for the lock node used to retry against
 * the owner's index until it gave up with a 503 ("keeps changing"), which eight contenders of one
 * customer reached within seconds (found by {@code bin/bench locks}' contended run).
 */
@WithZooKeeper
class OneOwnerContendingIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int WORKERS = 8;
  private static final int CYCLES = 25;

  @Test
  void everyWorkerOfOneCustomerGetsItsTurns(ZooKeeperCluster cluster) throws Exception {
    try (CuratorFramework zk =
            CuratorFrameworkFactory.newClient(
                cluster.connectString(), new ExponentialBackoffRetry(100, 5));
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS)) {
      zk.start();
      assertThat(zk.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
      LeaseStore store = new LeaseStore(zk, JSON);
      LockName name = new LockName("contended-" + UUID.randomUUID());
      // An owner of its own: other tests on this ensemble leave entries in theirs.
      String owner = "carol-" + UUID.randomUUID();
      ConcurrentLinkedQueue<Long> tokens = new ConcurrentLinkedQueue<>();
      List<Future<Void>> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        String holder = "worker-" + w;
        workers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < CYCLES; i++) {
                    Lease lease = store.acquire(name, owner, holder, 10_000, 30_000, 100);
                    tokens.add(lease.fencingToken());
                    store.release(name, owner, lease.leaseId(), true);
                  }
                  return null;
                }));
      }
      for (Future<Void> worker : workers) {
        worker.get(2, TimeUnit.MINUTES);
      }
      assertThat(tokens).hasSize(WORKERS * CYCLES).doesNotHaveDuplicates();
      // And the customer's index holds nothing once every lease is released.
      String index = LeaseStore.ownerIndex(owner);
      assertThat(
              zk.checkExists().forPath(index) == null || zk.getChildren().forPath(index).isEmpty())
          .isTrue();
    }
  }
}
