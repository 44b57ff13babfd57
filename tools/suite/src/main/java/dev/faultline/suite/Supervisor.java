package dev.faultline.suite;

import dev.faultline.cluster.postgres.NodeStatus;
import dev.faultline.cluster.process.LaunchSpec;
import dev.faultline.cluster.process.PidFile;
import dev.faultline.cluster.process.ProcessLauncher;
import dev.faultline.cluster.process.ServiceJvm;
import dev.faultline.cluster.process.Signals;
import dev.faultline.cluster.suite.SuiteHome;
import dev.faultline.cluster.zookeeper.PeerMode;
import dev.faultline.cluster.zookeeper.ZooKeeperEnsemble;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Starts, finds, probes and stops the suite's processes. Everything it knows lives in files (pid
 * files, PostgreSQL's own postmaster.pid), so each {@code bin/suite} invocation is stateless and a
 * process killed behind its back is simply seen as gone.
 */
final class Supervisor {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final SuiteHome home;
  private final String java;

  /** Per module, the first process launched from a build with no class-data archive yet. */
  private final Map<String, Member.Service> recording = new java.util.LinkedHashMap<>();

  Supervisor(SuiteHome home) {
    this.home = home;
    this.java = ProcessHandle.current().info().command().orElse("java");
  }

  /** The member's live process, if any. */
  Optional<ProcessHandle> process(Member member) {
    if (member instanceof Member.Postgres pg) {
      Optional<ProcessHandle> own = pg.node().postmaster();
      if (own.isPresent()) {
        return own;
      }
    }
    return new PidFile(home.pidFile(member.name())).live();
  }

  /** Launches the member unless it runs already; does not wait for it to be healthy. */
  void launch(Member member) throws IOException {
    if (process(member).isPresent()) {
      return;
    }
    LaunchSpec spec =
        switch (member) {
          case Member.ZooKeeper zk ->
              zk.ensemble().launchSpec(zk.peer(), java, System.getProperty("java.class.path"));
          case Member.Postgres pg -> pg.node().launchSpec();
          case Member.Service s -> serviceSpec(s);
          case Member.Prometheus p -> prometheusSpec(p);
        };
    new PidFile(home.pidFile(member.name())).write(ProcessLauncher.launch(spec));
  }

  private LaunchSpec serviceSpec(Member.Service service) throws IOException {
    ServiceBuild build = build(service);
    if (!build.archived()) {
      recording.putIfAbsent(service.module(), service);
    }
    List<String> command = ServiceJvm.command(java, build.jvmFlags(), build.jar(), service.args());
    return new LaunchSpec(
        service.name(), command, home.repo(), service.env(), home.serviceLog(service.name()));
  }

  /** The build of the service's module its processes run now (extracted on first use). */
  ServiceBuild build(Member.Service service) throws IOException {
    Path jar = home.jar(service.module());
    if (!Files.exists(jar)) {
      throw new IOException(jar + " is missing: run ./mvnw -DskipTests package (bin/suite does)");
    }
    return ServiceBuild.of(jar, home.root().resolve("jars"), java);
  }

  /**
   * Makes the class-data archive of every build this supervisor launched without one, from the
   * first of its processes it launched (ready by now); the processes it was made from.
   */
  List<Member.Service> archiveRecorded() throws IOException, InterruptedException {
    List<Member.Service> made = new java.util.ArrayList<>();
    for (Member.Service service : List.copyOf(recording.values())) {
      Optional<ProcessHandle> process = process(service);
      if (process.isPresent() && build(service).archiveFrom(process.get())) {
        made.add(service);
      }
    }
    recording.clear();
    return made;
  }

  /**
   * Debian's Prometheus on loopback, its data in the suite's home; {@code --web.enable-lifecycle}
   * so a changed rule file is picked up by {@code POST /-/reload}.
   */
  private LaunchSpec prometheusSpec(Member.Prometheus prometheus) throws IOException {
    Files.createDirectories(prometheus.data());
    return new LaunchSpec(
        prometheus.name(),
        List.of(
            prometheusBinary().toString(),
            "--config.file=" + prometheus.config(),
            "--storage.tsdb.path=" + prometheus.data(),
            "--storage.tsdb.retention.time=31d",
            "--web.listen-address=127.0.0.1:" + prometheus.port(),
            "--web.enable-lifecycle",
            "--web.console.templates=/usr/share/prometheus/consoles",
            "--web.console.libraries=/usr/share/prometheus/console_libraries"),
        home.root(),
        Map.of(),
        prometheus.log());
  }

  /**
   * {@code PROMETHEUS_BIN}, else {@code prometheus} on the PATH (Debian's package puts it there).
   */
  static Path prometheusBinary() throws IOException {
    String configured = System.getenv("PROMETHEUS_BIN");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path candidate = Path.of(dir, "prometheus");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IOException(
        "prometheus is not installed: up --monitoring runs the binary of Debian's prometheus"
            + " package (sudo apt-get install prometheus), or set PROMETHEUS_BIN");
  }

  /** SIGKILL, like a pod kill: no shutdown hooks, sessions and connections just vanish. */
  boolean kill(Member member) {
    Optional<ProcessHandle> process = process(member);
    process.ifPresent(
        p -> {
          Signals.kill(p);
          Signals.awaitExit(p, Duration.ofSeconds(10));
        });
    return process.isPresent();
  }

  /** A clean stop: SIGTERM (PostgreSQL: SIGINT, its fast shutdown), SIGKILL after a grace. */
  void stop(Member member) throws IOException {
    Optional<ProcessHandle> process = process(member);
    if (process.isPresent()) {
      String signal = member instanceof Member.Postgres ? "INT" : "TERM";
      Signals.stop(process.get(), signal, Duration.ofSeconds(20));
    }
    new PidFile(home.pidFile(member.name())).delete();
  }

  Path log(Member member) {
    return switch (member) {
      case Member.ZooKeeper zk -> zk.peer().logFile();
      case Member.Postgres pg -> pg.node().logFile();
      case Member.Service s -> home.serviceLog(s.name());
      case Member.Prometheus p -> p.log();
    };
  }

  record Status(String name, Long pid, int port, String role, boolean healthy) {}

  Status status(Member member) {
    Long pid = process(member).map(ProcessHandle::pid).orElse(null);
    if (pid == null) {
      return new Status(member.name(), null, member.port(), "down", false);
    }
    return switch (member) {
      case Member.ZooKeeper zk -> {
        PeerMode mode = ZooKeeperEnsemble.probe(zk.peer());
        yield new Status(
            member.name(),
            pid,
            member.port(),
            mode.name().toLowerCase(Locale.ROOT),
            mode.serving());
      }
      case Member.Postgres pg -> {
        NodeStatus node = pg.node().probe();
        boolean healthy =
            switch (node) {
              case NodeStatus.Down d -> false;
              case NodeStatus.Primary p -> true;
              case NodeStatus.Replica r -> r.streaming();
            };
        yield new Status(member.name(), pid, member.port(), node.role(), healthy);
      }
      case Member.Service s ->
          new Status(member.name(), pid, member.port(), s.module(), ready(s.port()));
      case Member.Prometheus p ->
          new Status(
              member.name(), pid, member.port(), "monitoring", answers(p.port(), "/-/ready"));
    };
  }

  static boolean ready(int port) {
    return answers(port, "/actuator/health/readiness");
  }

  /** Whether {@code GET path} on the loopback port answers 200. */
  static boolean answers(int port, String path) {
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
