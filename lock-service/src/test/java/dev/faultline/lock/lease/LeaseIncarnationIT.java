package dev.faultline.lock.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.testing.WithZooKeeper;
import dev.faultline.testing.ZooKeeperCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A lease node's version is not its identity: released and granted again, the node is new and at
 * version 0 again. A reaper that saw the old lease (it was paused, or another reaper deleted it
 * first) and deletes "version 0" would end the new one; the old holder's late renewal would take it
 * over. Both are refused by the lock node's incarnation, checked in the same multi-op.
 */
@WithZooKeeper
class LeaseIncarnationIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A lease written before incarnations (no such field) still reads, as incarnation 0. */
  @Test
  void aLeaseRecordedBeforeIncarnationsStillReads() {
    LeaseRecord legacy =
        JSON.readValue(
            "{\"owner\":\"o\",\"holder\":\"h\",\"leaseId\":\"l\",\"ttlMs\":1000,"
                + "\"renewals\":2}",
            LeaseRecord.class);
    assertThat(legacy.incarnation()).isZero();
    assertThat(legacy.renewed().renewals()).isEqualTo(3);
  }

  @Test
  void aStaleSightingOrALateRenewalNeverTouchesALeaseGrantedAnewAtTheSameVersion(
      ZooKeeperCluster cluster) throws Exception {
    try (CuratorFramework zk =
        CuratorFrameworkFactory.newClient(
            cluster.connectString(), new ExponentialBackoffRetry(100, 5))) {
      zk.start();
      assertThat(zk.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
      LeaseStore store = new LeaseStore(zk, JSON);
      LeaseReaper reaper = new LeaseReaper(zk, JSON, new SimpleMeterRegistry());
      LockName name = new LockName("incarnation-" + UUID.randomUUID());
      String path = LeaseStore.leasePath(name);

      Lease first = store.acquire(name, "alice", "a", 60_000, 0);
      Stat seen = zk.checkExists().forPath(path);
      LeaseRecord record = JSON.readValue(zk.getData().forPath(path), LeaseRecord.class);
      store.release(name, "alice", first.leaseId());
      Lease second = store.acquire(name, "bob", "b", 60_000, 0);
      Stat now = zk.checkExists().forPath(path);
      assertThat(now.getVersion()).isEqualTo(seen.getVersion()); // the same version, a new node
      assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());

      var stale =
          new LeaseReaper.Observed(seen.getCzxid(), seen.getVersion(), record.incarnation(), 0, 0);
      assertThatThrownBy(() -> reaper.delete(path, stale))
          .isInstanceOf(KeeperException.BadVersionException.class);
      assertThatThrownBy(() -> store.renew(name, "alice", first.leaseId()))
          .isInstanceOf(LeaseGoneException.class);
      assertThat(store.current(name))
          .hasValueSatisfying(l -> assertThat(l.holder()).isEqualTo("b"));

      // The sighting of the lease that is there does end it.
      LeaseRecord current = JSON.readValue(zk.getData().forPath(path), LeaseRecord.class);
      reaper.delete(
          path,
          new LeaseReaper.Observed(now.getCzxid(), now.getVersion(), current.incarnation(), 0, 0));
      assertThat(store.current(name)).isEmpty();
    }
  }
}
