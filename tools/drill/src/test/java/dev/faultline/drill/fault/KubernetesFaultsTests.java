package dev.faultline.drill.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.cluster.kubernetes.Kubectl;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The exact kubectl calls of the drill's Kubernetes target, with kubectl answering as a cluster
 * does (its JSON), and no cluster: the kill, the restore and the steady check.
 */
class KubernetesFaultsTests {
  private static final String NS = "kubectl --context kind-faultline --namespace faultline";

  /** Answers each command line with the next of its queued outputs (the last one repeats). */
  static final class FakeKubectl implements Kubectl.Runner {
    final List<String> calls = new ArrayList<>();
    final Map<String, Deque<String>> answers = new LinkedHashMap<>();

    FakeKubectl answer(String command, String... outputs) {
      answers.computeIfAbsent(command, c -> new ArrayDeque<>()).addAll(List.of(outputs));
      return this;
    }

    @Override
    public String run(List<String> command, Duration timeout) throws IOException {
      String line = String.join(" ", command);
      calls.add(line);
      Deque<String> queued = answers.get(line);
      if (queued == null || queued.isEmpty()) {
        throw new IOException(line + " failed: Error from server (NotFound)");
      }
      return queued.size() > 1 ? queued.poll() : queued.peek();
    }
  }

  static String pod(String name, String uid, String app, boolean ready, boolean terminating) {
    return """
        {"metadata": {"name": "%s", "uid": "%s", %s"labels": {"app.kubernetes.io/name": "%s"}},
         "status": {"conditions": [{"type": "Ready", "status": "%s"}]}}"""
        .formatted(
            name,
            uid,
            terminating ? "\"deletionTimestamp\": \"2026-12-02T05:00:00Z\", " : "",
            app,
            ready ? "True" : "False");
  }

  static String list(String... items) {
    return "{\"items\": [" + String.join(",", items) + "]}";
  }

  private final FakeKubectl kubectl = new FakeKubectl();
  private final AtomicLong now = new AtomicLong();
  private boolean shardsSync = true;

  private KubernetesFaults faults() {
    return new KubernetesFaults(
        new Kubectl("kind-faultline", "faultline", kubectl),
        new KubernetesFaults.Primaries() {
          @Override
          public String primaryHost(Target target) {
            return target.name().equals("pg-shard-1-primary")
                ? "pg-shard-1-1.pg-shard-1"
                : "pg-shard-0-0.pg-shard-0";
          }

          @Override
          public boolean allShardsSync() {
            return shardsSync;
          }
        },
        d -> now.addAndGet(d.toNanos()),
        now::get);
  }

  @Test
  void aServiceInstanceIsItsGroupsNthPodByNameAndTheKillIsAForcedDeleteWithNoGrace()
      throws Exception {
    String selector = "app.kubernetes.io/instance=faultline,app.kubernetes.io/name=order-service";
    kubectl
        .answer(
            NS + " get pods --selector " + selector + " --output json",
            list(
                pod("order-service-7f9-b2", "u2", "order-service", true, false),
                pod("order-service-7f9-a1", "u1", "order-service", true, false)))
        .answer(
            NS + " get pod order-service-7f9-b2 --output json",
            pod("order-service-7f9-b2", "u2", "order-service", true, false))
        .answer(NS + " delete pod order-service-7f9-b2 --grace-period=0 --force --wait=false", "");
    KubernetesFaults faults = faults();

    String instance =
        faults.resolve(new Target("order-service-2", "order-service", FaultKind.SERVICES));
    assertThat(instance).isEqualTo("order-service-7f9-b2");
    faults.kill(instance);

    assertThat(kubectl.calls)
        .containsExactly(
            NS + " get pods --selector " + selector + " --output json",
            NS + " get pod order-service-7f9-b2 --output json",
            NS + " delete pod order-service-7f9-b2 --grace-period=0 --force --wait=false");
  }

  @Test
  void restoreWaitsUntilTheWorkloadIsWholeAgainWithoutTheKilledPod() throws Exception {
    String selector = "app.kubernetes.io/instance=faultline,app.kubernetes.io/name=zookeeper";
    kubectl
        .answer(NS + " get pod zk-1 --output json", pod("zk-1", "old", "zookeeper", true, false))
        .answer(NS + " delete pod zk-1 --grace-period=0 --force --wait=false", "")
        .answer(NS + " get statefulset/zk --output jsonpath={.spec.replicas}", "3")
        .answer(
            NS + " get pods --selector " + selector + " --output json",
            // right after the delete: the old pod still listed, terminating
            list(
                pod("zk-0", "a", "zookeeper", true, false),
                pod("zk-1", "old", "zookeeper", true, true),
                pod("zk-2", "c", "zookeeper", true, false)),
            // its replacement, same name, new uid, not ready yet
            list(
                pod("zk-0", "a", "zookeeper", true, false),
                pod("zk-1", "new", "zookeeper", false, false),
                pod("zk-2", "c", "zookeeper", true, false)),
            list(
                pod("zk-0", "a", "zookeeper", true, false),
                pod("zk-1", "new", "zookeeper", true, false),
                pod("zk-2", "c", "zookeeper", true, false)));
    KubernetesFaults faults = faults();

    String instance = faults.resolve(new Target("zk-2", "zookeeper", FaultKind.ZK));
    assertThat(instance).isEqualTo("zk-1");
    faults.kill(instance);
    faults.restore(instance);

    assertThat(kubectl.calls)
        .containsExactly(
            NS + " get pod zk-1 --output json",
            NS + " delete pod zk-1 --grace-period=0 --force --wait=false",
            NS + " get statefulset/zk --output jsonpath={.spec.replicas}",
            NS + " get pods --selector " + selector + " --output json",
            NS + " get pods --selector " + selector + " --output json",
            NS + " get pods --selector " + selector + " --output json");
  }

