package dev.faultline.drill.suite;

import dev.faultline.cluster.postgres.NodeAddress;
import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.drill.fault.FaultActions;
import dev.faultline.drill.fault.Target;
import dev.faultline.drill.load.Gateway;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import tools.jackson.databind.JsonNode;

/**
 * Where the suite under drill runs ({@code --target}): the local processes of {@code bin/suite}
 * ({@link LocalSuite}) or the containers of {@code docker-compose.yml} ({@link ComposeSuite}). The
 * drill's load, schedule, observer and checks are the same for every one; only this differs.
 */
public interface Deployment {
  /** Its {@code --target} name, its gateway (the clients' only door), Prometheus and reports. */
  Endpoints endpoints();

  /** {@code local}, {@code compose}, {@code k8s}. */
  default String target() {
    return endpoints().target();
  }

  /** The first gateway. */
  default URI gateway() {
    return endpoints().gateway();
  }

  /** Every gateway, the clients' only doors: they fail over between them. */
  default List<URI> gateways() {
    return endpoints().gateways();
  }

  /** Where drills write their history and reports. */
  default Path drills() {
    return endpoints().drills();
  }

  /** The deployment's Prometheus, where it has one ({@code up --monitoring}, compose, k8s). */
  default URI prometheus() {
    return endpoints().prometheus();
  }

  /** A bearer token signed with the suite's key, as {@code bin/suite token} prints one. */
  String token(String subject, boolean admin) throws IOException;

  /**
   * A connection as the application's role to the PostgreSQL node the topology calls {@code
   * address} ({@code host:port}): directly here, through the container there.
   */
  Connection database(String address) throws IOException, SQLException;

  /** Kills and restarts of this deployment's instances. */
  FaultActions faults(Gateway gateway, String adminToken);

  /** Why the suite cannot be drilled at all (it is not running), if so. */
  Optional<String> notRunning() throws IOException;

  /** The instances that are not healthy now, by name. */
  List<String> unhealthy() throws IOException;

  /**
   * Adding and removing shards online, where this deployment can start a shard's nodes ({@code
   * bin/suite shards}); compose and Kubernetes have a fixed set of database nodes.
   */
  default Optional<Resharding> resharding() {
    return Optional.empty();
  }

  /** How a user brings instance {@code NAME} back by hand, for messages. */
  String startCommand();

  /**
   * Steady, the state a fault may start from: every instance healthy and every shard replicating
   * synchronously.
   */
  default boolean steady(Gateway gateway, String adminToken) throws IOException {
    return unhealthy().isEmpty() && allShardsSync(gateway, adminToken);
  }

  /** Per shard (by ID), its current primary's address, as the router publishes it. */
  default List<String> primaries(Gateway gateway, String adminToken) throws IOException {
    List<String> primaries = new ArrayList<>();
    for (JsonNode shard : shards(gateway, adminToken)) {
      primaries.add(shard.get("primary").asString());
    }
    return primaries;
  }

  private static JsonNode shards(Gateway gateway, String adminToken) throws IOException {
    Gateway.Answer answer = gateway.get("/api/shards", adminToken);
    if (!answer.ok() || answer.body() == null) {
      throw new IOException(
          "GET /api/shards through the gateway answered " + answer.reason() + ": is the suite up?");
    }
    return answer.body().get("shards");
  }

  /**
   * The address of the node a fault on {@code target} strikes now: for a shard's primary, whichever
   * node the router publishes as that shard's primary at this moment.
   */
  default NodeAddress currentPrimary(Target target, Gateway gateway, String adminToken)
      throws IOException {
    int shard = Integer.parseInt(target.name().replaceAll("\\D+", ""));
    for (JsonNode listed : shards(gateway, adminToken)) {
      if (listed.get("id").asInt() == shard) {
        return NodeAddress.parse(listed.get("primary").asString());
      }
    }
    throw new IOException("the router lists no shard " + shard);
  }

  /** The ids of the shards the router lists now (resharding adds and removes them). */
  default List<Integer> shardIds(Gateway gateway, String adminToken) throws IOException {
    List<Integer> ids = new ArrayList<>();
    for (JsonNode shard : shards(gateway, adminToken)) {
      ids.add(shard.get("id").asInt());
    }
    return ids;
  }

  /** A connection as the application's role, to {@code address} as this machine reaches it. */
  static Connection appConnection(
      String address,
      PostgresCredentials credentials,
      Duration connectTimeout,
      Duration socketTimeout)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", PostgresCredentials.APP_USER);
    props.setProperty("password", credentials.appPassword());
    props.setProperty("connectTimeout", Long.toString(connectTimeout.toSeconds()));
    props.setProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
    return DriverManager.getConnection(
        "jdbc:postgresql://" + address + "/" + PostgresCredentials.DATABASE, props);
  }

  /** True when the router reports every shard {@code SYNC} (promotable, nothing to repair). */
  static boolean allShardsSync(Gateway gateway, String adminToken) {
    Gateway.Answer shards = gateway.get("/api/shards", adminToken);
    if (!shards.ok() || shards.body() == null) {
      return false;
    }
    for (JsonNode shard : shards.body().get("shards")) {
      if (!"SYNC".equals(shard.get("state").asString())) {
        return false;
      }
    }
    return true;
  }
}
