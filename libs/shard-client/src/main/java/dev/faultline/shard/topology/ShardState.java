package dev.faultline.shard.topology;

/**
 * What a shard can do right now. Only the router changes it, always with an epoch bump.
 *
 * <ul>
 *   <li>{@code SYNC}: the primary commits only once its replica has flushed the WAL. Writable, and
 *       the replica may be promoted: it holds every acknowledged write.
 *   <li>{@code DEGRADED}: no synchronous replica (lost, or still catching up after a failover),
 *       commits are acknowledged by the primary alone. Writable, but never promoted automatically:
 *       the replica may lack acknowledged writes.
 *   <li>{@code READ_ONLY}: no synchronous replica and the shard's policy is to refuse writes rather
 *       than hold an acknowledged write on one node only.
 *   <li>{@code FAILING_OVER}: a promotion is under way; writes wait for the next epoch.
 * </ul>
 */
public enum ShardState {
  SYNC,
  DEGRADED,
  READ_ONLY,
  FAILING_OVER;

  public boolean writable() {
    return this == SYNC || this == DEGRADED;
  }

  public boolean promotable() {
    return this == SYNC;
  }
}
