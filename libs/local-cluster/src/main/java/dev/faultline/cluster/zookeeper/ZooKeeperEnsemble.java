package dev.faultline.cluster.zookeeper;

import dev.faultline.cluster.process.LaunchSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A ZooKeeper ensemble of real {@code QuorumPeerMain} processes on loopback (or one standalone
 * server), or of peers on a network, one per container or pod. It writes each peer's configuration
 * and says how to launch it; starting, killing and watching the processes is the caller's business,
 * so a test, {@code bin/suite} and a container's entrypoint share it.
 */
public final class ZooKeeperEnsemble {
  /**
   * One second ticks: clients may ask for sessions as short as two seconds (2 ticks), so a killed
   * service drops out of discovery within seconds, not the minute a default setup takes.
   */
  public static final int TICK_MILLIS = 1_000;

  /** The ports of a peer that has a network address of its own (a container, a pod). */
  public static final int CLIENT_PORT = 2181;

  public static final int QUORUM_PORT = 2888;
  public static final int ELECTION_PORT = 3888;

  private final List<ZooKeeperPeer> peers;
  private final boolean ownAddresses;

  /** Peers sharing one machine's loopback, told apart by their ports. */
  public ZooKeeperEnsemble(List<ZooKeeperPeer> peers) {
    this(peers, false);
  }

  private ZooKeeperEnsemble(List<ZooKeeperPeer> peers, boolean ownAddresses) {
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one server");
    }
    this.peers = List.copyOf(peers);
    this.ownAddresses = ownAddresses;
  }

  /**
   * Peer {@code i + 1} on {@code hosts[i]}, each with an address of its own (a container, a pod)
   * and the standard ports; {@code dir} is the data folder of whichever of them runs here.
   */
  public static ZooKeeperEnsemble onNetwork(List<String> hosts, Path dir) {
    return new ZooKeeperEnsemble(
        IntStream.range(0, hosts.size())
            .mapToObj(
                i ->
                    new ZooKeeperPeer(
                        i + 1, hosts.get(i), CLIENT_PORT, QUORUM_PORT, ELECTION_PORT, dir))
            .toList(),
        true);
  }

  /**
   * Peers 1..size under {@code baseDir}/zk-N, with client ports {@code firstClientPort + i} and
   * quorum/election ports {@code firstPeerPort + i} and {@code firstPeerPort + 1000 + i}.
   */
  public static ZooKeeperEnsemble onLoopback(
      Path baseDir, int size, int firstClientPort, int firstPeerPort) {
    return new ZooKeeperEnsemble(
        IntStream.rangeClosed(1, size)
            .mapToObj(
                id ->
                    new ZooKeeperPeer(
                        id,
                        firstClientPort + id - 1,
                        firstPeerPort + id - 1,
                        firstPeerPort + 1000 + id - 1,
                        baseDir.resolve("zk-" + id)))
            .toList());
  }

  public List<ZooKeeperPeer> peers() {
    return peers;
  }

  public ZooKeeperPeer peer(int id) {
    return peers.stream()
        .filter(p -> p.id() == id)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no ZooKeeper server " + id));
  }

  public String connectString() {
    return peers.stream()
        .map(p -> p.host() + ":" + p.clientPort())
        .collect(Collectors.joining(","));
  }

  /** Writes every peer's zoo.cfg, myid and logging setup; keeps existing data. */
  public void writeConfigs() throws IOException {
    for (ZooKeeperPeer peer : peers) {
      writeConfig(peer);
    }
  }

  /** Writes one peer's zoo.cfg, myid and logging setup; keeps existing data. */
  public void writeConfig(ZooKeeperPeer peer) throws IOException {
    Files.createDirectories(peer.dataDir());
    Files.writeString(peer.dataDir().resolve("myid"), peer.id() + "\n");
    Files.writeString(peer.configFile(), config(peer));
    Files.writeString(peer.dir().resolve("logback.xml"), LOGBACK);
  }

  String config(ZooKeeperPeer peer) {
    List<String> lines = new ArrayList<>();
    lines.add("tickTime=" + TICK_MILLIS);
    lines.add("initLimit=10");
    lines.add("syncLimit=5");
    lines.add("dataDir=" + peer.dataDir().toAbsolutePath());
    lines.add("clientPort=" + peer.clientPort());
    if (ownAddresses) {
      // Its own network namespace: every address of it is its own. Binding all of them also
      // survives a restart that gives the container or pod a new IP for the same name.
      lines.add("quorumListenOnAllIPs=true");
    } else {
      lines.add("clientPortAddress=127.0.0.1");
    }
    lines.add("maxClientCnxns=0");
    // The admin server would bind 8080, the gateway's port.
    lines.add("admin.enableServer=false");
    lines.add("4lw.commands.whitelist=srvr,ruok,mntr,stat");
    lines.add("autopurge.snapRetainCount=3");
    lines.add("autopurge.purgeInterval=1");
    if (peers.size() > 1) {
      for (ZooKeeperPeer other : peers) {
        lines.add(
            "server."
                + other.id()
                + "="
                + other.host()
                + ":"
                + other.quorumPort()
                + ":"
                + other.electionPort()
                // A client port alone means every address, as a peer with addresses of its own
                // wants.
                + (ownAddresses ? ";" : ";" + other.host() + ":")
                + other.clientPort());
      }
    }
    return String.join("\n", lines) + "\n";
  }

  /** The command that runs one peer, with the given java and a class path holding ZooKeeper. */
  public LaunchSpec launchSpec(ZooKeeperPeer peer, String javaCommand, String classPath) {
    return new LaunchSpec(
        peer.name(),
        List.of(
            javaCommand,
            "-Xms32m",
            "-Xmx192m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dlogback.configurationFile=" + peer.dir().resolve("logback.xml").toAbsolutePath(),
            "-Dzookeeper.jmx.log4j.disable=true",
            "-cp",
            classPath,
            "org.apache.zookeeper.server.quorum.QuorumPeerMain",
            peer.configFile().toAbsolutePath().toString()),
        peer.dir(),
        Map.of(),
        peer.logFile());
  }

  /** Asks a peer what it is ({@code srvr} four-letter word); DOWN when it does not answer. */
  public static PeerMode probe(ZooKeeperPeer peer) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(peer.host(), peer.clientPort()), 500);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return PeerMode.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return PeerMode.DOWN;
    }
  }

  /** Waits until a majority of peers serve (a quorum), or fails after the timeout. */
  public void awaitQuorum(Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    int majority = peers.size() / 2 + 1;
    while (true) {
      long serving = peers.stream().filter(p -> probe(p).serving()).count();
      if (serving >= majority) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        StringBuilder detail = new StringBuilder();
        for (ZooKeeperPeer peer : peers) {
          detail.append("\n--- ").append(peer.name()).append(" (").append(probe(peer)).append(")");
          detail.append(dev.faultline.cluster.process.LogTail.of(peer.logFile(), 15));
        }
        throw new IOException("ZooKeeper has no quorum after " + timeout + ":" + detail);
      }
      sleep(100);
    }
  }

  static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static final String LOGBACK =
      """
      <configuration>
        <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
        </appender>
        <logger name="org.apache.zookeeper" level="INFO"/>
        <logger name="org.apache.zookeeper.server.NIOServerCnxn" level="WARN"/>
        <root level="WARN"><appender-ref ref="OUT"/></root>
      </configuration>
      """;
}
