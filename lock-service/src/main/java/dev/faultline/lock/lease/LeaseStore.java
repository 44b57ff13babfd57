package dev.faultline.lock.lease;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Leases in ZooKeeper. Per lock name, under {@value #ROOT}/{name}:
 *
 * <ul>
 *   <li>{@code lease}: a persistent node, present while the lock is held. Persistent, not
 *       ephemeral, so that a lease outlives the lock-service instance that granted it; it ends by
 *       release or by expiry ({@link LeaseReaper}). Its creation zxid is the fencing token.
 *   <li>{@code queue/_c_<guid>-w-NNNNNNNNNN}: one ephemeral sequential node per waiting acquire
 *       (protected: see {@link #acquire}). Waiters are served in sequence order, each watching only
 *       its predecessor (or, when first, the lease), as Curator's InterProcessMutex does; a waiter
 *       whose instance dies leaves the queue with its session.
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
 *
 * <p>Round trips are the cost of a lock (each one a network hop to a ZooKeeper server, each write a
 * quorum commit), so the common cases take as few as the guarantees allow. An uncontended acquire
 * is one read (the lock node: its version, and whether anything is under it) and one multi-op; the
 * fencing token is the multi-op's own zxid, read from its answer. A renewal or a release of a lease
 * this instance granted or renewed is one multi-op, checked against the lease as this instance last
 * wrote it ({@link #written}): the checks in the multi-op (the same incarnation, the same version)
 * make a stale memory harmless, since it then fails and the lease is read afresh. Curator's
 * InterProcessMutex, for comparison, takes a create, a read of the children and a delete.
 */
@Repository
class LeaseStore {
  static final String ROOT = "/faultline/locks";
  static final String OWNERS = "/faultline/lock-owners";

  /** How late past its wait an acquire may still take a free lock. */
  private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final CuratorFramework zk;
  private final JsonMapper json;

  /**
   * Per lock path, the lease as this instance last granted or renewed it: a hint that saves a read,
   * never trusted alone (see the class comment). Bounded: the least recently written go first.
   */
  private final Map<String, Remembered> written =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
              return size() > 4096;
            }
          });

  /** With {@code faultline.locks.unsafe.instance-local-tokens}: this instance's own numbering. */
  private final @Nullable AtomicLong localTokens;

  LeaseStore(CuratorFramework zk, JsonMapper json) {
    this(zk, json, UnsafeLockSettings.SAFE);
  }

  @Autowired
  LeaseStore(CuratorFramework zk, JsonMapper json, UnsafeLockSettings unsafe) {
    this.zk = zk;
    this.json = json;
    this.localTokens = unsafe.instanceLocalTokens() ? new AtomicLong() : null;
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
    Stat lock = lockNode(name); // before the queue can make it a container
    // Fast path, two round trips: nobody waiting, so creating the lease jumps no queue. Without a
    // wait, a free lock is taken even past waiters: they would be told it is free a moment later.
    if (waitMs == 0 || nobodyWaiting(name, lock)) {
      Optional<Lease> created = tryCreate(name, owner, holder, ttlMs, maxLeases, lock);
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
    // Protected: when the connection drops with the create's outcome unknown, Curator looks for
    // the node its first attempt made (by a GUID in the name) before making another. Without it a
    // retried create leaves a ghost: a node nobody deletes while this instance's session lives,
    // ahead of every later waiter, this one included, which then waits on it until its time ends.
    String me =
        zk.create()
            .creatingParentContainersIfNeeded()
            .withProtection()
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
          Optional<Lease> created = tryCreate(name, owner, holder, ttlMs, maxLeases, null);
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
            Optional<Lease> created = tryCreate(name, owner, holder, ttlMs, maxLeases, null);
            if (created.isPresent()) {
              return created.get();
            }
          }
          throw new LockBusyException(name, waitMs);
        }
      }
    } finally {
      try {
        // Guaranteed: a delete that fails on a lost connection is retried in the background until
        // it lands. A place left in the queue would hold up every waiter behind it for as long as
        // this instance's session lives.
        zk.delete().quietly().guaranteed().forPath(me);
      } catch (Exception ignored) {
        // Retried in the background; our session ends with this instance at the latest.
      }
    }
  }

  /** The same owner and holder asking again while they hold the lock: a retried acquire. */
  private static boolean heldBy(Optional<Read> lease, String owner, String holder) {
    return lease.isPresent()
        && lease.get().record().owner().equals(owner)
        && lease.get().record().holder().equals(holder);
  }

  /**
   * Whether the queue is empty. The lock node's stat, just read, answers without a read when
   * nothing at all is under it (no lease, no queue).
   */
  private boolean nobodyWaiting(LockName name, Stat lock) throws Exception {
    if (lock.getNumChildren() == 0) {
      return true;
    }
    try {
      return zk.getChildren().forPath(queuePath(name)).isEmpty();
    } catch (KeeperException.NoNodeException never) {
      return true;
    }
  }

  /**
   * Creates the lease node: exactly one creator wins; empty when it exists already. {@code known}:
   * the lock node's stat if just read (saves reading it again), else null.
   */
  private Optional<Lease> tryCreate(
      LockName name, String owner, String holder, long ttlMs, int maxLeases, @Nullable Stat known)
      throws Exception {
    String leaseId = UUID.randomUUID().toString();
    if (maxLeases > 0) {
      return tryCreateCounted(name, owner, holder, leaseId, ttlMs, maxLeases, known);
    }
    Stat lock = known;
    for (int attempt = 0; attempt < 20; attempt++) {
      if (lock == null) {
        lock = lockNode(name);
      }
      LeaseRecord record = new LeaseRecord(owner, holder, leaseId, ttlMs, 0, lock.getVersion() + 1);
      long sent = System.nanoTime();
      try {
        var results =
            zk.transaction()
                .forOperations(
                    zk.transactionOp()
                        .setData()
                        .withVersion(lock.getVersion())
                        .forPath(lockPath(name)),
                    zk.transactionOp()
                        .create()
                        .withMode(CreateMode.PERSISTENT)
                        .forPath(leasePath(name), json.writeValueAsBytes(record)));
        return Optional.of(granted(name, record, results, sent));
      } catch (KeeperException.NodeExistsException held) {
        return Optional.empty();
      } catch (KeeperException.BadVersionException granted) {
        // Another grant moved the lock node since it was read: the lock was held within this
        // acquire's time, whoever holds it now. Treated as held, the caller reads who has it (the
        // same holder gets its lease, a waiter waits), instead of racing every other grant again.
        return Optional.empty();
      } catch (KeeperException.NoNodeException raced) {
        lock = null; // the lock node was being made: look again
      }
    }
    throw new LockServiceUnavailableException("the lock keeps changing under this grant; retry");
  }

  /**
   * The lease a grant's multi-op created. Its token is the node's creation zxid, which is the
   * multi-op's own: every operation of a multi-op commits in one transaction, under one zxid, so
   * the lock node's new modification zxid in the answer is it, with no read afterwards.
   */
  private Lease granted(
      LockName name,
      LeaseRecord record,
      List<org.apache.curator.framework.api.transaction.CuratorTransactionResult> results,
      long sentNanos) {
    String lock = lockPath(name);
    Stat stat =
        results.stream()
            .filter(r -> r.getForPath().equals(lock) && r.getResultStat() != null)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no stat for " + lock + " in the grant"))
            .getResultStat();
    written.put(lock, new Remembered(new Read(record, 0, stat.getMzxid()), sentNanos));
    if (localTokens != null) {
      // Unsafe on purpose (UnsafeLockSettings): a number with no order shared between instances.
      return lease(name, record, localTokens.incrementAndGet());
    }
    return lease(name, record, stat.getMzxid());
  }

  private Optional<Lease> tryCreateCounted(
      LockName name,
      String owner,
      String holder,
      String leaseId,
      long ttlMs,
      int maxLeases,
      @Nullable Stat known)
      throws Exception {
    String index = ownerIndex(owner);
    String entry = index + "/" + name.value();
    Stat lock = known;
    // Whether this owner's index may hold an entry for this lock (left by a lease that ended
    // without a release here): only then, or at the limit, are its children read.
    boolean staleEntryPossible = false;
    for (int attempt = 0; ; attempt++) {
      Stat indexStat = zk.checkExists().creatingParentContainersIfNeeded().forPath(index);
      if (indexStat == null) {
        try {
          // A container: ZooKeeper removes it once the owner holds nothing.
          // With its parents: the owners' root is a container too, and goes when it is empty.
          zk.create()
              .creatingParentContainersIfNeeded()
              .withMode(CreateMode.CONTAINER)
              .forPath(index, new byte[0]);
        } catch (KeeperException.NodeExistsException raced) {
          // another acquire of this owner made it: read it again
        }
        continue;
      }
      boolean staleEntry = false;
      if (staleEntryPossible || indexStat.getNumChildren() >= maxLeases) {
        List<String> held = zk.getChildren().forPath(index);
        if (held.size() >= maxLeases && !held.contains(name.value())) {
          held = prune(index, held);
          if (held.size() >= maxLeases) {
            throw new LeaseLimitException(maxLeases);
          }
        }
        staleEntry = held.contains(name.value());
      }
      if (lock == null) {
        lock = lockNode(name);
      }
      LeaseRecord record = new LeaseRecord(owner, holder, leaseId, ttlMs, 0, lock.getVersion() + 1);
      byte[] data = json.writeValueAsBytes(record);
      var ops = new java.util.ArrayList<CuratorOp>();
      // The lock node first: when both it and the index moved, the failure names the lock.
      ops.add(zk.transactionOp().setData().withVersion(lock.getVersion()).forPath(lockPath(name)));
      ops.add(zk.transactionOp().setData().withVersion(indexStat.getVersion()).forPath(index));
      if (staleEntry) {
        ops.add(zk.transactionOp().delete().forPath(entry)); // a stale entry of an earlier lease
      }
      ops.add(
          zk.transactionOp()
              .create()
              .withMode(CreateMode.PERSISTENT)
              .forPath(leasePath(name), data));
      ops.add(zk.transactionOp().create().forPath(entry, record.leaseId().getBytes(UTF_8)));
      long sent = System.nanoTime();
      try {
        return Optional.of(granted(name, record, zk.transaction().forOperations(ops), sent));
      } catch (KeeperException.NodeExistsException exists) {
        if (failedOperation(exists) != ops.size() - 1) {
          return Optional.empty(); // the lease node: the lock is held
        }
        staleEntryPossible = true; // the index entry: an earlier lease's, to delete first
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
          LeaseRecord renewed = lease.record().renewed();
          ops.add(
              zk.transactionOp()
                  .setData()
                  .withVersion(lease.version())
                  .forPath(leasePath(name), json.writeValueAsBytes(renewed)));
          long sent = System.nanoTime();
          zk.transaction().forOperations(ops);
          written.put(
              lockPath(name),
              new Remembered(new Read(renewed, lease.version() + 1, lease.czxid()), sent));
          return lease.lease(name);
        });
  }

  /** Ends the lease now, if it is still this caller's (whose leases are not counted). */
  void release(LockName name, String owner, String leaseId) throws Exception {
    release(name, owner, leaseId, false);
  }

  /**
   * Ends the lease now, if it is still this caller's; {@code counted}: the caller's leases are
   * counted, so its index entry goes in the same multi-op (one commit, not two).
   */
  void release(LockName name, String owner, String leaseId, boolean counted) throws Exception {
    String entry = ownerIndex(owner) + "/" + name.value();
    Remembered hint = remembered(name, owner, leaseId);
    boolean withEntry = counted;
    for (int attempt = 0; ; attempt++) {
      Read lease = hint != null ? hint.lease() : owned(name, owner, leaseId);
      // A lease read a moment ago, or written here less than its TTL ago, cannot have expired
      // yet: every reaper counts its TTL from a later moment. Only then does a missing node with
      // no grant since mean that a release (this one, resent by Curator) ended it.
      boolean unexpired = hint == null || hint.younger();
      var ops = new java.util.ArrayList<>(sameIncarnation(name, lease.record()));
      int guards = ops.size();
      ops.add(zk.transactionOp().delete().withVersion(lease.version()).forPath(leasePath(name)));
      if (withEntry) {
        ops.add(zk.transactionOp().delete().forPath(entry));
      }
      try {
        zk.transaction().forOperations(ops);
        break;
      } catch (KeeperException.NoNodeException gone) {
        if (withEntry && failedOperation(gone) == guards + 1) {
          withEntry = false; // no entry (pruned, or from before the index): without it
          continue;
        }
        if (unexpired && endedWithNoGrantSince(gone, guards)) {
          break;
        }
        if (hint == null) {
          throw new LeaseGoneException(name, leaseId);
        }
        hint = null; // the remembered lease may have expired: read what is there
      } catch (KeeperException.BadVersionException moved) {
        if (hint == null && attempt > 3) {
          throw moved;
        }
        hint = null; // renewed elsewhere, or granted anew: read what is there
      }
    }
    written.remove(lockPath(name));
    if (counted && !withEntry) {
      // Best effort: an entry left behind is pruned when it would count.
      zk.delete().quietly().forPath(entry);
    }
  }

  /** What this instance last wrote of the caller's lease, if it was this very lease. */
  private @Nullable Remembered remembered(LockName name, String owner, String leaseId) {
    Remembered remembered = written.get(lockPath(name));
    return remembered != null
            && remembered.lease().record().leaseId().equals(leaseId)
            && remembered.lease().record().owner().equals(owner)
            && remembered.lease().record().incarnation() > 0
        ? remembered
        : null;
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
  private static boolean endedWithNoGrantSince(KeeperException gone, int guards) {
    return guards == 1 && failedOperation(gone) == 1;
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
    // First as this instance last wrote it (no read), if it wrote this very lease: the multi-op's
    // checks refuse it if anything changed since, and then it is read afresh.
    Remembered hint = remembered(name, owner, leaseId);
    if (hint != null) {
      try {
        return op.apply(hint.lease());
      } catch (KeeperException.BadVersionException | KeeperException.NoNodeException stale) {
        written.remove(lockPath(name), hint);
      }
    }
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

  /**
   * A lease as this instance last wrote it, and when that write was sent (monotonic): until its TTL
   * has run from then, no reaper can have ended it.
   */
  private record Remembered(Read lease, long sentNanos) {
    boolean younger() {
      return System.nanoTime() - sentNanos < TimeUnit.MILLISECONDS.toNanos(lease.record().ttlMs());
    }
  }

  /** A lease node as read: its record, its data version and its creation zxid (the token). */
  private record Read(LeaseRecord record, int version, long czxid) {
    Lease lease(LockName name) {
      return new Lease(name.value(), record.holder(), record.leaseId(), czxid, record.ttlMs());
    }
  }
}
