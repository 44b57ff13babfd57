package dev.faultline.suite;

import dev.faultline.cluster.postgres.PostgresNode;
import dev.faultline.cluster.zookeeper.ZooKeeperEnsemble;
import dev.faultline.cluster.zookeeper.ZooKeeperPeer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One process of the local suite, as a pod is one of a cluster: it can be started and killed. */
sealed interface Member {
  String name();

  int port();

  /** A ZooKeeper quorum peer. */
  record ZooKeeper(ZooKeeperEnsemble ensemble, ZooKeeperPeer peer) implements Member {
    @Override
    public String name() {
      return peer.name();
    }

    @Override
    public int port() {
      return peer.clientPort();
    }
  }

  /** A PostgreSQL node; "primary"/"replica" in its name is its role at creation, not now. */
  record Postgres(int shard, boolean bornPrimary, PostgresNode node) implements Member {
    @Override
    public String name() {
      return node.name();
    }

    @Override
    public int port() {
      return node.port();
    }
  }

  /** A Spring Boot service instance, run from its module's jar. */
  record Service(String name, String module, int port, List<String> args, Map<String, String> env)
      implements Member {}

  /**
   * Prometheus ({@code up --monitoring}): Debian's binary, scraping every service, with the SLO and
   * component rules of {@code monitoring/prometheus/rules}.
   */
  record Prometheus(int port, Path config, Path data, Path log) implements Member {
    @Override
    public String name() {
      return "prometheus";
    }
  }
}
