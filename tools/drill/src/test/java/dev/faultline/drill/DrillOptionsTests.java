package dev.faultline.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.drill.fault.Schedule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillOptionsTests {

  @Test
  void defaultsAreTheContractsAndOptionsParse() {
    DrillOptions defaults = DrillOptions.parse(List.of());
    assertThat(defaults.duration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(defaults.faults()).hasSize(6);

    DrillOptions given =
        DrillOptions.parse(List.of("--duration", "90s", "--faults", "pg,zk", "--seed", "7"));
    assertThat(given.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(given.faults()).containsExactly("pg-primary", "zookeeper");
    assertThat(given.seed()).isEqualTo(7);
    assertThat(DrillOptions.duration("x", "PT3M")).isEqualTo(Duration.ofMinutes(3));

    DrillOptions quiet = DrillOptions.parse(List.of("--faults", "none", "--duration", "10s"));
    assertThat(quiet.faults()).isEmpty();
    assertThat(Schedule.plan(quiet.faults(), 1, 20, Schedule.kills("none"), false)).isEmpty();
  }

  @Test
  void badOptionsAreRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> DrillOptions.parse(List.of("--duration", "5s")))
        .hasMessageContaining("between 10s and 1h");
    assertThatThrownBy(() -> DrillOptions.parse(List.of("--duration", "soon")))
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> DrillOptions.parse(List.of("--rate", "1000")))
        .hasMessageContaining("--rate must be between 1 and 100");
    assertThatThrownBy(() -> DrillOptions.parse(List.of("--seed")))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> DrillOptions.parse(List.of("--chaos", "max")))
        .hasMessageContaining("unknown option --chaos");
  }

  @Test
  void theKubernetesTargetTakesAContextAndANamespaceAndTheHelpSaysWhatItRuns() {
    DrillOptions k8s =
        DrillOptions.parse(List.of("--target", "k8s", "--context", "kind-faultline"));
    assertThat(k8s.target()).isEqualTo("k8s");
    assertThat(k8s.context()).isEqualTo("kind-faultline");
    assertThat(k8s.namespace()).isEqualTo("faultline");
    assertThat(k8s.asMap()).containsEntry("namespace", "faultline");
    assertThat(DrillOptions.parse(List.of("--target", "k8s")).context()).isNull();
    assertThatThrownBy(() -> DrillOptions.parse(List.of("--namespace", "x")))
        .hasMessageContaining("are for --target k8s");
    assertThatThrownBy(
            () -> DrillOptions.parse(List.of("--target", "k8s", "--faults", "services,pause")))
        .hasMessageContaining("pause with --target local or compose");
    assertThat(DrillOptions.parse(List.of("--faults", "pg,pause")).faults())
        .containsExactly("pg-primary");
    assertThat(DrillOptions.USAGE)
        .contains("[--target local|compose|k8s] [--context C] [--namespace N]")
        .contains("kubectl delete pod NAME --grace-period=0 --force --wait=false");
  }

  @Test
  void reshardIsAFlagForTheLocalSuiteOnly() {
    assertThat(DrillOptions.parse(List.of()).reshard()).isFalse();
    DrillOptions reshard =
        DrillOptions.parse(List.of("--reshard", "--duration", "3m", "--faults", "pg"));
    assertThat(reshard.reshard()).isTrue();
    assertThat(reshard.duration()).isEqualTo(Duration.ofMinutes(3));
    assertThat(reshard.asMap()).containsEntry("reshard", true);
    assertThat(DrillOptions.parse(List.of("--seed", "3", "--reshard")).reshard()).isTrue();
    assertThatThrownBy(() -> DrillOptions.parse(List.of("--reshard", "--target", "compose")))
        .hasMessageContaining("only with --target local");
    assertThat(DrillOptions.USAGE).contains("[--reshard]");
  }
}
