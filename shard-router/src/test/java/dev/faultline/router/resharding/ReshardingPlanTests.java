package dev.faultline.router.resharding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.ring.SlotRing;
import dev.faultline.router.resharding.Migration.Batch;
import dev.faultline.shard.topology.ShardInfo;
import dev.faultline.shard.topology.ShardState;
import dev.faultline.shard.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of resharding: planning batches, a job's progress, the copy's pace. */
class ReshardingPlanTests {

  private static Topology twoShardsAndAnEmptyThird() {
    Topology two =
        Topology.initial(
            List.of(
                new ShardInfo(0, "a:1", List.of("a:2"), ShardState.SYNC),
                new ShardInfo(1, "b:1", List.of("b:2"), ShardState.SYNC)));
    return two.withShard(new ShardInfo(2, "c:1", List.of("c:2"), ShardState.DEGRADED));
  }

  @Test
  void addingAShardPlansAThirdOfTheSlotsInBatchesFromOneSourceEach() {
    Topology topology = twoShardsAndAnEmptyThird();
    SlotRing ring = topology.slotRing();
    List<Batch> batches = SlotMover.plan(topology, ring.differences(ring.withShard(2)), 512);
    assertThat(batches.stream().mapToInt(b -> b.slots().size()).sum()).isEqualTo(16384 / 3);
    Set<Integer> seen = new HashSet<>();
    for (Batch batch : batches) {
      assertThat(batch.target()).isEqualTo(2);
      assertThat(batch.slots()).hasSizeLessThanOrEqualTo(512);
      for (int slot : batch.slots()) {
        assertThat(ring.shardOfSlot(slot)).isEqualTo(batch.source());
        assertThat(seen.add(slot)).as("slot %d planned twice", slot).isTrue();
      }
    }
    // Both old shards give about half each.
    assertThat(batches.stream().filter(b -> b.source() == 0).mapToInt(b -> b.slots().size()).sum())
        .isBetween(2700, 2760);
  }

  @Test
  void slotsAlreadyAtTheirTargetAreNotPlanned() {
    Topology topology = twoShardsAndAnEmptyThird();
    SlotRing ring = topology.slotRing();
    List<Integer> onZero = new ArrayList<>();
    List<Integer> onOne = new ArrayList<>();
    for (int slot = 0; onZero.size() < 3 || onOne.size() < 2; slot++) {
      (ring.shardOfSlot(slot) == 0 ? onZero : onOne).add(slot);
    }
    List<Integer> asked = new ArrayList<>(onZero.subList(0, 3));
    asked.addAll(onOne.subList(0, 2));
    List<Batch> batches = SlotMover.plan(topology, Map.of(0, asked), 512);
    assertThat(batches).containsExactly(new Batch(1, 0, onOne.subList(0, 2)));
  }

  @Test
  void drainingPlansEverySlotOfTheShardToTheOthers() {
    Topology topology = twoShardsAndAnEmptyThird();
    SlotRing three = topology.slotRing().withShard(2);
    Topology moved =
        topology.moving(topology.slotRing().differences(three).getOrDefault(2, List.of()), 2);
    SlotRing ring = moved.slotRing();
    List<Batch> batches = SlotMover.plan(moved, ring.differences(ring.withoutShard(2)), 1000);
    assertThat(batches).allSatisfy(b -> assertThat(b.source()).isEqualTo(2));
    assertThat(batches.stream().mapToInt(b -> b.slots().size()).sum()).isEqualTo(16384 / 3);
    assertThat(batches.stream().map(Batch::target).distinct()).containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void aJobCountsItsSlotsAndEstimatesWhatIsLeftFromItsPace() {
    Instant start = Instant.parse("2026-12-07T10:00:00Z");
    List<Batch> batches =
        List.of(
            new Batch(0, 2, List.of(1, 2, 3, 4)),
            new Batch(0, 2, List.of(5, 6, 7, 8)),
            new Batch(1, 2, List.of(9, 10)));
    Migration job =
        new Migration(
            "add-2",
            "add",
            batches,
            0,
            Migration.Phase.PREPARE,
            Migration.Status.RUNNING,
            0,
            List.of(),
            start,
            start,
            null,
            null);
    assertThat(job.slotsTotal()).isEqualTo(10);
    assertThat(job.slotsDone()).isZero();
    assertThat(job.eta(start.plusSeconds(5))).isNull();
    Migration later = job.nextBatch(start.plusSeconds(4));
    assertThat(later.slotsDone()).isEqualTo(4);
    assertThat(later.current()).isEqualTo(batches.get(1));
    // 4 slots in 4 s: 6 left take about 6 s more.
    assertThat(later.eta(start.plusSeconds(4))).isEqualTo(Duration.ofSeconds(6));
    Migration last = later.nextBatch(start.plusSeconds(6)).nextBatch(start.plusSeconds(7));
    assertThat(last.current()).isNull();
    assertThat(last.slotsDone()).isEqualTo(10);
  }

  @Test
  void theCopyHalvesItsPaceWhenTheShardsAnswerSlowlyAndRecoversInSteps() {
    SlotMover.Throttle throttle = new SlotMover.Throttle(20_000, () -> 0);
    throttle.observe(1_000_000); // 1 ms: the quietest seen
    assertThat(throttle.rate()).isEqualTo(20_000);
    throttle.observe(2_500_000); // within 3× + 2 ms: fine
    assertThat(throttle.rate()).isEqualTo(20_000);
    throttle.observe(20_000_000); // 20 ms: queries queue
    assertThat(throttle.rate()).isEqualTo(10_000);
    throttle.observe(20_000_000);
    throttle.observe(20_000_000);
    throttle.observe(20_000_000);
    throttle.observe(20_000_000);
    assertThat(throttle.rate()).isEqualTo(1_000); // never below a twentieth
    throttle.observe(1_000_000);
    assertThat(throttle.rate()).isEqualTo(3_000);
    for (int i = 0; i < 20; i++) {
      throttle.observe(1_000_000);
    }
    assertThat(throttle.rate()).isEqualTo(20_000);
  }
}
