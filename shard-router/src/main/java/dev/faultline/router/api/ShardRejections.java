package dev.faultline.router.api;

import dev.faultline.web.problem.Rejection;
import dev.faultline.web.problem.Rejections;

/** What shard API requests can be refused for. */
final class ShardRejections {
  private ShardRejections() {}

  static final class InvalidKey extends Rejection {
    InvalidKey(int maxLength) {
      super(
          400,
          "invalid-key",
          "Invalid key",
          "'key' is required, 1 to " + maxLength + " characters");
    }
  }

  static final class ShardNotFound extends Rejection {
    ShardNotFound(int id) {
      super(404, "shard-not-found", "Shard not found", "no shard " + id);
    }
  }

  /** The replica is not known to hold every acknowledged write, or there is none. */
  static final class NotPromotable extends Rejection {
    NotPromotable(String reason) {
      super(409, "not-promotable", "Replica not promotable", reason);
    }
  }

  /** Only the elected router repairs shards; the gateway sends a retry to another instance. */
  static final class NotLeader extends Rejections.Unavailable {
    NotLeader() {
      super(
          "not-leader",
          "Not the leading router",
          "this router is not the elected leader; retry (the gateway picks another)",
          1);
    }
  }

  /** A shard registration or slot move whose body says something impossible. */
  static final class InvalidReshard extends Rejection {
    InvalidReshard(String detail) {
      super(400, "invalid-reshard", "Invalid resharding request", detail);
    }
  }

  static final class ShardExists extends Rejection {
    ShardExists(int id) {
      super(409, "shard-exists", "Shard exists", "shard " + id + " is registered already");
    }
  }

  /** One resharding job at a time: the next waits for the running one. */
  static final class ReshardingBusy extends Rejection {
    ReshardingBusy(String running) {
      super(
          409,
          "resharding-in-progress",
          "Resharding in progress",
          "job " + running + " is moving slots; see GET /api/shards/migrations");
    }
  }

  static final class ShardNotDrained extends Rejection {
    ShardNotDrained(int id, int slots) {
      super(
          409,
          "shard-not-drained",
          "Shard not drained",
          "shard " + id + " still serves " + slots + " slots; POST /api/shards/" + id + "/drain");
    }
  }
}
