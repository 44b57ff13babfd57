package dev.faultline.cluster.suite;

import java.net.URI;

/**
 * The contract's default ports (CONTRACT.md), shifted by {@code SUITE_PORT_OFFSET} so a second
 * suite (an end-to-end test next to a developer's running one) does not collide.
 */
public record SuitePorts(int offset) {

  public static SuitePorts fromEnvironment() {
    String env = System.getenv("SUITE_PORT_OFFSET");
    return new SuitePorts(env == null || env.isBlank() ? 0 : Integer.parseInt(env.trim()));
  }

  /** The first gateway's port, the one the contract names. */
  public int gateway() {
    return gateway(1);
  }

  /** Gateway {@code instance}: 8080, then 8081 for the second a client fails over to. */
  public int gateway(int instance) {
    return 8079 + instance + offset;
  }

  public int orderService(int instance) {
    return 8100 + instance + offset;
  }

  public int paymentService(int instance) {
    return 8200 + instance + offset;
  }

  public int lockService(int instance) {
    return 8300 + instance + offset;
  }

  public int shardRouter(int instance) {
    return 8400 + instance + offset;
  }

  public int zooKeeperClient(int id) {
    return 2180 + id + offset;
  }

  /** Prometheus, with {@code up --monitoring}. */
  public int prometheus() {
    return 9090 + offset;
  }

  /** Quorum ports 2881.., election ports 3881..: used only between the peers. */
  public int zooKeeperPeerBase() {
    return 2881 + offset;
  }

  public int postgresPrimary(int shard) {
    return 5500 + 10 * shard + offset;
  }

  public int postgresReplica(int shard) {
    return 5501 + 10 * shard + offset;
  }

  /** The first gateway's base URI. */
  public URI gatewayUri() {
    return gatewayUri(1);
  }

  public URI gatewayUri(int instance) {
    return URI.create("http://127.0.0.1:" + gateway(instance));
  }

  /** The three peers' client addresses, as a ZooKeeper connect string. */
  public String zooKeeperConnect() {
    return "127.0.0.1:%d,127.0.0.1:%d,127.0.0.1:%d"
        .formatted(zooKeeperClient(1), zooKeeperClient(2), zooKeeperClient(3));
  }
}
