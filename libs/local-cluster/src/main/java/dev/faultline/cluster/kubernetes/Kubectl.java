package dev.faultline.cluster.kubernetes;

import dev.faultline.cluster.compose.ExecTunnel;
import dev.faultline.cluster.process.Commands;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code kubectl} calls the drill makes on a cluster, in one namespace of one context, and
 * nothing else: list pods by label, look at one, delete one as a crash, read a workload's replica
 * count, exec into a pod. Every call goes through a {@link Runner}, so tests see the exact command
 * lines without a cluster.
 */
public final class Kubectl {
  /** Runs one command line, returning its standard output or failing with its error output. */
  public interface Runner {
    String run(List<String> command, Duration timeout) throws IOException;
  }

  /** A pod as the drill needs it: its identity, labels, and whether it serves. */
  public record Pod(
      String name, String uid, Map<String, String> labels, boolean ready, boolean terminating) {}

  /** A Deployment or StatefulSet: how many replicas it asks for, how many are Ready. */
  public record Workload(String name, int replicas, int ready) {
    public boolean whole() {
      return ready >= replicas;
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration CALL = Duration.ofSeconds(30);

  private final @Nullable String context;
  private final String namespace;
  private final Runner runner;

  public Kubectl(@Nullable String context, String namespace, Runner runner) {
    this.context = context;
    this.namespace = namespace;
    this.runner = runner;
  }

  public String namespace() {
    return namespace;
  }

  /** {@code kubectl [--context C] --namespace N ARGS}. */
  public List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add("kubectl");
    if (context != null) {
      command.add("--context");
      command.add(context);
    }
    command.add("--namespace");
    command.add(namespace);
    command.addAll(List.of(args));
    return command;
  }

  /** The pods {@code selector} matches ({@code a=b,c=d}), by name. */
  public List<Pod> pods(String selector) throws IOException {
    JsonNode list = JSON.readTree(run("get", "pods", "--selector", selector, "--output", "json"));
    List<Pod> pods = new ArrayList<>();
    for (JsonNode item : list.path("items")) {
      pods.add(pod(item));
    }
    pods.sort(java.util.Comparator.comparing(Pod::name));
    return pods;
  }

  /** The Deployments and StatefulSets {@code selector} matches, as {@code kind/name}. */
  public List<Workload> workloads(String selector) throws IOException {
    JsonNode list =
        JSON.readTree(
            run("get", "deployments,statefulsets", "--selector", selector, "--output", "json"));
    List<Workload> workloads = new ArrayList<>();
    for (JsonNode item : list.path("items")) {
      workloads.add(
          new Workload(
              item.path("kind").asString().toLowerCase(java.util.Locale.ROOT)
                  + "/"
                  + item.path("metadata").path("name").asString(),
              item.path("spec").path("replicas").asInt(1),
              item.path("status").path("readyReplicas").asInt(0)));
    }
    return workloads;
  }

  /** One pod, if it exists. */
  public Optional<Pod> pod(String name) throws IOException {
    try {
      return Optional.of(pod(JSON.readTree(run("get", "pod", name, "--output", "json"))));
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("NotFound")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * A crash: the pod is deleted with no grace period and without waiting for its kubelet, so its
   * processes get SIGKILL and its controller replaces it at once.
   */
  public void deletePod(String name) throws IOException {
    run("delete", "pod", name, "--grace-period=0", "--force", "--wait=false");
  }

  /**
   * How many replicas {@code workload} ({@code deployment/gateway}, {@code statefulset/zk}) asks
   * for.
   */
  public int replicas(String workload) throws IOException {
    return Integer.parseInt(run("get", workload, "--output", "jsonpath={.spec.replicas}").trim());
  }

  /** Runs {@code kubectl ARGS} in this context and namespace. */
  public String run(String... args) throws IOException {
    return runner.run(command(args), CALL);
  }

  /** {@code kubectl exec -i POD -c CONTAINER -- bash -c SCRIPT}, for a tunnel into the pod. */
  public ExecTunnel.Exec exec(String pod, String container) {
    return script ->
        command("exec", "--stdin", pod, "--container", container, "--", "bash", "-c", script);
  }

  private static Pod pod(JsonNode item) {
    JsonNode metadata = item.path("metadata");
    Map<String, String> labels = new TreeMap<>();
    metadata
        .path("labels")
        .properties()
        .forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
    boolean ready = false;
    for (JsonNode condition : item.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asString())) {
        ready = "True".equals(condition.path("status").asString());
      }
    }
    return new Pod(
        metadata.path("name").asString(),
        metadata.path("uid").asString(),
        labels,
        ready,
        metadata.has("deletionTimestamp"));
  }

  /** Real processes: {@code kubectl} on this machine's PATH. */
  public static Runner processes() {
    return (command, timeout) -> Commands.output(command, timeout, Kubectl::message);
  }

  /**
   * kubectl's own message, without the client library's log lines ({@code E1202 05:06:15.84 ...
   * memcache.go:265] ...}) that it prints before it when the API server cannot be reached.
   */
  static String message(String stderr) {
    String kept =
        stderr
            .lines()
            .filter(line -> !line.matches("^[EWIF]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d+ .*"))
            .filter(line -> !line.isBlank())
            .collect(java.util.stream.Collectors.joining("; "));
    return kept.isEmpty() ? stderr.trim() : kept;
  }
}
