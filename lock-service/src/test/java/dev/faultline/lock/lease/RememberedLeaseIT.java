package dev.faultline.lock.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.testing.WithZooKeeper;
import dev.faultline.testing.ZooKeeperCluster;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A renewal or release tries the lease as its instance last wrote it, without reading it first.
 * Whatever happened to the lease since (renewed by another instance, expired, released and granted
 * to someone else), the multi-op's checks refuse the stale memory and the answer is the one a fresh
 * read would give. Two stores on one ensemble stand for two lock-service instances.
 */
@WithZooKeeper
class RememberedLeaseIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private CuratorFramework zk;
  private LeaseStore first;
  private LeaseStore second;
  private LockName name;

  @BeforeEach
  void connect(ZooKeeperCluster cluster) throws Exception {
    zk =
        CuratorFrameworkFactory.newClient(
            cluster.connectString(), new ExponentialBackoffRetry(100, 5));
    zk.start();
    assertThat(zk.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
    first = new LeaseStore(zk, JSON);
    second = new LeaseStore(zk, JSON);
    name = new LockName("remembered-" + UUID.randomUUID());
  }

  @AfterEach
  void close() {
    zk.close();
  }

  @Test
  void aLeaseRenewedElsewhereIsStillRenewedAndReleasedHere() throws Exception {
    Lease lease = first.acquire(name, "alice", "a", 60_000, 0);
    // The token, taken from the grant's own multi-op, is the lease node's creation zxid.
    assertThat(lease.fencingToken())
        .isEqualTo(zk.checkExists().forPath(LeaseStore.leasePath(name)).getCzxid());
    second.renew(name, "alice", lease.leaseId()); // the version this store remembers is stale now

    assertThat(first.renew(name, "alice", lease.leaseId()).fencingToken())
        .isEqualTo(lease.fencingToken());
    second.renew(name, "alice", lease.leaseId());
    first.release(name, "alice", lease.leaseId());
    assertThat(zk.checkExists().forPath(LeaseStore.leasePath(name))).isNull();
  }

  @Test
  void anExpiredLeaseIsGoneNotReleasedEvenWithNoGrantSince() throws Exception {
    Lease lease = first.acquire(name, "alice", "a", 60_000, 0);
    // What a reaper does when the TTL has run: the node goes, the lock node stays as it was.
    zk.delete().forPath(LeaseStore.leasePath(name));
    // Within its TTL by this store's clock, that can only be a release: say so (a resent release
    // must not be told "gone"). A lease remembered past its TTL may have expired: "gone".
    first.release(name, "alice", lease.leaseId());

    Lease shortLived = first.acquire(name, "alice", "a", 200, 0);
    Thread.sleep(300);
    // Quietly: a lock service's reaper (a Spring context of another test on this ensemble) may
    // have ended the expired lease already, as it would in production.
    zk.delete().quietly().forPath(LeaseStore.leasePath(name));
    assertThatThrownBy(() -> first.release(name, "alice", shortLived.leaseId()))
        .isInstanceOf(LeaseGoneException.class);
    assertThatThrownBy(() -> first.renew(name, "alice", shortLived.leaseId()))
        .isInstanceOf(LeaseGoneException.class);
  }

  @Test
  void aLeaseReleasedElsewhereAndGrantedToAnotherIsNeverTouched() throws Exception {
    Lease alice = first.acquire(name, "alice", "a", 60_000, 0);
    second.release(name, "alice", alice.leaseId());
    Lease bob = second.acquire(name, "bob", "b", 60_000, 0);

    assertThatThrownBy(() -> first.renew(name, "alice", alice.leaseId()))
        .isInstanceOf(LeaseGoneException.class);
    assertThatThrownBy(() -> first.release(name, "alice", alice.leaseId()))
        .isInstanceOf(LeaseGoneException.class);
    assertThat(second.current(name))
        .hasValueSatisfying(l -> assertThat(l.leaseId()).isEqualTo(bob.leaseId()));
  }

  @Test
  void aCountedLeaseTakesItsIndexEntryAlongAndAStaleEntryDoesNotBlockTheNextGrant()
      throws Exception {
    Lease lease = first.acquire(name, "carol", "c", 60_000, 0, 5);
    String entry = LeaseStore.ownerIndex("carol") + "/" + name.value();
    assertThat(zk.checkExists().forPath(entry)).isNotNull();
    first.release(name, "carol", lease.leaseId(), true);
    assertThat(zk.checkExists().forPath(entry)).isNull();

    // An entry left by a lease that ended without a release (expired): the next grant replaces it.
    Lease expired = second.acquire(name, "carol", "c", 60_000, 0, 5);
    zk.delete().forPath(LeaseStore.leasePath(name));
    assertThat(zk.checkExists().forPath(entry)).isNotNull();
    Lease next = first.acquire(name, "carol", "c", 60_000, 0, 5);
    assertThat(next.fencingToken()).isGreaterThan(expired.fencingToken());
    assertThat(new String(zk.getData().forPath(entry), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(next.leaseId());
  }
}
