package dev.faultline.shard;

import dev.faultline.shard.topology.ShardState;
import org.springframework.dao.TransientDataAccessException;

/**
 * A write the shard client refused before anything was written: retrying later may succeed, so
 * these are transient (the services answer 503 with {@code Retry-After}).
 */
public abstract sealed class ShardRefusedException extends TransientDataAccessException
    permits ShardRefusedException.Unavailable,
        ShardRefusedException.StaleTopology,
        ShardRefusedException.Deposed,
        ShardRefusedException.SlotMoving {

  private final int shard;

  ShardRefusedException(int shard, String message) {
    super(message);
    this.shard = shard;
  }

  public int shard() {
    return shard;
  }

  /** The topology says the shard takes no writes now (failing over, or read-only by policy). */
  public static final class Unavailable extends ShardRefusedException {
    public Unavailable(int shard, ShardState state, long epoch) {
      super(shard, "shard " + shard + " takes no writes while " + state + " (epoch " + epoch + ")");
    }
  }

  /** The node was re-established under a newer epoch than the writer's topology. */
  public static final class StaleTopology extends ShardRefusedException {
    public StaleTopology(int shard, long writerEpoch, long nodeEpoch) {
      super(
          shard,
          "shard "
              + shard
              + " serves under epoch "
              + nodeEpoch
              + ", this writer holds epoch "
              + writerEpoch);
    }
  }

  /** The node was a primary and has been replaced: it must never acknowledge a write again. */
  public static final class Deposed extends ShardRefusedException {
    public Deposed(int shard, String node) {
      super(shard, "node " + node + " was deposed as primary of shard " + shard);
    }
  }

  /**
   * The slot is changing owner (a cutover is under way and did not end within the wait), or this
   * node no longer serves it and the topology read again does not say where it went yet.
   */
  public static final class SlotMoving extends ShardRefusedException {
    private final int slot;

    public SlotMoving(int shard, int slot, String why) {
      super(shard, "slot " + slot + " of shard " + shard + " is moving: " + why);
      this.slot = slot;
    }

    public int slot() {
      return slot;
    }
  }
}
