package dev.faultline.suite;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import dev.faultline.cluster.compose.ComposeProject;
import dev.faultline.cluster.kubernetes.ClusterSecrets;
import dev.faultline.cluster.postgres.Rejoin;
import dev.faultline.cluster.postgres.StoredTopology;
import dev.faultline.cluster.process.LogTail;
import dev.faultline.cluster.suite.SuiteHome;
import dev.faultline.cluster.suite.SuitePorts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/** {@code bin/suite}: the whole suite as local processes, per CONTRACT.md. */
public final class Suite {
  private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(4);

  private final SuiteHome home;
  private final SuitePorts ports;
  private final PrintStream out;
  private final PrintStream err;

  Suite(SuiteHome home, SuitePorts ports, PrintStream out, PrintStream err) {
    this.home = home;
    this.ports = ports;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    Path repo = Path.of(System.getProperty("suite.repo", ".")).toAbsolutePath().normalize();
    Suite suite =
        new Suite(SuiteHome.locate(repo), SuitePorts.fromEnvironment(), System.out, System.err);
    int exit;
    try {
      exit = suite.run(List.of(args));
    } catch (UsageException e) {
      System.err.println("suite: " + e.getMessage());
      exit = 2;
    } catch (Exception e) {
      // An exception without a message (a NullPointerException) still says what it was.
      System.err.println("suite: " + (e.getMessage() == null ? e : e.getMessage()));
      exit = 1;
    }
    System.exit(exit);
  }

  int run(List<String> args) throws Exception {
    if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
      out.print(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    String command = args.getFirst();
    List<String> rest = args.subList(1, args.size());
    return switch (command) {
      case "up" -> locked(() -> up(rest.contains("--monitoring")));
      case "status" -> status(rest.contains("--json"));
      case "kill" -> kill(name(rest));
      case "start" -> locked(() -> start(name(rest)));
      case "restart" -> locked(() -> restart(name(rest)));
      case "logs" -> logs(name(rest), rest);
      case "token" -> token(rest);
      case "k8s-secrets" -> k8sSecrets();
      case "down" -> locked(() -> down(rest.contains("--purge")));
      default -> throw new UsageException("unknown command '" + command + "'\n" + USAGE);
    };
  }

  // --- up -------------------------------------------------------------------------------------

  private int up(boolean monitoring) throws Exception {
    long started = System.nanoTime();
    home.create();
    if (monitoring) {
      Supervisor.prometheusBinary(); // before anything starts: a missing package is the first error
      Files.writeString(home.monitoringMarker(), "bin/suite up --monitoring\n");
    }
    home.signingKeys(); // created on first up; services verify with its public half
    SuiteTopology topology = new SuiteTopology(home, ports);
    Supervisor supervisor = new Supervisor(home);

    topology.ensemble().writeConfigs();
    for (Member.ZooKeeper zk : topology.zooKeepers()) {
      supervisor.launch(zk);
    }
    // Data from an earlier run: the stored topology says who is primary now (a failover may have
    // happened), so ZooKeeper must answer first. A fresh suite overlaps the two.
    boolean existing =
        topology.shards().stream().flatMap(List::stream).anyMatch(pg -> pg.node().initialized());
    Optional<StoredTopology> stored = Optional.empty();
    if (existing) {
      topology.ensemble().awaitQuorum(Duration.ofSeconds(90));
      say("zookeeper: quorum of 3 serving", started);
      stored = StoredTopology.read(topology.ensemble().connectString());
    }
    Optional<StoredTopology> current = stored;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Void>> shards = new ArrayList<>();
      for (List<Member.Postgres> shard : topology.shards()) {
        shards.add(
            pool.submit(
                () ->
                    current.isPresent()
                        ? resumeShard(supervisor, shard, current.get(), started)
                        : bringUpShard(supervisor, shard)));
      }
      if (!existing) {
        topology.ensemble().awaitQuorum(Duration.ofSeconds(90));
        say("zookeeper: quorum of 3 serving", started);
      }
      for (Future<Void> shard : shards) {
        unwrap(shard);
      }
    }
    say(
        "postgres: " + SuiteTopology.SHARDS + " shards, each primary + synchronous replica",
        started);

    for (Member.Service service : topology.services()) {
      supervisor.launch(service);
    }
    awaitHealthy(supervisor, topology.services(), started);
    Optional<Member.Prometheus> prometheus = topology.prometheus();
    if (prometheus.isPresent()) {
      writePrometheusConfig(topology, prometheus.get());
      supervisor.launch(prometheus.get());
      awaitHealthy(supervisor, List.of(prometheus.get()), started);
    }
    say("all " + topology.all().size() + " processes healthy", started);
    out.printf(
        "%nGateway:  http://localhost:%d%n"
            + "Token:    export TOKEN=$(bin/suite token)          (admin: bin/suite token --admin)%n"
            + "Try:      curl -s -H \"Authorization: Bearer $TOKEN\" http://localhost:%d/api/shards%n"
            + "Status:   bin/suite status      Stop: bin/suite down%n",
        ports.gateway(), ports.gateway());
    prometheus.ifPresent(
        p ->
            out.printf(
                "Metrics:  http://localhost:%d (Prometheus: SLO rules and alerts loaded)%n",
                p.port()));
    return 0;
  }

