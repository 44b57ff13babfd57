package dev.faultline.suite;

import dev.faultline.cluster.postgres.Rejoin;
import dev.faultline.cluster.postgres.StoredTopology;
import dev.faultline.cluster.process.LogTail;
import dev.faultline.cluster.suite.SuiteHome;
import dev.faultline.cluster.suite.SuitePorts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Bringing the suite up ({@code up}) or one member back ({@code start}): the order things start in,
 * what a PostgreSQL node must become first after a failover (the rewind decision, {@link Rejoin}),
 * and the wait until each member is healthy, with progress as it goes.
 */
record Startup(SuiteHome home, SuitePorts ports, PrintStream out) {
  private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(4);

  int up(boolean monitoring) throws Exception {
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
      say(out, "zookeeper: quorum of 3 serving", started);
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
      // Each module's build extracted while the databases start, not one by one at launch.
      List<Future<ServiceBuild>> builds = new ArrayList<>();
      topology.services().stream()
          .collect(
              java.util.stream.Collectors.toMap(
                  Member.Service::module, s -> s, (a, b) -> a, java.util.LinkedHashMap::new))
          .values()
          .forEach(service -> builds.add(pool.submit(() -> supervisor.build(service))));
      if (!existing) {
        topology.ensemble().awaitQuorum(Duration.ofSeconds(90));
        say(out, "zookeeper: quorum of 3 serving", started);
      }
      for (Future<Void> shard : shards) {
        unwrap(shard);
      }
      for (Future<ServiceBuild> build : builds) {
        unwrap(build);
      }
    }
    say(
        out,
        "postgres: " + topology.shards().size() + " shards, each primary + synchronous replica",
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
    say(out, "all " + topology.all().size() + " processes healthy", started);
    archive(supervisor, started);
    out.printf(
        "%nGateway:  http://localhost:%d      (a second one, to fail over to: http://localhost:%d)%n"
            + "Token:    export TOKEN=$(bin/suite token)          (admin: bin/suite token --admin)%n"
            + "Try:      curl -s -H \"Authorization: Bearer $TOKEN\" http://localhost:%d/api/shards%n"
            + "Status:   bin/suite status      Stop: bin/suite down%n",
        ports.gateway(1), ports.gateway(2), ports.gateway());
    prometheus.ifPresent(
        p ->
            out.printf(
                "Metrics:  http://localhost:%d (Prometheus: SLO rules and alerts loaded)%n",
                p.port()));
    return 0;
  }

  /** Starts one member again; a PostgreSQL node first becomes what the topology says. */
  void start(String name) throws Exception {
    long started = System.nanoTime();
    SuiteTopology topology = new SuiteTopology(home, ports);
    Member member = Suite.member(topology, name);
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
    archive(supervisor, started);
  }

  /**
   * The class-data archives of builds that first ran now ({@link ServiceBuild}), once each. The
   * process an archive was dumped from is started again, from the archive: HotSpot (25.0.3) may
   * crash a process that goes on running after {@code VM.cds dynamic_dump} (a lambda looked up in
   * the archive it recorded, seen in the lock service's attach listener), so none is left running.
   */
  private void archive(Supervisor supervisor, long started) throws Exception {
    List<Member.Service> dumped = supervisor.archiveRecorded();
    if (dumped.isEmpty()) {
      return;
    }
    say(
        out,
        "class-data archives of "
            + String.join(", ", dumped.stream().map(Member.Service::module).toList())
            + " made",
        started);
    for (Member.Service service : dumped) {
      supervisor.stop(service);
      supervisor.launch(service);
    }
    awaitHealthy(supervisor, dumped, started);
    say(out, "the processes they were made from restarted on them", started);
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
  Void bringUpShard(Supervisor supervisor, List<Member.Postgres> shard) throws Exception {
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
              out,
              pg.name()
                  + ": replaced as primary (epoch "
                  + r.epoch()
                  + "); rejoined as a replica of :"
                  + r.primary().port()
                  + " with pg_rewind",
              started);
      case Rejoin.Outcome.Repointed r ->
          say(out, pg.name() + ": now follows the primary on :" + r.primary().port(), started);
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
          say(out, member.name() + " healthy on :" + member.port(), started);
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

  static void say(PrintStream out, String message, long startedNanos) {
    out.printf("suite: %-58s %6.1fs%n", message, (System.nanoTime() - startedNanos) / 1e9);
    out.flush();
  }

  static <T> T unwrap(Future<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
