package dev.faultline.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ownership and movement rules as properties, checked over many shard counts and random
 * histories of additions and removals (seeded, so a failure replays).
 */
class SlotRingTests {
  private static final int KEYS = 100_000;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 7, 16, 31, 64, 100, 255})
  void everyShardHoldsFloorOrCeilOfItsShareOfSlots(int shards) {
    SlotRing ring = SlotRing.balanced(IntStream.range(0, shards).boxed().toList());
    assertBalanced(ring);
    assertThat(ring.shardIds()).hasSize(shards);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 4, 16, 63, 64})
  void addingAShardMovesTheIdealShareOfSlotsAllToTheNewShard(int shards) {
    SlotRing before = SlotRing.balanced(IntStream.range(0, shards).boxed().toList());
    SlotRing after = before.withShard(shards);
    int moved = 0;
    for (int slot = 0; slot < before.slots(); slot++) {
      if (before.shardOfSlot(slot) != after.shardOfSlot(slot)) {
        moved++;
        assertThat(after.shardOfSlot(slot)).isEqualTo(shards);
      }
    }
    assertThat(moved).isEqualTo(before.slots() / (shards + 1));
    assertBalanced(after);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 16, 64})
  void removingAShardMovesOnlyItsSlots(int shards) {
    SlotRing before = SlotRing.balanced(IntStream.range(0, shards).boxed().toList());
    int removed = shards / 2;
    SlotRing after = before.withoutShard(removed);
    for (int slot = 0; slot < before.slots(); slot++) {
      if (before.shardOfSlot(slot) != removed) {
        assertThat(after.shardOfSlot(slot)).isEqualTo(before.shardOfSlot(slot));
      } else {
        assertThat(after.shardOfSlot(slot)).isNotEqualTo(removed);
      }
    }
    assertBalanced(after);
  }

  @Test
  void randomHistoriesKeepEveryRule() {
    Random random = new Random(7);
    for (int history = 0; history < 20; history++) {
      List<Integer> live = new ArrayList<>(List.of(0, 1, 2));
      int nextId = 3;
      SlotRing ring = SlotRing.balanced(live, 4096);
      for (int step = 0; step < 15; step++) {
        SlotRing next;
        if (live.size() > 1 && random.nextBoolean()) {
          int gone = live.remove(random.nextInt(live.size()));
          next = ring.withoutShard(gone);
          for (int slot = 0; slot < ring.slots(); slot++) {
            if (ring.shardOfSlot(slot) != gone) {
              assertThat(next.shardOfSlot(slot)).isEqualTo(ring.shardOfSlot(slot));
            }
          }
        } else {
          int added = nextId++;
          live.add(added);
          next = ring.withShard(added);
          for (int slot = 0; slot < ring.slots(); slot++) {
            if (next.shardOfSlot(slot) != ring.shardOfSlot(slot)) {
              assertThat(next.shardOfSlot(slot)).isEqualTo(added);
            }
          }
        }
        assertBalanced(next);
        assertThat(next.shardIds()).containsExactlyInAnyOrderElementsOf(live);
        ring = next;
      }
    }
  }

  @Test
  void keysMoveCloseToTheIdealFractionOnlyToTheNewShard() {
    SlotRing before = SlotRing.balanced(List.of(0, 1, 2, 3));
    SlotRing after = before.withShard(4);
    int moved = 0;
    for (int i = 0; i < KEYS; i++) {
      String key = "customer-" + i;
      int from = before.shardOf(key);
      int to = after.shardOf(key);
      if (from != to) {
        moved++;
        assertThat(to).isEqualTo(4);
      }
    }
    // Ideal is 1/5 of the keys; the slot share is exact, the rest is the keys' own randomness.
    assertThat(moved / (double) KEYS).isBetween(0.19, 0.21);
  }

  @Test
  void theSameShardsGiveTheSameTableAndItSurvivesEncoding() {
    SlotRing a = SlotRing.balanced(List.of(3, 1, 2, 0));
    SlotRing b = SlotRing.balanced(List.of(0, 1, 2, 3));
    assertThat(a).isEqualTo(b);
    assertThat(SlotRing.decode(a.encode(), a.slots())).isEqualTo(a);
    assertThat(a.route("customer-42").shard()).isEqualTo(b.shardOf("customer-42"));
  }

  @Test
  void routeAgreesWithItsParts() {
    SlotRing ring = SlotRing.balanced(List.of(0, 1));
    Route route = ring.route("acc-7");
    assertThat(route.hash()).isEqualTo(KeyHash.of("acc-7"));
    assertThat(route.slot()).isEqualTo(SlotRing.slotOf(route.hash(), ring.slots()));
    assertThat(route.shard()).isEqualTo(ring.shardOfSlot(route.slot()));
    assertThat(SlotRing.slotOf(-1L, 16_384)).isEqualTo(16_383);
    assertThat(SlotRing.slotOf(0L, 16_384)).isZero();
  }

  @Test
  void rejectsWhatCannotBeARing() {
    assertThatThrownBy(() -> SlotRing.balanced(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SlotRing.balanced(List.of(1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SlotRing.balanced(List.of(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    SlotRing ring = SlotRing.balanced(List.of(0));
    assertThatThrownBy(() -> ring.withoutShard(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ring.withShard(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SlotRing.decode(ring.encode(), 8))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertBalanced(SlotRing ring) {
    var counts = ring.slotCounts().values();
    int min = counts.stream().mapToInt(Integer::intValue).min().orElseThrow();
    int max = counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
    assertThat(max - min).as("slot counts %s", ring.slotCounts()).isLessThanOrEqualTo(1);
  }
}