  /**
   * The suite's Prometheus configuration, for its ports, with the repository's rules and any in
   * {@code prometheus/rules.d} of the suite's home (a place for rules of one's own).
   */
  private void writePrometheusConfig(SuiteTopology topology, Member.Prometheus prometheus)
      throws IOException {
    Files.createDirectories(home.prometheus().resolve("rules.d"));
    PrometheusConfig config =
        new PrometheusConfig(
            "local",
            "127.0.0.1:" + prometheus.port(),
            topology.scrapeTargets(),
            List.of(
                home.repo().resolve("monitoring/prometheus/rules").toString() + "/*.yml",
                home.prometheus().resolve("rules.d").toString() + "/*.yml"));
    Files.writeString(prometheus.config(), config.render());
  }

  /** Primary first (created with initdb once), then its replica (a base backup), then sync on. */
  private Void bringUpShard(Supervisor supervisor, List<Member.Postgres> shard) throws Exception {
    Member.Postgres primary = shard.get(0);
    Member.Postgres replica = shard.get(1);
    if (!primary.node().initialized()) {
      primary.node().initPrimary();
    }
    supervisor.launch(primary);
    primary.node().awaitUp(Duration.ofSeconds(90));
    primary.node().bootstrapRoles();
    if (!replica.node().initialized()) {
      replica.node().initReplicaOf(primary.node());
    }
    supervisor.launch(replica);
    replica.node().awaitUp(Duration.ofSeconds(90));
    primary.node().requireSynchronousStandby(true);
    primary.node().awaitSynchronousStandby(Duration.ofSeconds(90));
    return null;
  }

  /**
   * A shard that has run before: its current primary (per the stored topology) first, then the
   * others, each made a replica of that primary if it is not one already. Synchronous replication
   * is the router's to switch from here on.
   */
  private Void resumeShard(
      Supervisor supervisor, List<Member.Postgres> shard, StoredTopology stored, long started)
      throws Exception {
    List<Member.Postgres> ordered = new ArrayList<>(shard);
    ordered.sort(
        Comparator.comparing(
            pg ->
                !stored
                    .primaryOfShardWith(pg.node().address())
                    .map(pg.node().address()::equals)
                    .orElse(false)));
    for (Member.Postgres pg : ordered) {
      prepare(pg, stored, started);
      supervisor.launch(pg);
      pg.node().awaitUp(Duration.ofSeconds(90));
    }
    return null;
  }

