package dev.faultline.shard;

import org.springframework.dao.TransientDataAccessException;

/**
 * PostgreSQL committed locally but the wait for the synchronous standby was cancelled, so the write
 * may be lost in a failover. Its outcome is unknown: the caller must not report success, and must
 * retry with the same idempotency key (or check) rather than assume either way.
 */
public final class UnacknowledgedCommitException extends TransientDataAccessException {
  public UnacknowledgedCommitException(int shard, String warning) {
    super("shard " + shard + ": commit not confirmed by the synchronous standby (" + warning + ")");
  }
}
