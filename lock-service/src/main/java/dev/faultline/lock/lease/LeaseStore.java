package dev.faultline.lock.lease;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
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
 *
 * <p>A node's version is not an identity: released and granted again, the lease node is new, at
 * version 0 again, and a write conditional on the old version alone would land on the new lease (a
 * reaper that woke from a pause, or raced another, deleted leases that way). So {@value #ROOT}
 * /{name} itself is persistent and every grant bumps its data version in the same multi-op as the
 * create; the lease records that version as its incarnation, and every renewal, release and reap
 * checks it in the multi-op that writes. Incarnations never repeat for a name.
 *
 * <p>A caller whose leases are counted (a customer: {@link LockPolicy#customerMaxLeases()}) also
 * has an index under {@value #OWNERS}/{hex of the owner}: one child per lock it holds, holding the
 * lease ID, created in the same multi-op as the lease, with a versioned write of the index node
 * itself so that one owner's concurrent acquires are serialised and the count is exact. Children
 * whose lease has gone (expired, released by another instance, or left by a crash) are pruned when
 * the count reaches the limit, so the index never refuses what the leases would allow.
 */
@Repository
class LeaseStore {
  static final String ROOT = "/faultline/locks";
  static final String OWNERS = "/faultline/lock-owners";

  /** How late past its wait an acquire may still take a free lock. */
  private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final CuratorFramework zk;
  private final JsonMapper json;

  LeaseStore(CuratorFramework zk, JsonMapper json) {
    this.zk = zk;
    this.json = json;
  }

  static String leasePath(LockName name) {
    return lockPath(name) + "/lease";
  }

  static String lockPath(LockName name) {
    return ROOT + "/" + name.value();
  }

  /** The lock's own node, made persistent if missing (never a container: its version counts). */
  private Stat lockNode(LockName name) throws Exception {
    String path = lockPath(name);
    Stat stat = zk.checkExists().forPath(path);
    while (stat == null) {
      try {
        zk.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path);
      } catch (KeeperException.NodeExistsException raced) {
        // made meanwhile
      }
      stat = zk.checkExists().forPath(path);
    }
    return stat;
  }

  /**
   * The multi-op guard of a write to {@code record}'s lease: the lock node still at the lease's
   * incarnation (no grant since). None for a lease from before incarnations.
   */
  private List<CuratorOp> sameIncarnation(LockName name, LeaseRecord record) throws Exception {
    return record.incarnation() > 0
        ? List.of(
            zk.transactionOp().check().withVersion(record.incarnation()).forPath(lockPath(name)))
        : List.of();
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
   *
   * <p>Busy (409) is the answer only when the lock is held: a waiter ahead in the queue may be a
   * ghost (its instance was killed, and its ephemeral node lasts until that session expires) that
   * will never take a free lock. So an acquire that may not wait, or whose wait has run out, takes
   * a free lock whatever the queue says. The drill's lock model caught the ghost: a 409 answered
   * while nothing held the lock.
   */
  Lease acquire(LockName name, String owner, String holder, long ttlMs, long waitMs)
      throws Exception {
    return acquire(name, owner, holder, ttlMs, waitMs, 0);
  }

  /** {@link #acquire} counting the owner's leases against {@code maxLeases} (0: uncounted). */
  Lease acquire(LockName name, String owner, String holder, long ttlMs, long waitMs, int maxLeases)
      throws Exception {
    lockNode(name); // before the queue can make it a container
    // Fast path, two round trips: nobody waiting, so creating the lease jumps no queue. Without a
    // wait, a free lock is taken even past waiters: they would be told it is free a moment later.
    if (waitMs == 0 || nobodyWaiting(name)) {
      Optional<Lease> created = tryCreate(name, owner, holder, ttlMs, maxLeases);
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
          Optional<Lease> created = tryCreate(name, owner, holder, ttlMs, maxLeases);
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
          // Out of time: free now (a ghost ahead never took it) means ours; held means busy. Only
          // on time, though: a wait that ended long ago (this process was paused) has a client
          // that gave up, and a lease granted now would block the lock for nobody.
          boolean onTime = System.nanoTime() - deadline < LATE_NANOS;
          if (onTime && read(name).isEmpty()) {
            Optional<Lease> created = tryCreate(name, owner, holder, ttlMs, maxLeases);
            if (created.isPresent()) {
              return created.get();
            }
          }
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
  private Optional<Lease> tryCreate(
      LockName name, String owner, String holder, long ttlMs, int maxLeases) throws Exception {
    String leaseId = UUID.randomUUID().toString();
    if (maxLeases > 0) {
      return tryCreateCounted(name, owner, holder, leaseId, ttlMs, maxLeases);
    }
    for (int attempt = 0; attempt < 20; attempt++) {
      Stat lock = lockNode(name);
      LeaseRecord record = new LeaseRecord(owner, holder, leaseId, ttlMs, 0, lock.getVersion() + 1);
      try {
        zk.transaction()
            .forOperations(
                zk.transactionOp().setData().withVersion(lock.getVersion()).forPath(lockPath(name)),
                zk.transactionOp()
                    .create()
                    .withMode(CreateMode.PERSISTENT)
                    .forPath(leasePath(name), json.writeValueAsBytes(record)));
        return Optional.of(lease(name, record, czxidOf(name, leaseId)));
      } catch (KeeperException.NodeExistsException held) {
        return Optional.empty();
      } catch (KeeperException.BadVersionException granted) {
        // Another grant moved the lock node since it was read: the lock was held within this
        // acquire's time, whoever holds it now. Treated as held, the caller reads who has it (the
        // same holder gets its lease, a waiter waits), instead of racing every other grant again.
        return Optional.empty();
      } catch (KeeperException.NoNodeException raced) {
        // the lock node was being made: look again
      }
    }
    throw new LockServiceUnavailableException("the lock keeps changing under this grant; retry");
  }

  private Optional<Lease> tryCreateCounted(
      LockName name, String owner, String holder, String leaseId, long ttlMs, int maxLeases)
      throws Exception {
    String index = ownerIndex(owner);
    String entry = index + "/" + name.value();
    for (int attempt = 0; ; attempt++) {
      Stat indexStat = zk.checkExists().creatingParentContainersIfNeeded().forPath(index);
      if (indexStat == null) {
        try {
          // A container: ZooKeeper removes it once the owner holds nothing.
          zk.create().withMode(CreateMode.CONTAINER).forPath(index, new byte[0]);
        } catch (KeeperException.NodeExistsException raced) {
          // another acquire of this owner made it: read it again
        }
        continue;
      }
      List<String> held = zk.getChildren().forPath(index);
      if (held.size() >= maxLeases && !held.contains(name.value())) {
        held = prune(index, held);
        if (held.size() >= maxLeases) {
          throw new LeaseLimitException(maxLeases);
        }
      }
      Stat lock = lockNode(name);
      LeaseRecord record = new LeaseRecord(owner, holder, leaseId, ttlMs, 0, lock.getVersion() + 1);
      byte[] data = json.writeValueAsBytes(record);
      var ops = new java.util.ArrayList<CuratorOp>();
      // The lock node first: when both it and the index moved, the failure names the lock.
      ops.add(zk.transactionOp().setData().withVersion(lock.getVersion()).forPath(lockPath(name)));
      ops.add(zk.transactionOp().setData().withVersion(indexStat.getVersion()).forPath(index));
      if (held.contains(name.value())) {
        ops.add(zk.transactionOp().delete().forPath(entry)); // a stale entry of an earlier lease
      }
      ops.add(
          zk.transactionOp()
              .create()
              .withMode(CreateMode.PERSISTENT)
              .forPath(leasePath(name), data));
      ops.add(zk.transactionOp().create().forPath(entry, record.leaseId().getBytes(UTF_8)));
      try {
        zk.transaction().forOperations(ops);
        return Optional.of(lease(name, record, czxidOf(name, record.leaseId())));
      } catch (KeeperException.NodeExistsException lockHeld) {
        return Optional.empty();
      } catch (KeeperException.BadVersionException | KeeperException.NoNodeException raced) {
        if (failedOperation(raced) == 0) {
          // Another grant of this lock since it was read (its version is the first check): held
          // within this acquire's time, as above. Only the caller's own index moving is retried:
          // the same caller's threads racing for one lock would otherwise outrun each other.
          return Optional.empty();
        }
        if (attempt > 10) {
          throw new LockServiceUnavailableException(
              "the lease index of this caller keeps changing; retry");
        }
      }
    }
  }

  /**
   * The position of the operation that failed a multi: ZooKeeper answers each operation before it
   * {@code OK} and each after it {@code RUNTIMEINCONSISTENCY}. -1 if the answer does not say.
   */
  static int failedOperation(KeeperException failed) {
    List<OpResult> results = failed.getResults();
    if (results == null) {
      return -1;
    }
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) instanceof OpResult.ErrorResult error
          && error.getErr() != KeeperException.Code.OK.intValue()
          && error.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
        return i;
      }
    }
    return -1;
  }

  /** Drops index entries whose lease is gone or is another lease now; returns what is left. */
  private List<String> prune(String index, List<String> entries) throws Exception {
    List<String> live = new java.util.ArrayList<>();
    for (String lock : entries) {
      String entry = index + "/" + lock;
      Optional<Read> lease = read(new LockName(lock));
      byte[] leaseId;
      try {
        leaseId = zk.getData().forPath(entry);
      } catch (KeeperException.NoNodeException gone) {
        continue;
      }
      if (lease.isPresent() && lease.get().record().leaseId().equals(new String(leaseId, UTF_8))) {
        live.add(lock);
      } else {
        zk.delete().quietly().forPath(entry);
      }
    }
    return live;
  }

  /** The index node of an owner's counted leases: its subject in hex, a safe path segment. */
  static String ownerIndex(String owner) {
    return OWNERS + "/" + HexFormat.of().formatHex(owner.getBytes(UTF_8));
  }

  /**
   * The token of the lease just created: its node's creation zxid, read back and checked to be this
   * lease (a multi-op does not return the created node's stat).
   */
  private long czxidOf(LockName name, String leaseId) throws Exception {
    Optional<Read> lease = read(name);
    if (lease.isEmpty() || !lease.get().record().leaseId().equals(leaseId)) {
      throw new LockServiceUnavailableException("the lease ended right after its grant; retry");
    }
    return lease.get().czxid();
  }

  private static Lease lease(LockName name, LeaseRecord record, long czxid) {
    return new Lease(name.value(), record.holder(), record.leaseId(), czxid, record.ttlMs());
  }

  /** Touches the lease so that every expiry clock restarts; the token does not change. */
  Lease renew(LockName name, String owner, String leaseId) throws Exception {
    return onOwnLease(
        name,
        owner,
        leaseId,
        lease -> {
          var ops = new java.util.ArrayList<>(sameIncarnation(name, lease.record()));
          ops.add(
              zk.transactionOp()
                  .setData()
                  .withVersion(lease.version())
                  .forPath(leasePath(name), json.writeValueAsBytes(lease.record().renewed())));
          zk.transaction().forOperations(ops);
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
          var ops = new java.util.ArrayList<>(sameIncarnation(name, lease.record()));
          ops.add(
              zk.transactionOp().delete().withVersion(lease.version()).forPath(leasePath(name)));
          try {
            zk.transaction().forOperations(ops);
          } catch (KeeperException.NoNodeException gone) {
            if (!endedWithNoGrantSince(gone, ops.size())) {
              throw gone;
            }
          }
          // Best effort: an entry left behind is pruned when it would count.
          zk.delete().quietly().forPath(ownerIndex(owner) + "/" + name.value());
          return null;
        });
  }

  /**
   * Whether a release whose delete found no lease node still ended this caller's lease: the
   * incarnation check passed in the same multi-op (no grant since this lease), so the lease this
   * caller read a moment ago ended and nobody has taken the lock since. That is what a release is
   * for, and "gone" would be wrong in the case that matters: Curator resends an operation whose
   * connection was lost (a ZooKeeper peer cut off or restarted mid-request), and when the first
   * attempt had deleted the lease the resent one finds nothing. A 410 then told the holder its
   * release found no lease while that very release had ended it; the drill's lock model caught it,
   * a release answered "gone" while its lease was live and nothing could have ended it. (Had the
   * reaper ended it, a release that says "released" is still true: nobody else holds the lock.)
   */
  private static boolean endedWithNoGrantSince(KeeperException gone, int ops) {
    return ops == 2 && failedOperation(gone) == 1;
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