  /** Before a PostgreSQL node starts: make it what the stored topology says ({@link Rejoin}). */
  private void prepare(Member.Postgres pg, StoredTopology stored, long started) throws Exception {
    // The local suite's topology names nodes by their loopback address.
    switch (Rejoin.prepare(pg.node(), pg.node().address(), stored)) {
      case Rejoin.Outcome.Rewound r ->
          say(
              pg.name()
                  + ": replaced as primary (epoch "
                  + r.epoch()
                  + "); rejoined as a replica of :"
                  + r.primary().port()
                  + " with pg_rewind",
              started);
      case Rejoin.Outcome.Repointed r ->
          say(pg.name() + ": now follows the primary on :" + r.primary().port(), started);
      case Rejoin.Outcome.AsIs a -> {}
    }
  }

  private void awaitHealthy(Supervisor supervisor, List<? extends Member> members, long started)
      throws IOException, InterruptedException {
    List<Member> waiting = new ArrayList<>(members);
    long deadline = System.nanoTime() + HEALTHY_TIMEOUT.toNanos();
    while (!waiting.isEmpty()) {
      for (Member member : List.copyOf(waiting)) {
        Supervisor.Status status = supervisor.status(member);
        if (status.healthy()) {
          waiting.remove(member);
          say(member.name() + " healthy on :" + member.port(), started);
        } else if (status.pid() == null) {
          throw new IOException(
              member.name()
                  + " exited during start; its log ends:"
                  + LogTail.of(supervisor.log(member), 30));
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "not healthy after "
                + HEALTHY_TIMEOUT
                + ": "
                + waiting.stream().map(Member::name).toList()
                + " (see bin/suite logs NAME)");
      }
      Thread.sleep(250);
    }
  }

  // --- status, kill, start, restart, logs ------------------------------------------------------

