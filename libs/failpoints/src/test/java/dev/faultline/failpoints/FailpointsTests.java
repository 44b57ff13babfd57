package dev.faultline.failpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FailpointsTests {

  @Test
  void parsesCrashesAtAnyHitAndSleeps() {
    assertThat(Failpoints.parse("order-saga.charged=crash, payment.charge.committed=crash@3"))
        .isEqualTo(
            Map.of(
                "order-saga.charged", new Failpoints.Action.Crash(1),
                "payment.charge.committed", new Failpoints.Action.Crash(3)));
    assertThat(Failpoints.parse("a.b=sleep:250"))
        .isEqualTo(Map.of("a.b", new Failpoints.Action.Sleep(250)));
  }

  @Test
  void nothingIsArmedWithoutASpec() {
    assertThat(Failpoints.parse(null)).isEmpty();
    assertThat(Failpoints.parse("  ")).isEmpty();
  }

  @Test
  void aMalformedSpecFailsLoudlyRatherThanArmingNothing() {
    assertThatThrownBy(() -> Failpoints.parse("order-saga.charged")).hasMessageContaining("name=");
    assertThatThrownBy(() -> Failpoints.parse("x=explode")).hasMessageContaining("action");
    assertThatThrownBy(() -> Failpoints.parse("x=crash@0")).hasMessageContaining("action");
    assertThatThrownBy(() -> Failpoints.parse("Bad Name=crash")).hasMessageContaining("name=");
  }

  @Test
  void anUnarmedFailpointIsANoOp() {
    long started = System.nanoTime();
    assertThatCode(() -> Failpoints.hit("never.armed.here")).doesNotThrowAnyException();
    // No sleep, no crash: this JVM is still here, and at once.
    assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
  }
}
