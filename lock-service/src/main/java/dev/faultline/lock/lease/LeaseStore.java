package dev.faultline.lock.lease;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Leases in ZooKeeper. Per lock name, under {@value #ROOT}/{name}:
 *
 * <ul>
 *   <li>{@code lease}: a persistent node, present while the lock is held. Persistent, not
 *       ephemeral, so that a lease outlives the lock-service instance that granted it; it ends by
 *       release or by expiry ({@link LeaseReaper}). Its creation zxid is the fencing token.
 *   <li>{@code queue/w-NNNNNNNNNN}: one ephemeral sequential node per waiting acquire. Waiters are
 *       served in sequence order, each watching only its predecessor (or, when first, the lease),
 *       as Curator's InterProcessMutex does; a waiter whose instance dies leaves the queue with its
 *       session.
 * </ul>
 *
 * Only ZooKeeper's atomic operations decide: creating the lease node (one winner), versioned
 * updates and deletes (a renewal or release acts only on the lease it read).
 */
@Repository
class LeaseStore {
  static final String ROOT = "/faultline/locks";

  private final CuratorFramework zk;
  private final JsonMapper json;

  LeaseStore(CuratorFramework zk, JsonMapper json) {
    this.zk = zk;
    this.json = json;
  }

  static String leasePath(LockName name) {
    return ROOT + "/" + name.value() + "/lease";
  }

  private static String queuePath(LockName name) {
    return ROOT + "/" + name.value() + "/queue";
  }

  /** The live lease, read after a sync so that it is no older than any write acknowledged. */
  Optional<Lease> current(LockName name) throws Exception {
    zk.sync().forPath(leasePath(name));
    return read(name).map(r -> r.lease(name));
  }

  /**
   * Grants the lock to {@code holder}, waiting up to {@code waitMs} in FIFO order. The same owner
   * and holder asking again while they hold it get their lease back: a retried acquire is safe.
   */
  Lease acquire(LockName name, String owner, String holder, long ttlMs, long waitMs)
      throws Exception {
    // Fast path, two round trips: nobody waiting, so creating the lease jumps no queue.
    if (nobodyWaiting(name)) {
      Optional<Lease> created = tryCreate(name, owner, holder, ttlMs);
      if (created.isPresent()) {
        return created.get();
      }
    }
    Optional<Read> held = read(name);
    if (heldBy(held, owner, holder)) {
      return renew(name, owner, held.get().record().leaseId());
    }
    if (waitMs == 0) {
      throw new LockBusyException(name, 0);
    }
    String queue = queuePath(name);
    String me =
        zk.create()
            .creatingParentContainersIfNeeded()
            .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
            .forPath(queue + "/w-");
    String myNode = me.substring(me.lastIndexOf('/') + 1);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    try {
      while (true) {
        Optional<Read> existing = read(name);
        if (heldBy(existing, owner, holder)) {
          return renew(name, owner, existing.get().record().leaseId());
        }
        List<String> waiting =
            zk.getChildren().forPath(queue).stream()
                .sorted(Comparator.comparing(LeaseStore::sequence))
                .toList();
        int position = waiting.indexOf(myNode);
        if (position < 0) {
          throw new LockServiceUnavailableException("this instance's place in the queue vanished");
        }
        if (position == 0 && existing.isEmpty()) {
          Optional<Lease> created = tryCreate(name, owner, holder, ttlMs);
          if (created.isPresent()) {
            return created.get();
          }
          continue; // someone outside the queue discipline won; look again
        }
        // Wait for the one event that can make us first with a free lock.
        String watched = position > 0 ? queue + "/" + waiting.get(position - 1) : leasePath(name);
        CountDownLatch changed = new CountDownLatch(1);
        Stat present =
            zk.checkExists()
                .usingWatcher(
                    (org.apache.curator.framework.api.CuratorWatcher) event -> changed.countDown())
                .forPath(watched);
        if (present == null) {
          continue;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || !changed.await(remaining, TimeUnit.NANOSECONDS)) {
          throw new LockBusyException(name, waitMs);
        }
      }
    } finally {
      try {
        zk.delete().quietly().forPath(me);
      } catch (Exception ignored) {
        // Our session ends with this instance at the latest, and the node with it.
      }
    }
  }

  /** The same owner and holder asking again while they hold the lock: a retried acquire. */
  private static boolean heldBy(Optional<Read> lease, String owner, String holder) {
    return lease.isPresent()
        && lease.get().record().owner().equals(owner)
        && lease.get().record().holder().equals(holder);
  }

  private boolean nobodyWaiting(LockName name) throws Exception {
    try {
      return zk.getChildren().forPath(queuePath(name)).isEmpty();
    } catch (KeeperException.NoNodeException never) {
      return true;
    }
  }

  /** Creates the lease node: exactly one creator wins; empty when it exists already. */
  private Optional<Lease> tryCreate(LockName name, String owner, String holder, long ttlMs)
      throws Exception {
    LeaseRecord record = new LeaseRecord(owner, holder, UUID.randomUUID().toString(), ttlMs, 0);
    Stat stat = new Stat();
    try {
      zk.create()
          .storingStatIn(stat)
          .creatingParentContainersIfNeeded()
          .withMode(CreateMode.PERSISTENT)
          .forPath(leasePath(name), json.writeValueAsBytes(record));
      return Optional.of(new Lease(name.value(), holder, record.leaseId(), stat.getCzxid(), ttlMs));
    } catch (KeeperException.NodeExistsException held) {
      return Optional.empty();
    }
  }

  /** Touches the lease so that every expiry clock restarts; the token does not change. */
  Lease renew(LockName name, String owner, String leaseId) throws Exception {
    return onOwnLease(
        name,
        owner,
        leaseId,
        lease -> {
          zk.setData()
              .withVersion(lease.version())
              .forPath(leasePath(name), json.writeValueAsBytes(lease.record().renewed()));
          return lease.lease(name);
        });
  }

  /** Ends the lease now, if it is still this caller's. */
  void release(LockName name, String owner, String leaseId) throws Exception {
    onOwnLease(
        name,
        owner,
        leaseId,
        lease -> {
          zk.delete().withVersion(lease.version()).forPath(leasePath(name));
          return null;
        });
  }

  /** A versioned operation on the caller's lease, as read just before. */
  @FunctionalInterface
  private interface LeaseOperation<T> {
    T apply(Read lease) throws Exception;
  }

  /**
   * Reads the caller's lease and applies a versioned operation to it; a concurrent renewal (a
   * version that moved) means read again, a vanished node means the lease is gone.
   */
  private <T> T onOwnLease(LockName name, String owner, String leaseId, LeaseOperation<T> op)
      throws Exception {
    for (int attempt = 0; ; attempt++) {
      Read lease = owned(name, owner, leaseId);
      try {
        return op.apply(lease);
      } catch (KeeperException.BadVersionException concurrentRenewal) {
        if (attempt > 3) {
          throw concurrentRenewal;
        }
      } catch (KeeperException.NoNodeException gone) {
        throw new LeaseGoneException(name, leaseId);
      }
    }
  }

  private Read owned(LockName name, String owner, String leaseId) throws Exception {
    Read lease = read(name).orElseThrow(() -> new LeaseGoneException(name, leaseId));
    if (!lease.record().leaseId().equals(leaseId) || !lease.record().owner().equals(owner)) {
      throw new LeaseGoneException(name, leaseId);
    }
    return lease;
  }

  private Optional<Read> read(LockName name) throws Exception {
    Stat stat = new Stat();
    try {
      byte[] data = zk.getData().storingStatIn(stat).forPath(leasePath(name));
      return Optional.of(
          new Read(json.readValue(data, LeaseRecord.class), stat.getVersion(), stat.getCzxid()));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  private static long sequence(String node) {
    return Long.parseLong(node.substring(node.lastIndexOf('-') + 1));
  }

  /** A lease node as read: its record, its data version and its creation zxid (the token). */
  private record Read(LeaseRecord record, int version, long czxid) {
    Lease lease(LockName name) {
      return new Lease(name.value(), record.holder(), record.leaseId(), czxid, record.ttlMs());
    }
  }
}
