package dev.faultline.drill.suite;

import java.io.IOException;

/**
 * An operator's resharding of a deployment: each call returns when the router's job has ended
 * ({@code DONE}) and throws if it failed or could not start.
 */
public interface Resharding {
  /** Starts the next shard's nodes, registers it and moves its share of slots to it; the output. */
  String add() throws IOException;

  /** Drains {@code shard}, removes it from the topology and stops its nodes; the output. */
  String remove(int shard) throws IOException;
}
