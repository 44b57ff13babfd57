package dev.faultline.suite;

import dev.faultline.auth.SuiteKeys;
import dev.faultline.cluster.postgres.PostgresBinaries;
import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.cluster.postgres.PostgresNode;
import dev.faultline.cluster.postgres.PostgresSettings;
import dev.faultline.cluster.secrets.ServiceSecrets;
import dev.faultline.cluster.suite.SuiteHome;
import dev.faultline.cluster.suite.SuitePorts;
import dev.faultline.cluster.zookeeper.ZooKeeperEnsemble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The default topology of CONTRACT.md: ZooKeeper ×3, two shards of primary + replica, shard-router
 * ×1, lock-service ×2, order-service ×2, payment-service ×2, and gateway ×2 (the first on the
 * contract's port), and how each is started.
 */
final class SuiteTopology {
  /** The shards of a fresh suite; {@code bin/suite shards add/remove} change the list. */
  static final int SHARDS = 2;

  static final int GATEWAYS = 2;

  private final SuiteHome home;
  private final SuitePorts ports;
  private final ZooKeeperEnsemble ensemble;
  private final PostgresCredentials credentials;
  private final List<Member.ZooKeeper> zooKeepers;
  private final List<Integer> shardIds;
  private final List<List<Member.Postgres>> shards;
  private final List<Member.Service> services;

  SuiteTopology(SuiteHome home, SuitePorts ports) throws IOException {
    this.home = home;
    this.ports = ports;
    this.ensemble =
        ZooKeeperEnsemble.onLoopback(
            home.zooKeeper(), 3, ports.zooKeeperClient(1), ports.zooKeeperPeerBase());
    this.credentials = home.postgresCredentials();
    this.zooKeepers =
        ensemble.peers().stream().map(p -> new Member.ZooKeeper(ensemble, p)).toList();
    PostgresBinaries binaries = PostgresBinaries.locate();
    List<List<Member.Postgres>> nodes = new ArrayList<>();
    this.shardIds = shardIds(home);
    for (int shard : shardIds) {
      nodes.add(
          List.of(
              postgres(shard, true, ports.postgresPrimary(shard), binaries),
              postgres(shard, false, ports.postgresReplica(shard), binaries)));
    }
    this.shards = List.copyOf(nodes);
    this.services = buildServices();
  }

  private Member.Postgres postgres(int shard, boolean primary, int port, PostgresBinaries bin) {
    String name = "pg-shard-" + shard + "-" + (primary ? "primary" : "replica");
    return new Member.Postgres(
        shard,
        primary,
        new PostgresNode(
            name, port, home.postgres(name), bin, credentials, PostgresSettings.suite()));
  }

  private List<Member.Service> buildServices() {
    List<Member.Service> all = new ArrayList<>();
    all.add(service("shard-router", 1, ports.shardRouter(1)));
    for (int i = 1; i <= 2; i++) {
      all.add(service("lock-service", i, ports.lockService(i)));
    }
    for (int i = 1; i <= 2; i++) {
      all.add(service("payment-service", i, ports.paymentService(i)));
    }
    for (int i = 1; i <= 2; i++) {
      all.add(service("order-service", i, ports.orderService(i)));
    }
    // Two gateways, as behind a Kubernetes Service: a client fails over, so one can be killed.
    for (int i = 1; i <= GATEWAYS; i++) {
      all.add(service("gateway", i, ports.gateway(i)));
    }
    return List.copyOf(all);
  }

  private Member.Service service(String module, int instance, int port) {
    String name = module + "-" + instance;
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + port);
    args.add("--faultline.instance-id=" + name);
    args.add("--spring.cloud.zookeeper.connect-string=" + ensemble.connectString());
    args.add("--faultline.auth.public-key-file=" + home.publicKey());
    Map<String, String> env = new LinkedHashMap<>();
    if (!module.equals("gateway") && !module.equals("lock-service")) {
      // The seed of a fresh topology; once ZooKeeper holds one, it is the truth.
      for (int i = 0; i < shardIds.size(); i++) {
        int shard = shardIds.get(i);
        String prefix = "--faultline.shards.nodes[" + i + "].";
        args.add(prefix + "id=" + shard);
        args.add(prefix + "primary=127.0.0.1:" + ports.postgresPrimary(shard));
        args.add(prefix + "replica=127.0.0.1:" + ports.postgresReplica(shard));
      }
    }
    if (module.equals("shard-router")) {
      args.add("--faultline.router.lock-lease.enabled=true");
    }
    // Secrets by environment, not on the command line where `ps` shows them to everyone.
    ServiceSecrets.forService(module, suiteKeys(), credentials)
        .forEach((property, value) -> env.put(ServiceSecrets.environmentName(property), value));
    return new Member.Service(name, module, port, List.copyOf(args), Map.copyOf(env));
  }

  private SuiteKeys suiteKeys() {
    try {
      return home.suiteKeys();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the suite's signing keys", e);
    }
  }

  ZooKeeperEnsemble ensemble() {
    return ensemble;
  }

  List<Member.ZooKeeper> zooKeepers() {
    return zooKeepers;
  }

  /** Per shard: [born primary, born replica]. */
  List<List<Member.Postgres>> shards() {
    return shards;
  }

  /** The shard with this id: [born primary, born replica]. */
  Optional<List<Member.Postgres>> shard(int id) {
    return shards.stream().filter(pair -> pair.getFirst().shard() == id).findFirst();
  }

  /** The file listing the local suite's shards, once {@code bin/suite shards} changed them. */
  static Path shardList(SuiteHome home) {
    return home.root().resolve("shards");
  }

  /** The local suite's shard ids: 0 and 1, unless shards were added or removed since. */
  static List<Integer> shardIds(SuiteHome home) {
    Path list = shardList(home);
    try {
      if (!java.nio.file.Files.exists(list)) {
        return java.util.stream.IntStream.range(0, SHARDS).boxed().toList();
      }
      return java.nio.file.Files.readAllLines(list).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty())
          .map(Integer::parseInt)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + list, e);
    }
  }

  static void writeShardIds(SuiteHome home, List<Integer> ids) throws IOException {
    java.nio.file.Files.writeString(
        shardList(home),
        ids.stream()
                .sorted()
                .map(String::valueOf)
                .collect(java.util.stream.Collectors.joining("\n"))
            + "\n");
  }

  List<Member.Service> services() {
    return services;
  }

  /** The first gateway, on the contract's port. */
  Member.Service gateway() {
    return services.stream().filter(s -> s.name().equals("gateway-1")).findFirst().orElseThrow();
  }

  /** Prometheus, once {@code up --monitoring} has made it one of the suite's processes. */
  Optional<Member.Prometheus> prometheus() {
    if (!home.monitoring()) {
      return Optional.empty();
    }
    Path dir = home.prometheus();
    return Optional.of(
        new Member.Prometheus(
            ports.prometheus(),
            dir.resolve("prometheus.yml"),
            dir.resolve("data"),
            home.serviceLog("prometheus")));
  }

  /** What Prometheus scrapes: every service instance, by name and port. */
  List<PrometheusConfig.Target> scrapeTargets() {
    return services.stream()
        .map(s -> new PrometheusConfig.Target(s.module(), s.name(), "127.0.0.1:" + s.port()))
        .toList();
  }

  List<Member> all() {
    return Stream.of(
            zooKeepers.stream(),
            shards.stream().flatMap(List::stream),
            services.stream(),
            prometheus().stream())
        .flatMap(s -> s.map(m -> (Member) m))
        .toList();
  }

  /**
   * A member by name; a service kind with one instance answers to its bare name too ({@code
   * shard-router} for {@code shard-router-1}), and {@code gateway} is {@code gateway-1}, the one on
   * the contract's port, as it was when the suite ran one.
   */
  Optional<Member> find(String name) {
    List<Member> all = all();
    Optional<Member> exact = all.stream().filter(m -> m.name().equals(name)).findFirst();
    if (exact.isPresent()) {
      return exact;
    }
    if (name.equals("gateway")) {
      return Optional.of(gateway());
    }
    List<Member> kind = all.stream().filter(m -> m.name().startsWith(name + "-")).toList();
    return kind.size() == 1 ? Optional.of(kind.getFirst()) : Optional.empty();
  }
}
