package dev.faultline.cluster.postgres;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Before a stopped PostgreSQL node with data starts: makes it what the stored topology says, the
 * same way wherever it runs ({@code bin/suite start}, a container's entrypoint). A node that was
 * replaced as primary while it was down is rewound and set to stream from its successor; a replica
 * that follows the wrong node is pointed at the current primary. Never starts a second primary.
 */
public final class Rejoin {
  private Rejoin() {}

  /** What {@link #prepare} did, to say so. */
  public sealed interface Outcome {
    /** Nothing to change: the node is what the topology says (or the topology does not know it). */
    record AsIs() implements Outcome {}

    /** It was a primary and has been replaced: rewound, now a replica of {@code primary}. */
    record Rewound(NodeAddress primary, long epoch) implements Outcome {}

    /** A replica that followed another node; now it follows {@code primary}. */
    record Repointed(NodeAddress primary) implements Outcome {}
  }

  /**
   * {@code self} is how the topology names {@code node} (its address on the suite's network); the
   * node must be stopped.
   */
  public static Outcome prepare(PostgresNode node, NodeAddress self, StoredTopology stored)
      throws IOException, SQLException {
    Optional<NodeAddress> primary = stored.primaryOfShardWith(self);
    if (!node.initialized()
        || primary.isEmpty()
        || primary.get().equals(self)
        || node.postmaster().isPresent()) {
      return new Outcome.AsIs();
    }
    if (!node.configuredAsStandby()) {
      node.rejoinAsReplicaOf(primary.get());
      return new Outcome.Rewound(primary.get(), stored.epoch());
    }
    if (!node.followed().equals(primary)) {
      node.followPrimary(primary.get());
      return new Outcome.Repointed(primary.get());
    }
    return new Outcome.AsIs();
  }
}
