package dev.faultline.cluster.postgres;

/** What a probe of one PostgreSQL node saw: reachable, and if so which role it plays. */
public sealed interface NodeStatus {
  record Down(String reason) implements NodeStatus {}

  record Primary(int connectedStandbys, int synchronousStandbys) implements NodeStatus {}

  record Replica(boolean streaming, double replayLagSeconds) implements NodeStatus {}

  default boolean up() {
    return !(this instanceof Down);
  }

  default String role() {
    return switch (this) {
      case Down d -> "down";
      case Primary p -> "primary";
      case Replica r -> "replica";
    };
  }
}
