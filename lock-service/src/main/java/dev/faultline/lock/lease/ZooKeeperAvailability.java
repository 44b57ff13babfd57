package dev.faultline.lock.lease;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.KeeperException;
import org.springframework.stereotype.Component;

/**
 * Whether this instance's ZooKeeper session is known good. From SUSPENDED (connection lost, the
 * session may be expiring) until RECONNECTED, nothing is granted, renewed or reported: another
 * instance may already see a different truth.
 */
@Component
public class ZooKeeperAvailability {
  private volatile ConnectionState state;

  ZooKeeperAvailability(CuratorFramework zk) {
    this.state =
        zk.getZookeeperClient().isConnected()
            ? ConnectionState.CONNECTED
            : ConnectionState.SUSPENDED;
    zk.getConnectionStateListenable().addListener((client, next) -> state = next);
  }

  public void require() {
    ConnectionState current = state;
    if (current != ConnectionState.CONNECTED && current != ConnectionState.RECONNECTED) {
      throw new LockServiceUnavailableException("session " + current.name().toLowerCase());
    }
  }

  /** A ZooKeeper step that may not finish, or whose outcome may be unknown. */
  @FunctionalInterface
  public interface Step<T> {
    T run() throws Exception;
  }

  /**
   * Runs {@code step} only while the session is known good, and turns ZooKeeper's "outcome unknown"
   * (connection loss, an expired session, a timeout) into {@link LockServiceUnavailableException}:
   * the client retries the same request, which is safe.
   */
  public <T> T guarded(Step<T> step) throws Exception {
    require();
    try {
      return step.run();
    } catch (KeeperException.ConnectionLossException
        | KeeperException.SessionExpiredException
        | KeeperException.OperationTimeoutException e) {
      throw new LockServiceUnavailableException(e.code().name().toLowerCase());
    }
  }
}
