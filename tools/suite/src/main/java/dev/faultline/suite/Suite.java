package dev.faultline.suite;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import dev.faultline.cluster.compose.ComposeProject;
import dev.faultline.cluster.kubernetes.ClusterSecrets;
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
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/** {@code bin/suite}: the whole suite as local processes, per CONTRACT.md. */
public final class Suite {
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
    } catch (CommandLine.UsageException e) {
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
      case "up" -> locked(() -> new Startup(home, ports, out).up(rest.contains("--monitoring")));
      case "status" -> status(rest.contains("--json"));
      case "kill" -> kill(CommandLine.name(rest));
      case "start" -> locked(() -> start(CommandLine.name(rest)));
      case "restart" -> locked(() -> restart(CommandLine.name(rest)));
      case "logs" -> logs(CommandLine.name(rest), rest);
      case "token" -> token(rest);
      case "k8s-secrets" -> k8sSecrets();
      case "down" -> locked(() -> down(rest.contains("--purge")));
      // Locked only while it starts or stops processes: a move takes long, and meanwhile
      // kill, start and restart must work (to crash and restart the router mid-move, say).
      case "shards" -> new ShardCommands(home, ports, out, this::locked).run(rest);
      default ->
          throw new CommandLine.UsageException("unknown command '" + command + "'\n" + USAGE);
    };
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
        rows.add(Startup.unwrap(probe));
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
    new Startup(home, ports, out).start(name);
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
    int lines = args.contains("--all") ? Integer.MAX_VALUE : CommandLine.intOption(args, "-n", 200);
    try (Stream<String> all = Files.lines(log)) {
      List<String> text = all.toList();
      text.subList(Math.max(0, text.size() - lines), text.size()).forEach(out::println);
    }
    return 0;
  }

  // --- token, down -----------------------------------------------------------------------------

  private int token(List<String> args) throws Exception {
    String customer = CommandLine.stringOption(args, "--customer", null);
    Duration ttl = Duration.ofHours(CommandLine.intOption(args, "--ttl-hours", 12));
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
        throw new CommandLine.UsageException(
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
    out.print(new ClusterSecrets(dir).manifests());
    err.println(
        "k8s-secrets: "
            + (fresh ? "generated" : "kept")
            + " the signing keys (the suite's, and each calling service's own) and database"
            + " passwords in "
            + dir);
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
    Startup.say(out, "stopped all processes", started);
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
        Startup.unwrap(stop);
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
        throw new CommandLine.UsageException(
            "another bin/suite command is changing the suite right now");
      }
      return action.call();
    }
  }

  private Member member(String name) throws IOException {
    return member(new SuiteTopology(home, ports), name);
  }

  static Member member(SuiteTopology topology, String name) {
    return topology
        .find(name)
        .orElseThrow(
            () ->
                new CommandLine.UsageException(
                    "no process named '"
                        + name
                        + "'; the suite has: "
                        + String.join(", ", topology.all().stream().map(Member::name).toList())));
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
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
        shards add                  start the next shard (primary + replica on 5500+10·i, 5501+10·i),
                                    register it and follow the online move of slots to it
        shards remove ID            drain the shard online, remove it, stop it, delete its data
        down [--purge]              stop everything; --purge also deletes the data
        drill [--duration 2m] [--faults services,pg,zk] [--seed N] [--target local|compose|k8s]
                                    chaos drill: load, faults, invariant check (drill --help)
        images [--quiet]            build every container image here, no registry needed

      NAME: zk-1..3, pg-shard-{0,1,...}-{primary,replica}, shard-router-1, lock-service-{1,2},
            order-service-{1,2}, payment-service-{1,2}, gateway-1 (or gateway), prometheus
      State lives in .suite/ (or $SUITE_HOME); SUITE_PORT_OFFSET shifts every port.
      """;
}
