package dev.faultline.shard.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.ring.SlotRing;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TopologyTests {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static Topology twoShards() {
    return Topology.initial(
        List.of(
            new ShardInfo(0, "h:1", List.of("h:2"), ShardState.SYNC),
            new ShardInfo(1, "h:3", List.of("h:4"), ShardState.SYNC)));
  }

  @Test
  void survivesTheJsonItIsStoredAs() {
    Topology topology = twoShards();
    Topology read = JSON.readValue(JSON.writeValueAsBytes(topology), Topology.class);
    assertThat(read).isEqualTo(topology);
    assertThat(read.slotRing()).isEqualTo(SlotRing.balanced(List.of(0, 1)));
  }

  @Test
  void everyChangeBumpsTheEpochByOne() {
    Topology next = twoShards().next(1, s -> s.withState(ShardState.DEGRADED));
    assertThat(next.epoch()).isEqualTo(2);
    assertThat(next.shard(1).orElseThrow().state()).isEqualTo(ShardState.DEGRADED);
    assertThat(next.shard(0)).isEqualTo(twoShards().shard(0));
  }

  @Test
  void promotionSwapsThePrimaryAndListsTheOldOneAsAReplica() {
    ShardInfo promoted =
        new ShardInfo(0, "h:1", List.of("h:2"), ShardState.FAILING_OVER)
            .promoted("h:2", ShardState.DEGRADED);
    assertThat(promoted.primary()).isEqualTo("h:2");
    assertThat(promoted.replicas()).containsExactly("h:1");
    assertThatThrownBy(() -> promoted.promoted("h:9", ShardState.SYNC))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlySyncShardsArePromotableAndOnlySyncOrDegradedTakeWrites() {
    assertThat(ShardState.SYNC.promotable()).isTrue();
    assertThat(ShardState.DEGRADED.promotable()).isFalse();
    assertThat(ShardState.DEGRADED.writable()).isTrue();
    assertThat(ShardState.READ_ONLY.writable()).isFalse();
    assertThat(ShardState.FAILING_OVER.writable()).isFalse();
  }

  @Test
  void rejectsARingThatDisagreesWithTheShardList() {
    Topology topology = twoShards();
    assertThatThrownBy(
            () ->
                new Topology(
                    1, RingSpec.of(SlotRing.balanced(List.of(0, 1, 2))), topology.shards()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Topology(
                    1, new RingSpec("crc32", 16_384, topology.ring().table()), topology.shards()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new ShardInfo(0, "h:1", List.of("h:1"), ShardState.SYNC))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
