package dev.faultline.lock.lease;

import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Leases in ZooKeeper under {@value #ROOT}/{name}/lease. The lease node's creation zxid is the
 * fencing token: ZooKeeper orders every creation, so a later grant always carries a larger one.
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

  Optional<Lease> current(LockName name) throws Exception {
    Stat stat = new Stat();
    try {
      byte[] data = zk.getData().storingStatIn(stat).forPath(ROOT + "/" + name.value() + "/lease");
      LeaseRecord record = json.readValue(data, LeaseRecord.class);
      return Optional.of(
          new Lease(
              name.value(), record.holder(), record.leaseId(), stat.getCzxid(), record.ttlMs()));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  /** What the lease node stores; the token is not stored, it is the node's czxid. */
  record LeaseRecord(String holder, String leaseId, long ttlMs) {}
}
