package dev.faultline.entrypoints.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.cluster.postgres.NodeAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresNodeSettingsTests {
  private static final Map<String, String> COMPOSE =
      Map.of(
          "FAULTLINE_PG_NAME", "pg-shard-0-replica",
          "FAULTLINE_PG_BORN", "replica",
          "FAULTLINE_PG_PEER", "pg-shard-0-primary:5432",
          "FAULTLINE_ZOOKEEPER", "zk-1:2181,zk-2:2181,zk-3:2181");

  @Test
  void aNodeIsNamedByItsServiceOnThePostgresPortUnlessToldOtherwise() {
    PostgresNodeSettings settings = PostgresNodeSettings.fromEnvironment(COMPOSE);
    assertThat(settings.self()).isEqualTo(NodeAddress.parse("pg-shard-0-replica:5432"));
    assertThat(settings.peer()).isEqualTo(NodeAddress.parse("pg-shard-0-primary:5432"));
    assertThat(settings.bornPrimary()).isFalse();
    assertThat(settings.home()).isEqualTo(Path.of("/var/lib/postgresql/faultline"));
    assertThat(settings.credentials()).isEqualTo(Path.of("/etc/faultline/postgres.properties"));
    assertThat(settings.clientNetworks()).containsExactly("samenet");
  }

  @Test
  void aPodGivesItsDnsNameAndNetwork() {
    var env = new java.util.HashMap<>(COMPOSE);
    env.put("FAULTLINE_PG_SELF", "pg-shard-0-1.pg-shard-0.faultline.svc:5432");
    env.put("FAULTLINE_PG_CLIENT_NETWORKS", "10.0.0.0/8, 192.168.0.0/16");
    PostgresNodeSettings settings = PostgresNodeSettings.fromEnvironment(env);
    assertThat(settings.self().host()).isEqualTo("pg-shard-0-1.pg-shard-0.faultline.svc");
    assertThat(settings.clientNetworks()).isEqualTo(List.of("10.0.0.0/8", "192.168.0.0/16"));
  }

  @Test
  void whatIsMissingOrWrongIsNamed() {
    var env = new java.util.HashMap<>(COMPOSE);
    env.remove("FAULTLINE_PG_PEER");
    assertThatThrownBy(() -> PostgresNodeSettings.fromEnvironment(env))
        .hasMessage("FAULTLINE_PG_PEER is not set");
    env.put("FAULTLINE_PG_PEER", "x:5432");
    env.put("FAULTLINE_PG_BORN", "leader");
    assertThatThrownBy(() -> PostgresNodeSettings.fromEnvironment(env))
        .hasMessageContaining("primary or replica");
  }

  @Test
  void aStatefulSetPodFindsItselfInTheShardsNodesByItsName() {
    String nodes = "pg-shard-1-0.pg-shard-1:5432,pg-shard-1-1.pg-shard-1:5432";
    PostgresNodeSettings first =
        PostgresNodeSettings.fromEnvironment(
            Map.of(
                "FAULTLINE_PG_NODES",
                nodes,
                "HOSTNAME",
                "pg-shard-1-0",
                "FAULTLINE_ZOOKEEPER",
                "zk:2181"));
    assertThat(first.name()).isEqualTo("pg-shard-1-0");
    assertThat(first.bornPrimary()).isTrue();
    assertThat(first.self()).isEqualTo(NodeAddress.parse("pg-shard-1-0.pg-shard-1:5432"));
    assertThat(first.peer()).isEqualTo(NodeAddress.parse("pg-shard-1-1.pg-shard-1:5432"));
    PostgresNodeSettings second =
        PostgresNodeSettings.fromEnvironment(
            Map.of(
                "FAULTLINE_PG_NODES",
                nodes,
                "HOSTNAME",
                "pg-shard-1-1",
                "FAULTLINE_ZOOKEEPER",
                "zk:2181"));
    assertThat(second.bornPrimary()).isFalse();
    assertThat(second.peer()).isEqualTo(first.self());
    assertThatThrownBy(
            () ->
                PostgresNodeSettings.fromEnvironment(
                    Map.of(
                        "FAULTLINE_PG_NODES",
                        nodes,
                        "HOSTNAME",
                        "pg-shard-0-0",
                        "FAULTLINE_ZOOKEEPER",
                        "zk:2181")))
        .hasMessageContaining("is not one of FAULTLINE_PG_NODES");
  }
}
