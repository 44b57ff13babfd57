package dev.faultline.testing;

import dev.faultline.cluster.process.Signals;
import dev.faultline.cluster.zookeeper.PeerMode;
import dev.faultline.cluster.zookeeper.ZooKeeperEnsemble;
import dev.faultline.cluster.zookeeper.ZooKeeperPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real ZooKeeper for a test: one standalone server or an ensemble of separate {@code
 * QuorumPeerMain} processes, each of which a failure test may kill, restart or pause.
 */
public final class ZooKeeperCluster implements AutoCloseable {
  private final Path dir;
  private final ZooKeeperEnsemble ensemble;
  private final Map<Integer, ProcessHandle> running = new ConcurrentHashMap<>();

  private ZooKeeperCluster(Path dir, ZooKeeperEnsemble ensemble) {
    this.dir = dir;
    this.ensemble = ensemble;
  }

  /** Starts {@code servers} peers (1 = standalone) and waits for a serving quorum. */
  public static ZooKeeperCluster start(int servers) {
    Path dir = TestProcesses.newFixtureDir("zk");
    ZooKeeperEnsemble ensemble =
        new ZooKeeperEnsemble(
            java.util.stream.IntStream.rangeClosed(1, servers)
                .mapToObj(
                    id ->
                        new ZooKeeperPeer(
                            id,
                            TestProcesses.freePort(),
                            TestProcesses.freePort(),
                            TestProcesses.freePort(),
                            dir.resolve("zk-" + id)))
                .toList());
    ZooKeeperCluster cluster = new ZooKeeperCluster(dir, ensemble);
    try {
      ensemble.writeConfigs();
      for (ZooKeeperPeer peer : ensemble.peers()) {
        cluster.startServer(peer.id());
      }
      ensemble.awaitQuorum(Duration.ofSeconds(60));
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return cluster;
  }

  public String connectString() {
    return ensemble.connectString();
  }

  public int size() {
    return ensemble.peers().size();
  }

  public ZooKeeperEnsemble ensemble() {
    return ensemble;
  }

  /** Starts (or restarts) one server; it rejoins the ensemble with its data. */
  public void startServer(int id) throws IOException {
    if (running.containsKey(id) && running.get(id).isAlive()) {
      return;
    }
    ZooKeeperPeer peer = ensemble.peer(id);
    String java = ProcessHandle.current().info().command().orElse("java");
    running.put(
        id,
        TestProcesses.INSTANCE.start(
            ensemble.launchSpec(peer, java, System.getProperty("java.class.path"))));
  }

  /** SIGKILL, as a node crash: its sessions are not closed, they expire. */
  public void killServer(int id) {
    ProcessHandle process = running.remove(id);
    if (process != null) {
      Signals.kill(process);
      Signals.awaitExit(process, Duration.ofSeconds(10));
      TestProcesses.INSTANCE.forget(process);
    }
  }

  public PeerMode mode(int id) {
    return ZooKeeperEnsemble.probe(ensemble.peer(id));
  }

  /** The id of the current leader, if there is one. */
  public Optional<Integer> leader() {
    return ensemble.peers().stream()
        .filter(p -> ZooKeeperEnsemble.probe(p) == PeerMode.LEADER)
        .map(ZooKeeperPeer::id)
        .findFirst();
  }

  public void awaitQuorum(Duration timeout) throws IOException {
    ensemble.awaitQuorum(timeout);
  }

  /**
   * Waits until a leader other than {@code formerLeader} leads (after a kill, the survivors go on
   * reporting their old modes until they notice, so "serving" alone proves nothing).
   */
  public int awaitNewLeader(int formerLeader, Duration timeout) throws IOException {
    return await(timeout, () -> leader().filter(id -> id != formerLeader), "a new leader");
  }

  /** Waits until every running server serves (after a restart, the joiner syncs first). */
  public void awaitAllServing(Duration timeout) throws IOException {
    await(
        timeout,
        () ->
            running.keySet().stream().allMatch(id -> mode(id).serving())
                ? Optional.of(true)
                : Optional.empty(),
        "every running server serving");
  }

  private static <T> T await(
      Duration timeout, java.util.function.Supplier<Optional<T>> probe, String what)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("ZooKeeper: no " + what + " after " + timeout);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  @Override
  public void close() {
    running
        .keySet()
        .forEach(id -> TestProcesses.stop(running.get(id), "TERM", Duration.ofSeconds(5)));
    running.clear();
    TestProcesses.delete(dir);
  }
}
