package dev.faultline.e2e;

import java.util.List;
import java.util.stream.Stream;

/** The members of the suite's default topology (CONTRACT.md), by the names every runtime uses. */
final class SuiteMembers {
  private SuiteMembers() {}

  /** The stateful members: ZooKeeper peers and PostgreSQL nodes, each with data of its own. */
  static final List<String> DATA =
      List.of(
          "zk-1",
          "zk-2",
          "zk-3",
          "pg-shard-0-primary",
          "pg-shard-0-replica",
          "pg-shard-1-primary",
          "pg-shard-1-replica");

  /** The service instances. */
  static final List<String> SERVICES =
      List.of(
          "shard-router-1",
          "lock-service-1",
          "lock-service-2",
          "payment-service-1",
          "payment-service-2",
          "order-service-1",
          "order-service-2",
          "gateway-1");

  /** All 15. */
  static final List<String> ALL = Stream.concat(DATA.stream(), SERVICES.stream()).toList();
}