  private int status(boolean json) throws Exception {
    SuiteTopology topology = new SuiteTopology(home, ports);
    Supervisor supervisor = new Supervisor(home);
    List<Supervisor.Status> rows;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Supervisor.Status>> probes =
          topology.all().stream().map(m -> pool.submit(() -> supervisor.status(m))).toList();
      rows = new ArrayList<>();
      for (Future<Supervisor.Status> probe : probes) {
        rows.add(unwrap(probe));
      }
    }
    if (json) {
      List<Map<String, Object>> objects = new ArrayList<>();
      for (Supervisor.Status row : rows) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", row.name());
        o.put("pid", row.pid());
        o.put("port", row.port());
        o.put("role", row.role());
        o.put("healthy", row.healthy());
        objects.add(o);
      }
      out.println(JsonMapper.builder().build().writeValueAsString(objects));
    } else {
      out.printf("%-22s %-8s %-6s %-16s %s%n", "NAME", "PID", "PORT", "ROLE", "HEALTHY");
      for (Supervisor.Status row : rows) {
        out.printf(
            "%-22s %-8s %-6d %-16s %s%n",
            row.name(),
            row.pid() == null ? "-" : row.pid(),
            row.port(),
            row.role(),
            row.healthy() ? "yes" : "no");
      }
    }
    return 0;
  }

  private int kill(String name) throws Exception {
    Member member = member(name);
    if (new Supervisor(home).kill(member)) {
      out.println("killed " + member.name() + " (SIGKILL)");
    } else {
      out.println(member.name() + " was not running");
    }
    return 0;
  }

  private int start(String name) throws Exception {
    long started = System.nanoTime();
    SuiteTopology topology = new SuiteTopology(home, ports);
    Member member = member(topology, name);
    Supervisor supervisor = new Supervisor(home);
    if (member instanceof Member.ZooKeeper) {
      topology.ensemble().writeConfigs();
    }
    if (member instanceof Member.Prometheus prometheus) {
      writePrometheusConfig(topology, prometheus);
    }
    if (member instanceof Member.Postgres pg) {
      if (!pg.node().initialized()) {
        throw new IOException(member.name() + " has no data yet: run bin/suite up");
      }
      Optional<StoredTopology> stored = StoredTopology.read(topology.ensemble().connectString());
      if (stored.isPresent()) {
        prepare(pg, stored.get(), started);
      }
    }
    supervisor.launch(member);
    awaitHealthy(supervisor, List.of(member), started);
    return 0;
  }

  private int restart(String name) throws Exception {
    Member member = member(name);
    new Supervisor(home).stop(member);
    return start(name);
  }

  private int logs(String name, List<String> args) throws Exception {
    Member member = member(name);
    Path log = new Supervisor(home).log(member);
    if (!Files.exists(log)) {
      err.println("no log yet for " + member.name() + " (" + log + ")");
      return 1;
    }
    int lines = args.contains("--all") ? Integer.MAX_VALUE : intOption(args, "-n", 200);
    try (Stream<String> all = Files.lines(log)) {
      List<String> text = all.toList();
      text.subList(Math.max(0, text.size() - lines), text.size()).forEach(out::println);
    }
    return 0;
  }

  // --- token, down -----------------------------------------------------------------------------

  private int token(List<String> args) throws Exception {
    String customer = stringOption(args, "--customer", null);
    Duration ttl = Duration.ofHours(intOption(args, "--ttl-hours", 12));
    boolean admin = args.contains("--admin");
    if (args.contains("--compose")) {
      // Minted inside the stack's secrets image with the key in its volume: it never leaves it.
      out.println(ComposeProject.locate(home.repo()).token(customer, admin, ttl));
      return 0;
    }
    if (args.contains("--k8s")) {
      // With the key bin/suite k8s-secrets made here (the cluster has only the public half).
      Path signing = ClusterSecrets.folder(home.root()).resolve("signing");
      if (!Files.exists(signing.resolve(SigningKeys.PRIVATE_FILE))) {
        throw new UsageException(
            "no cluster keys in " + signing + ": run bin/suite k8s-secrets first");
      }
      SigningKeys keys = SigningKeys.read(signing);
      out.println(
          new TokenMinter(keys, Clock.systemUTC())
              .mint(TokenRequest.ofCommandLine(customer, admin, ttl)));
      return 0;
    }
    home.create();
    TokenRequest request = TokenRequest.ofCommandLine(customer, admin, ttl);
    out.println(new TokenMinter(home.signingKeys(), Clock.systemUTC()).mint(request));
    return 0;
  }

  /**
   * The cluster's Secrets and the public key's ConfigMap, on standard output for {@code kubectl
   * apply -f -}; keys and passwords kept in {@code HOME/k8s/secrets} (made on the first run).
   */
  private int k8sSecrets() throws Exception {
    Path dir = ClusterSecrets.folder(home.root());
    boolean fresh = !Files.exists(dir.resolve("signing").resolve(SigningKeys.PRIVATE_FILE));
    out.print(new ClusterSecrets(dir, Clock.systemUTC()).manifests());
    err.println(
        "k8s-secrets: "
            + (fresh ? "generated" : "kept")
            + " the signing key and database passwords in "
            + dir
            + "; service tokens minted now (valid 30 days)");
    return 0;
  }

  private int down(boolean purge) throws Exception {
    long started = System.nanoTime();
    SuiteTopology topology = new SuiteTopology(home, ports);
    Supervisor supervisor = new Supervisor(home);
    // Entry first, data last: no new work arrives while the layers below stop.
    stopAll(supervisor, topology.prometheus().stream().toList());
    stopAll(supervisor, topology.services());
    stopAll(supervisor, topology.shards().stream().flatMap(List::stream).toList());
    stopAll(supervisor, topology.zooKeepers());
    List<String> left =
        topology.all().stream()
            .filter(m -> supervisor.process(m).isPresent())
            .map(Member::name)
            .toList();
    if (!left.isEmpty()) {
      throw new IOException("still running after down: " + left);
    }
    say("stopped all processes", started);
    if (purge) {
      deleteTree(home.root());
      out.println("purged " + home.root());
    }
    return 0;
  }

  private void stopAll(Supervisor supervisor, List<? extends Member> members) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Void>> stops = new ArrayList<>();
      for (Member member : members) {
        stops.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      supervisor.stop(member);
                      return null;
                    }));
      }
      for (Future<Void> stop : stops) {
        unwrap(stop);
      }
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private int locked(Callable<Integer> action) throws Exception {
    home.create();
    try (FileChannel channel =
            FileChannel.open(
                home.root().resolve("suite.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null) {
        throw new UsageException("another bin/suite command is changing the suite right now");
      }
      return action.call();
    }
  }

  private Member member(String name) throws IOException {
    return member(new SuiteTopology(home, ports), name);
  }

  private static Member member(SuiteTopology topology, String name) {
    return topology
        .find(name)
        .orElseThrow(
            () ->
                new UsageException(
                    "no process named '"
                        + name
                        + "'; the suite has: "
                        + String.join(", ", topology.all().stream().map(Member::name).toList())));
  }

  /** Options that take a value: the word after one is that value, never a process's name. */
  private static final java.util.Set<String> VALUED =
      java.util.Set.of("-n", "--customer", "--ttl-hours");

  /**
   * The first word that is neither an option nor an option's value ({@code logs -n 50 gateway}).
   */
  static String name(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (VALUED.contains(arg)) {
        i++;
      } else if (!arg.startsWith("-")) {
        return arg;
      }
    }
    throw new UsageException("which process? (bin/suite status lists them)");
  }

  private static int intOption(List<String> args, String option, int fallback) {
    String value = stringOption(args, option, null);
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException(option + " needs a number, got '" + value + "'");
    }
  }

  private static String stringOption(List<String> args, String option, String fallback) {
    int i = args.indexOf(option);
    if (i < 0) {
      return fallback;
    }
    if (i + 1 >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(i + 1);
  }

  private void say(String message, long startedNanos) {
    out.printf("suite: %-58s %6.1fs%n", message, (System.nanoTime() - startedNanos) / 1e9);
    out.flush();
  }

  private static <T> T unwrap(Future<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  static final String USAGE =
      """
      usage: bin/suite COMMAND [ARGS]

        up [--monitoring]           build what is missing, start every process, wait until healthy;
                                    --monitoring: also Prometheus on :9090 with the SLO rules
                                    (Debian's prometheus package), from then on one of the suite
        status [--json]             one row per process: name, pid, port, role, healthy
        kill NAME                   SIGKILL one process, as a pod kill would
        start NAME | restart NAME   bring one process back (restart stops it cleanly first)
        logs NAME [-n N | --all]    that process's log (last 200 lines by default)
        token [--customer ID] [--admin] [--ttl-hours H] [--compose | --k8s]
                                    print a bearer token for the local suite (--compose: for
                                    the docker-compose.yml stack, minted with its own key;
                                    --k8s: for a cluster, with the key k8s-secrets made)
        k8s-secrets                 a cluster's Secrets, for kubectl apply -n faultline -f -
                                    (keys kept in .suite/k8s/secrets, never committed)
        down [--purge]              stop everything; --purge also deletes the data
        drill [--duration 2m] [--faults services,pg,zk] [--seed N] [--target local|compose|k8s]
                                    chaos drill: load, faults, invariant check (drill --help)
        images [--quiet]            build every container image here, no registry needed

      NAME: zk-1..3, pg-shard-{0,1}-{primary,replica}, shard-router-1, lock-service-{1,2},
            order-service-{1,2}, payment-service-{1,2}, gateway-1 (or gateway), prometheus
      State lives in .suite/ (or $SUITE_HOME); SUITE_PORT_OFFSET shifts every port.
      """;
}