  @Test
  void aShardsPrimaryIsThePodTheTopologyNamesAndItsRestoreWatchesItsOwnStatefulSet()
      throws Exception {
    String selector =
        "app.kubernetes.io/instance=faultline,app.kubernetes.io/name=postgres,faultline.dev/shard=1";
    kubectl
        .answer(
            NS + " get pod pg-shard-1-1 --output json",
            pod("pg-shard-1-1", "old", "postgres", true, false))
        .answer(NS + " delete pod pg-shard-1-1 --grace-period=0 --force --wait=false", "")
        .answer(NS + " get statefulset/pg-shard-1 --output jsonpath={.spec.replicas}", "2")
        .answer(
            NS + " get pods --selector " + selector + " --output json",
            list(
                pod("pg-shard-1-0", "a", "postgres", true, false),
                pod("pg-shard-1-1", "new", "postgres", true, false)));
    KubernetesFaults faults = faults();

    String instance = faults.resolve(new Target("pg-shard-1-primary", "pg-primary", FaultKind.PG));
    assertThat(instance).isEqualTo("pg-shard-1-1");
    faults.kill(instance);
    faults.restore(instance);
    assertThat(kubectl.calls)
        .contains(NS + " get statefulset/pg-shard-1 --output jsonpath={.spec.replicas}")
        .last()
        .isEqualTo(NS + " get pods --selector " + selector + " --output json");
  }

  @Test
  void aReplacementThatNeverBecomesReadyFailsTheRestoreAfterFiveMinutes() throws Exception {
    String selector = "app.kubernetes.io/instance=faultline,app.kubernetes.io/name=lock-service";
    kubectl
        .answer(
            NS + " get pod lock-service-x --output json",
            pod("lock-service-x", "old", "lock-service", true, false))
        .answer(NS + " delete pod lock-service-x --grace-period=0 --force --wait=false", "")
        .answer(NS + " get deployment/lock-service --output jsonpath={.spec.replicas}", "2")
        .answer(
            NS + " get pods --selector " + selector + " --output json",
            list(
                pod("lock-service-y", "y", "lock-service", true, false),
                pod("lock-service-z", "z", "lock-service", false, false)));
    KubernetesFaults faults = faults();
    faults.kill("lock-service-x");
    assertThatThrownBy(() -> faults.restore("lock-service-x"))
        .hasMessageContaining("deployment/lock-service is not whole PT5M");
    assertThat(now.get()).isGreaterThan(Duration.ofMinutes(5).toNanos());
  }

  @Test
  void steadyIsEveryPodReadyEveryWorkloadWholeAndEveryShardSync() throws Exception {
    String pods = NS + " get pods --selector app.kubernetes.io/part-of=faultline --output json";
    String workloads =
        NS
            + " get deployments,statefulsets --selector app.kubernetes.io/part-of=faultline"
            + " --output json";
    String whole =
        list(
            """
            {"kind": "Deployment", "metadata": {"name": "gateway"},
             "spec": {"replicas": 1}, "status": {"readyReplicas": 1}}""",
            """
            {"kind": "StatefulSet", "metadata": {"name": "zk"},
             "spec": {"replicas": 3}, "status": {"readyReplicas": 3}}""");
    String short1 =
        list(
            """
            {"kind": "StatefulSet", "metadata": {"name": "zk"},
             "spec": {"replicas": 3}, "status": {"readyReplicas": 2}}""");
    kubectl
        .answer(
            pods,
            list(pod("zk-0", "a", "zookeeper", true, false)),
            list(pod("zk-0", "a", "zookeeper", true, false)),
            list(pod("zk-0", "a", "zookeeper", false, false)),
            list(pod("zk-0", "a", "zookeeper", true, false)))
        .answer(workloads, whole, short1, whole, whole);
    KubernetesFaults faults = faults();

    assertThat(faults.steady()).isTrue();
    assertThat(faults.unready()).containsExactly("statefulset/zk (2/3 ready)");
    assertThat(faults.unready()).containsExactly("zk-0");
    shardsSync = false;
    assertThat(faults.steady()).as("a shard not SYNC").isFalse();
    assertThat(kubectl.calls).containsOnly(pods, workloads);
    assertThat(kubectl.calls.subList(0, 2)).containsExactly(pods, workloads);
  }
}
