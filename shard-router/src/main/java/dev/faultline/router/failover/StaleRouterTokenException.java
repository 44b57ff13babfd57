package dev.faultline.router.failover;

import java.sql.SQLException;

/**
 * A node's fence was last moved under a newer router lease than ours: another router leads now,
 * whatever this one believes. Its repair stops here.
 */
public final class StaleRouterTokenException extends SQLException {
  public StaleRouterTokenException(String node, long token) {
    super("fence of " + node + " was moved under a newer router lease than token " + token);
  }
}
