package dev.faultline.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubectlTests {
  /** What every call in context prod and namespace faultline starts with. */
  private static final List<String> PROD =
      List.of("kubectl", "--context", "prod", "--namespace", "faultline");

  private static List<String> prod(String... args) {
    List<String> command = new ArrayList<>(PROD);
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void everyCallNamesItsContextAndNamespaceAndTheKillIsAForcedDeleteWithNoGrace() throws Exception {
    List<List<String>> calls = new ArrayList<>();
    Kubectl kubectl =
        new Kubectl(
            "prod",
            "faultline",
            (command, timeout) -> {
              calls.add(command);
              assertThat(timeout).isEqualTo(Duration.ofSeconds(30));
              return "2";
            });
    kubectl.deletePod("zk-1");
    assertThat(kubectl.replicas("statefulset/zk")).isEqualTo(2);
    assertThat(kubectl.exec("pg-shard-0-1", "postgres").command("echo hi"))
        .containsExactlyElementsOf(
            prod(
                "exec",
                "--stdin",
                "pg-shard-0-1",
                "--container",
                "postgres",
                "--",
                "bash",
                "-c",
                "echo hi"));
    assertThat(calls)
        .containsExactly(
            prod("delete", "pod", "zk-1", "--grace-period=0", "--force", "--wait=false"),
            prod("get", "statefulset/zk", "--output", "jsonpath={.spec.replicas}"));
    assertThat(new Kubectl(null, "faultline", (c, t) -> "").command("get", "pods"))
        .containsExactly("kubectl", "--namespace", "faultline", "get", "pods");
  }

  @Test
  void aFailureSaysWhatKubectlSaidWithoutItsClientLogLines() {
    String stderr =
        "E1202 05:06:15.847151   22165 memcache.go:265] \"Unhandled Error\" err=\"couldn't get\"\n"
            + "E1202 05:06:15.848397   22165 memcache.go:265] \"Unhandled Error\"\n"
            + "The connection to the server localhost:8080 was refused - did you specify the right"
            + " host or port?\n";
    assertThat(Kubectl.message(stderr))
        .isEqualTo(
            "The connection to the server localhost:8080 was refused - did you specify the right"
                + " host or port?");
  }
}
