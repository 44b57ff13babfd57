package dev.faultline.cluster.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredTopologyTests {
  /** As the router stores it after a failover of shard 0 (the old primary listed as a replica). */
  private static final String AFTER_FAILOVER =
      """
      {"epoch":4,"slots":16384,"shards":[
        {"id":0,"primary":"pg-shard-0-replica:5432","replicas":["pg-shard-0-primary:5432"],
         "state":"DEGRADED"},
        {"id":1,"primary":"pg-shard-1-primary:5432","replicas":["pg-shard-1-replica:5432"],
         "state":"SYNC"}]}
      """;

  @Test
  void aNodeFindsTheCurrentPrimaryOfItsShardByTheAddressTheTopologyNamesItBy() {
    StoredTopology topology = StoredTopology.parse(AFTER_FAILOVER.getBytes(StandardCharsets.UTF_8));
    assertThat(topology.epoch()).isEqualTo(4);
    assertThat(topology.primaryOfShardWith(NodeAddress.parse("pg-shard-0-primary:5432")))
        .contains(NodeAddress.parse("pg-shard-0-replica:5432"));
    assertThat(topology.primaryOfShardWith(NodeAddress.parse("pg-shard-1-primary:5432")))
        .contains(NodeAddress.parse("pg-shard-1-primary:5432"));
    // A node no shard lists (another suite's, a typo) is told nothing.
    assertThat(topology.primaryOfShardWith(NodeAddress.parse("pg-shard-7-primary:5432"))).isEmpty();
  }
}
