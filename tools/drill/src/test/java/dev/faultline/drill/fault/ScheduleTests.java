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
    assertThatThrownBy(() -> Schedule.groups("services,gateway"))
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
}
