package dev.faultline.suite;

/**
 * The contract's default ports (CONTRACT.md), shifted by {@code SUITE_PORT_OFFSET} so a second
 * suite (an end-to-end test next to a developer's running one) does not collide.
 */
record Ports(int offset) {

  static Ports fromEnvironment() {
    String env = System.getenv("SUITE_PORT_OFFSET");
    return new Ports(env == null || env.isBlank() ? 0 : Integer.parseInt(env.trim()));
  }

  int gateway() {
    return 8080 + offset;
  }

  int orderService(int instance) {
    return 8100 + instance + offset;
  }

  int paymentService(int instance) {
    return 8200 + instance + offset;
  }

  int lockService(int instance) {
    return 8300 + instance + offset;
  }

  int shardRouter(int instance) {
    return 8400 + instance + offset;
  }

  int zooKeeperClient(int id) {
    return 2180 + id + offset;
  }

  /** Prometheus, with {@code up --monitoring}. */
  int prometheus() {
    return 9090 + offset;
  }

  /** Quorum ports 2881.., election ports 3881..: used only between the peers. */
  int zooKeeperPeerBase() {
    return 2881 + offset;
  }

  int postgresPrimary(int shard) {
    return 5500 + 10 * shard + offset;
  }

  int postgresReplica(int shard) {
    return 5501 + 10 * shard + offset;
  }
}
