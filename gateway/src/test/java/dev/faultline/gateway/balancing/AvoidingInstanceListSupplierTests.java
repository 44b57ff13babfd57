package dev.faultline.gateway.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

class AvoidingInstanceListSupplierTests {
  private final Outliers outliers =
      new Outliers(new OutlierPolicy(1, Duration.ofSeconds(5), Duration.ofSeconds(5)), () -> 0L);
  private final ServiceInstance a = instance("a");
  private final ServiceInstance b = instance("b");
  private final ServiceInstance c = instance("c");
  private final List<ServiceInstance> all = List.of(a, b, c);

  @Test
  void aRetryIsOfferedOnlyInstancesItHasNotTried() {
    assertThat(AvoidingInstanceListSupplier.candidates(all, Set.of(), outliers)).isEqualTo(all);
    assertThat(AvoidingInstanceListSupplier.candidates(all, Set.of("a"), outliers))
        .containsExactly(b, c);
    assertThat(AvoidingInstanceListSupplier.candidates(all, Set.of("a", "b"), outliers))
        .containsExactly(c);
  }

  @Test
  void ejectedInstancesAreSkippedWhileAnyOtherIsLeft() {
    outliers.failed("orders", "b");
    assertThat(AvoidingInstanceListSupplier.candidates(all, Set.of(), outliers))
        .containsExactly(a, c);
    assertThat(AvoidingInstanceListSupplier.candidates(all, Set.of("a", "c"), outliers))
        .containsExactly(b); // ejected but untried beats tried
    outliers.failed("orders", "a");
    outliers.failed("orders", "c");
    assertThat(AvoidingInstanceListSupplier.candidates(all, Set.of(), outliers)).isEqualTo(all);
    assertThat(AvoidingInstanceListSupplier.candidates(all, Set.of("a", "b", "c"), outliers))
        .isEqualTo(all); // better a doubtful instance than no attempt
  }

  private static ServiceInstance instance(String id) {
    return new DefaultServiceInstance(id, "orders", "127.0.0.1", 9000 + id.charAt(0), false);
  }
}
