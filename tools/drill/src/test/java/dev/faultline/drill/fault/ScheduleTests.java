package dev.faultline.drill.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleTests {

  @Test
  void kindsAndGroupsNameTheGroupsToHit() {
    assertThat(Schedule.groups("services,pg,zk"))
        .containsExactlyInAnyOrder(
            "order-service",
            "payment-service",
            "lock-service",
            "shard-router",
            "pg-primary",
            "zookeeper");
    assertThat(Schedule.groups(" order-service , zk"))
        .containsExactly("order-service", "zookeeper");
    assertThat(Schedule.groups("services,gateway")).contains("gateway", "order-service");
    assertThatThrownBy(() -> Schedule.groups("services,gateways"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gateway");
    assertThatThrownBy(() -> Schedule.groups(" , ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSameSeedGivesTheSamePlanAndAnotherSeedAnother() {
    Set<String> all = Schedule.groups("services,pg,zk");

    assertThat(Schedule.plan(all, 7, 3)).isEqualTo(Schedule.plan(all, 7, 3));
    assertThat(Schedule.plan(all, 7, 3)).isNotEqualTo(Schedule.plan(all, 8, 3));
  }

  @Test
  void everyRoundHitsEveryChosenGroupOnceWithBoundedTimes() {
    Set<String> chosen = Schedule.groups("order-service,pg,zk");
    List<Schedule.Planned> plan = Schedule.plan(chosen, 42, 4);

    assertThat(plan).hasSize(12);
    for (int round = 0; round < 4; round++) {
      assertThat(plan.subList(3 * round, 3 * round + 3))
          .extracting(p -> p.target().group())
          .containsExactlyInAnyOrder("order-service", "pg-primary", "zookeeper");
    }
    assertThat(plan)
        .allSatisfy(
            p -> {
              assertThat(p.downFor().toMillis()).isBetween(4_000L, 12_000L);
              assertThat(p.calmAfter().toMillis()).isBetween(3_000L, 7_000L);
            });
    assertThat(plan).extracting(p -> p.target().name()).doesNotContain("gateway-1");
  }

  @Test
  void pauseAddsAFreezeOfEachGroupPerRoundAndAloneFreezesEveryGroup() {
    assertThat(Schedule.pauses("services,pause")).isTrue();
    assertThat(Schedule.kills("services,pause")).isTrue();
    assertThat(Schedule.kills("pause")).isFalse();
    assertThat(Schedule.groups("pause"))
        .contains("pg-primary", "zookeeper", "payment-service")
        .doesNotContain("gateway");
    assertThat(Schedule.groups("zk,pause")).containsExactly("zookeeper");

    Set<String> zk = Schedule.groups("zk");
    List<Schedule.Planned> both = Schedule.plan(zk, 5, 2, true, true);
    assertThat(both)
        .extracting(Schedule.Planned::action)
        .containsExactly(
            Schedule.Action.KILL,
            Schedule.Action.PAUSE,
            Schedule.Action.KILL,
            Schedule.Action.PAUSE);
    // Past the 6 s ZooKeeper session timeout and every lease TTL.
    assertThat(both)
        .filteredOn(p -> p.action() == Schedule.Action.PAUSE)
        .allSatisfy(p -> assertThat(p.downFor().toMillis()).isBetween(8_000L, 14_000L));
    assertThat(Schedule.plan(zk, 5, 2, false, true))
        .extracting(Schedule.Planned::action)
        .containsOnly(Schedule.Action.PAUSE);
    // Kills alone plan as they always did for a seed.
    assertThat(Schedule.plan(zk, 5, 2, true, false)).isEqualTo(Schedule.plan(zk, 5, 2));
  }

  @Test
  void aGatewayIsStruckOnlyWhereItsClientsHaveAnotherToGoTo() {
    Set<String> groups = Schedule.groups("gateway,zk");
    assertThat(Schedule.forGateways(groups, 2)).containsExactly("gateway", "zookeeper");
    assertThatThrownBy(() -> Schedule.forGateways(groups, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runs 1 gateway");
    assertThat(Schedule.forGateways(Schedule.groups("services"), 1)).doesNotContain("gateway");
    assertThat(Schedule.plan(groups, 3, 2))
        .extracting(p -> p.target().name())
        .anyMatch(name -> name.startsWith("gateway-"));
  }

  @Test
  void aShardAddedByReshardingIsStruckLikeTheOthersAndTwoShardsPlanAsBefore() {
    assertThat(Schedule.targets(List.of(0, 1))).isEqualTo(Schedule.targets());
    List<Target> three = Schedule.targets(List.of(2, 0, 1));
    assertThat(three.stream().filter(t -> t.kind() == FaultKind.PG).map(Target::name))
        .containsExactly("pg-shard-0-primary", "pg-shard-1-primary", "pg-shard-2-primary");
    Set<String> pg = Schedule.groups("pg");
    List<Schedule.Planned> plan = Schedule.plan(pg, 3, 30, true, false, false, three);
    assertThat(plan.stream().map(p -> p.target().name())).contains("pg-shard-2-primary");
    assertThat(Schedule.plan(pg, 3, 5, true, false, false, Schedule.targets(List.of(0, 1))))
        .isEqualTo(Schedule.plan(pg, 3, 5));
  }
}
