package dev.faultline.lock.ensemble;

import dev.faultline.web.lifecycle.Rounds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The ZooKeeper ensemble as the lock service sees it: every few seconds each peer of the connect
 * string is asked {@code srvr} (ZooKeeper's four-letter monitoring word) and reported as {@code
 * zookeeper_peer_serving{peer}} (1 while it serves clients as part of a quorum) and {@code
 * zookeeper_peer_leader{peer}}. A peer serves only inside a quorum, so no serving peer is a lost
 * quorum: every lease is frozen until it returns (the ZooKeeperQuorumLost alert).
 *
 * <p>The lock service does this, not an exporter beside ZooKeeper, because it is the suite's
 * component that depends on the ensemble most directly, and because ZooKeeper's own Prometheus
 * provider needs Jetty 9, which would clash with the rest of the build.
 */
@Component
class EnsembleMonitor extends Rounds {
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final int TIMEOUT_MILLIS = 1_000;

  /** What one {@code srvr} answer says. */
  enum Mode {
    LEADER,
    FOLLOWER,
    OBSERVER,
    STANDALONE,
    NOT_SERVING;

    boolean serving() {
      return this != NOT_SERVING;
    }

    static Mode of(String srvr) {
      for (String line : srvr.split("\n")) {
        if (line.startsWith("Mode:")) {
          return switch (line.substring(5).trim()) {
            case "leader" -> LEADER;
            case "follower" -> FOLLOWER;
            case "observer" -> OBSERVER;
            case "standalone" -> STANDALONE;
            default -> NOT_SERVING;
          };
        }
      }
      // "This ZooKeeper instance is not currently serving requests": electing, no quorum.
      return NOT_SERVING;
    }
  }

  private final List<String> peers;
  private final Map<String, Mode> modes = new ConcurrentHashMap<>();
  private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();

  EnsembleMonitor(
      @Value("${spring.cloud.zookeeper.connect-string}") String connectString,
      MeterRegistry meters) {
    super("zookeeper-ensemble", INTERVAL);
    this.peers = peers(connectString);
    for (String peer : peers) {
      modes.put(peer, Mode.NOT_SERVING);
      Gauge.builder("zookeeper.peer.serving", modes, m -> m.get(peer).serving() ? 1 : 0)
          .description("1 while the ZooKeeper peer serves clients as part of a quorum")
          .tag("peer", peer)
          .register(meters);
      Gauge.builder("zookeeper.peer.leader", modes, m -> m.get(peer) == Mode.LEADER ? 1 : 0)
          .description("1 while the ZooKeeper peer leads the ensemble")
          .tag("peer", peer)
          .register(meters);
    }
  }

  /** {@code host:port} of each server in a connect string (any chroot suffix dropped). */
  static List<String> peers(String connectString) {
    String servers = connectString.split("/", 2)[0];
    return Arrays.stream(servers.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  @Override
  protected void round() {
    var results = peers.stream().map(p -> Map.entry(p, probes.submit(() -> probe(p)))).toList();
    for (var result : results) {
      try {
        modes.put(result.getKey(), result.getValue().get());
      } catch (Exception e) {
        modes.put(result.getKey(), Mode.NOT_SERVING);
      }
    }
  }

  private static Mode probe(String peer) {
    int colon = peer.lastIndexOf(':');
    String host = colon < 0 ? peer : peer.substring(0, colon);
    int port = colon < 0 ? 2181 : Integer.parseInt(peer.substring(colon + 1));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return Mode.of(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return Mode.NOT_SERVING;
    }
  }
}
