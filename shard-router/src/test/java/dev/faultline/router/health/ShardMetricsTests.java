package dev.faultline.router.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.ShardState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the "shards writable" SLI counts a probe round as good. */
class ShardMetricsTests {
  private static final String PRIMARY = "127.0.0.1:5500";

  private static ShardInfo shard(ShardState state) {
    return new ShardInfo(0, PRIMARY, List.of("127.0.0.1:5501"), state);
  }

  private static NodeHealth primary(int synchronousStandbys, boolean deposed) {
    return new NodeHealth(
        PRIMARY, true, "primary", null, null, 1L, synchronousStandbys, deposed, null);
  }

  @Test
  void aSyncShardIsWritableOnlyWhileAStandbyConfirmsCommits() {
    assertThat(ShardMetrics.writable(shard(ShardState.SYNC), primary(1, false))).isTrue();
    // Without a confirming standby a commit waits for one: the client sees a hung write.
    assertThat(ShardMetrics.writable(shard(ShardState.SYNC), primary(0, false))).isFalse();
  }

  @Test
  void aDegradedShardIsWritableOnItsPrimaryAlone() {
    assertThat(ShardMetrics.writable(shard(ShardState.DEGRADED), primary(0, false))).isTrue();
  }

  @Test
  void readOnlyFailingOverDeposedAndDownAreNotWritable() {
    assertThat(ShardMetrics.writable(shard(ShardState.READ_ONLY), primary(1, false))).isFalse();
    assertThat(ShardMetrics.writable(shard(ShardState.FAILING_OVER), primary(1, false))).isFalse();
    assertThat(ShardMetrics.writable(shard(ShardState.SYNC), primary(1, true))).isFalse();
    assertThat(ShardMetrics.writable(shard(ShardState.SYNC), NodeHealth.down(PRIMARY, "refused")))
        .isFalse();
    NodeHealth replica =
        new NodeHealth(PRIMARY, true, "replica", "127.0.0.1:5501", 0.0, 1L, null, null, null);
    assertThat(ShardMetrics.writable(shard(ShardState.DEGRADED), replica)).isFalse();
  }
}
