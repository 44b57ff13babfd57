package dev.faultline.lock.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.testing.TcpRelay;
import dev.faultline.testing.WithZooKeeper;
import dev.faultline.testing.ZooKeeperCluster;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A lease operation that ZooKeeper applied but whose reply was lost: the connection drops, Curator
 * reconnects within the session and sends the operation again, and the second attempt meets the
 * first one's effect. That is what a ZooKeeper peer cut off mid-request does (the drill's
 * partitions); the answer must still be the one the first attempt earned.
 */
@WithZooKeeper
class LostReplyIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TcpRelay relay;
  private CuratorFramework throughRelay;
  private CuratorFramework direct;
  private LeaseStore store;

  @BeforeEach
  void connect(ZooKeeperCluster cluster) throws Exception {
    String server = cluster.connectString();
    relay = TcpRelay.to(Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)));
    // Spring Cloud Zookeeper's retry policy, which the service runs with; a session that outlives
    // the dropped connection, as the service's 6 s one does.
    throughRelay =
        CuratorFrameworkFactory.builder()
            .connectString("127.0.0.1:" + relay.port())
            .sessionTimeoutMs(6_000)
            .connectionTimeoutMs(3_000)
            .retryPolicy(new ExponentialBackoffRetry(50, 10, 500))
            .build();
    throughRelay.start();
    assertThat(throughRelay.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
    direct = CuratorFrameworkFactory.newClient(server, new ExponentialBackoffRetry(100, 5));
    direct.start();
    assertThat(direct.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
    store = new LeaseStore(throughRelay, JSON);
  }

  /** A ZooKeeper request frame: xid, then the operation's code; a lease write is a multi-op. */
  private static boolean multi(java.nio.ByteBuffer request) {
    return request.remaining() >= 8 && request.getInt(4) == ZooDefs.OpCode.multi;
  }

  /** A create request (with or without a stat in its answer), as a place in a queue is made. */
  private static boolean create(java.nio.ByteBuffer request) {
    return request.remaining() >= 8
        && (request.getInt(4) == ZooDefs.OpCode.create
            || request.getInt(4) == ZooDefs.OpCode.create2);
  }

  @AfterEach
  void disconnect() throws Exception {
    throughRelay.close();
    direct.close();
    relay.close();
  }

  @Test
  void aReleaseWhoseReplyWasLostIsAnsweredReleasedNotGone() throws Exception {
    LockName name = new LockName("lost-release-" + UUID.randomUUID());
    Lease lease = store.acquire(name, "alice", "a", 60_000, 0);
    String path = LeaseStore.leasePath(name);

    relay.loseRepliesFrom(LostReplyIT::multi);
    CompletableFuture<Void> release =
        CompletableFuture.runAsync(
            () -> {
              try {
                store.release(name, "alice", lease.leaseId());
              } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    // The delete landed; its reply did not.
    await().atMost(Duration.ofSeconds(10)).until(() -> direct.checkExists().forPath(path) == null);
    assertThat(release).isNotDone();
    relay.dropConnections();

    assertThat(release).succeedsWithin(Duration.ofSeconds(15));
    // And the lock is free for the next holder, with a higher token.
    Lease next = store.acquire(name, "bob", "b", 60_000, 0);
    assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
  }

  @Test
  void aRenewalWhoseReplyWasLostIsAnsweredRenewedWithTheSameToken() throws Exception {
    LockName name = new LockName("lost-renewal-" + UUID.randomUUID());
    Lease lease = store.acquire(name, "alice", "a", 60_000, 0);
    String path = LeaseStore.leasePath(name);
    int before = direct.checkExists().forPath(path).getVersion();

    relay.loseRepliesFrom(LostReplyIT::multi);
    CompletableFuture<Lease> renewal =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return store.renew(name, "alice", lease.leaseId());
              } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> direct.checkExists().forPath(path).getVersion() > before);
    assertThat(renewal).isNotDone();
    relay.dropConnections();

    assertThat(renewal)
        .succeedsWithin(Duration.ofSeconds(15))
        .satisfies(
            renewed -> {
              assertThat(renewed.leaseId()).isEqualTo(lease.leaseId());
              assertThat(renewed.fencingToken()).isEqualTo(lease.fencingToken());
            });
    Stat after = direct.checkExists().forPath(path);
    assertThat(after.getVersion()).isGreaterThan(before);
  }

  @Test
  void anAcquireWhoseReplyWasLostIsAnsweredWithTheLeaseItCreated() throws Exception {
    LockName name = new LockName("lost-grant-" + UUID.randomUUID());
    String path = LeaseStore.leasePath(name);

    relay.loseRepliesFrom(LostReplyIT::multi);
    // Counted, as a customer's acquire is: the owner's index is written in the same multi-op.
    CompletableFuture<Lease> grant =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return store.acquire(name, "carol", "c", 60_000, 0, 5);
              } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> direct.checkExists().forPath(path) != null);
    assertThat(grant).isNotDone();
    relay.dropConnections();

    Stat created = direct.checkExists().forPath(path);
    assertThat(grant)
        .succeedsWithin(Duration.ofSeconds(15))
        .satisfies(
            lease -> {
              assertThat(lease.holder()).isEqualTo("c");
              assertThat(lease.fencingToken()).isEqualTo(created.getCzxid());
            });
  }

  /**
   * A waiter's place in the queue made, its reply lost: the retried create must find that node, not
   * make a second one. A second one leaves the first as a ghost ahead of it (nobody deletes it
   * while the session lives), so the waiter watches the ghost, sleeps through the release, and is
   * served only when its whole wait has run out; every later waiter queues behind the ghost too.
   */
  @Test
  void aWaiterWhosePlaceInTheQueueWasMadeButNotAnsweredIsServedWhenTheLockIsReleased()
      throws Exception {
    LockName name = new LockName("lost-queue-" + UUID.randomUUID());
    Lease held = store.acquire(name, "alice", "a", 60_000, 0);
    String queue = "/faultline/locks/" + name.value() + "/queue";
    direct.create().forPath(queue); // so that the waiter's first create is its place, not a parent

    relay.loseRepliesFrom(LostReplyIT::create);
    CompletableFuture<Lease> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return store.acquire(name, "bob", "b", 60_000, 30_000);
              } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    // Its place was made; the answer did not come back.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> direct.getChildren().forPath(queue).size() == 1);
    assertThat(waiter).isNotDone();
    relay.dropConnections();
    // Reconnected, the waiter looks at the queue again (and, with a ghost, would watch it).
    await()
        .pollDelay(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(() -> throughRelay.getZookeeperClient().isConnected());

    store.release(name, "alice", held.leaseId());
    assertThat(waiter)
        .succeedsWithin(Duration.ofSeconds(10))
        .satisfies(lease -> assertThat(lease.holder()).isEqualTo("b"));
    // And nothing is left in the queue for a later waiter to wait behind.
    assertThat(direct.getChildren().forPath(queue)).isEmpty();
  }
}
