package dev.faultline.kubernetes.check;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The suite's picture (README, "Kubernetes"; DESIGN.md) as network edges: who calls whom, on which
 * port. The gateway's callees are its configured routes; the rest is drawn here, each edge with its
 * reason, and nothing else may talk.
 *
 * <pre>
 *  client ──> gateway ──routes──> order-service, payment-service, lock-service, shard-router
 *  order-service ──> payment-service (the saga), lock-service (recovery leases)
 *  payment-service ──> lock-service (account leases)
 *  gateway, services, router, PostgreSQL nodes ──> ZooKeeper (discovery, leases, topology)
 *  order-service, payment-service, shard-router ──> PostgreSQL (shard clients, health, promotion)
 *  shard-router ──> lock-service (its repair lease)
 *  ZooKeeper ⇄ ZooKeeper (quorum, election); PostgreSQL ⇄ PostgreSQL (replication, rewind)
 * </pre>
 */
public final class Picture {
  /** One allowed connection: {@code from} (a component, or {@link #OUTSIDE}) to {@code to}:port. */
  public record Edge(String from, String to, int port) {
    @Override
    public String toString() {
      return from + " -> " + to + ":" + port;
    }
  }

  /** Anyone outside the suite: the Ingress controller, a port-forward. */
  public static final String OUTSIDE = "outside";

  public static final int ZOOKEEPER = 2181;
  public static final int POSTGRES = 5432;

  private Picture() {}

  public static Set<Edge> edges(Map<String, ServiceConfig> services) {
    Set<Edge> edges = new LinkedHashSet<>();
    ServiceConfig gateway = services.get("gateway");
    edges.add(new Edge(OUTSIDE, "gateway", gateway.port()));
    for (String callee : gateway.routes().values()) {
      edges.add(new Edge("gateway", callee, services.get(callee).port()));
    }
    call(edges, services, "order-service", "payment-service", "lock-service");
    call(edges, services, "payment-service", "lock-service");
    call(edges, services, "shard-router", "lock-service");
    for (String client :
        List.of(
            "gateway",
            "order-service",
            "payment-service",
            "lock-service",
            "shard-router",
            "postgres")) {
      edges.add(new Edge(client, "zookeeper", ZOOKEEPER));
    }
    for (String client : List.of("order-service", "payment-service", "shard-router", "postgres")) {
      edges.add(new Edge(client, "postgres", POSTGRES));
    }
    edges.add(new Edge("zookeeper", "zookeeper", 2888));
    edges.add(new Edge("zookeeper", "zookeeper", 3888));
    return edges;
  }

  private static void call(
      Set<Edge> edges, Map<String, ServiceConfig> services, String caller, String... callees) {
    for (String callee : callees) {
      edges.add(new Edge(caller, callee, services.get(callee).port()));
    }
  }
}
