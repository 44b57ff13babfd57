package dev.faultline.e2e;

import dev.faultline.cluster.compose.ComposeProject;
import dev.faultline.kubernetes.KObject;
import dev.faultline.kubernetes.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kubelet in miniature: runs the pods of rendered manifests as Docker containers, translating
 * each container spec the way a kubelet and a container runtime would, so the images are proven to
 * work as the manifests configure them, with no cluster. A pod gets its name as host name and its
 * StatefulSet's DNS name ({@code zk-0.zk-peers}) as a network alias, a fixed IP (its {@code
 * status.podIP}), its env and envFrom, its user, group and supplementary fsGroup, a read-only root
 * with {@code --cap-drop ALL} and {@code no-new-privileges} as its security context says, its
 * memory and CPU limits, a fresh volume for each emptyDir, Secrets and ConfigMaps as read-only
 * files (defaultMode, group fsGroup) and a named volume per claim. Probes are run by {@link
 * #ready}: exec as {@code docker exec}, httpGet and tcpSocket from inside the pod's own network
 * namespace. What it does not emulate: scheduling, Services' virtual IPs, NetworkPolicies,
 * restarts.
 */
final class Kubelet implements AutoCloseable {
  /** A pod it runs: its name, IP, container name and the spec it came from. */
  record Pod(String name, String ip, String container, KObject workload) {}

  private final String prefix;
  private final String network;
  private final String subnet;
  private final Manifests manifests;
  private final Manifests generated;
  private final Path scratch;
  private final Map<String, Pod> pods = new LinkedHashMap<>();
  private final java.util.Set<String> published = new java.util.HashSet<>();
  private final List<String> volumes = new ArrayList<>();
  private int nextIp = 10;

  private Kubelet(
      String prefix,
      String network,
      String subnet,
      Manifests manifests,
      Manifests generated,
      Path scratch) {
    this.prefix = prefix;
    this.network = network;
    this.subnet = subnet;
    this.manifests = manifests;
    this.generated = generated;
    this.scratch = scratch;
  }

  /** A fresh network for {@code prefix}'s pods; {@code generated} holds the Secrets. */
  static Kubelet start(String prefix, Manifests manifests, Manifests generated) throws IOException {
    IOException last = null;
    for (int third = 131; third < 160; third++) {
      String subnet = "172.29." + third;
      try {
        docker(
            Duration.ofSeconds(30),
            "network",
            "create",
            "--subnet",
            subnet + ".0/24",
            prefix + "-net");
        return new Kubelet(
            prefix,
            prefix + "-net",
            subnet,
            manifests,
            generated,
            Files.createTempDirectory(prefix));
      } catch (IOException e) {
        last = e; // taken by another network: the next one
      }
    }
    throw last;
  }

  /**
   * Like a {@code kubectl port-forward}: the workload's pods' {@code http} port also on a loopback
   * port of this machine ({@link #forwarded}).
   */
  Kubelet forward(String workload) {
    published.add(workload);
    return this;
  }

  /** The loopback address a forwarded pod's http port is reachable at. */
  String forwarded(Pod pod) throws IOException {
    int port = port(pod, "http");
    String mapping = docker(Duration.ofSeconds(20), "port", pod.container(), port + "/tcp").trim();
    String first =
        mapping.lines().filter(l -> l.startsWith("127.0.0.1:")).findFirst().orElseThrow();
    return "http://" + first;
  }

  /** Starts every workload's pods, as many as each asks for, all at once. */
  List<Pod> runAll() throws IOException {
    List<Pod> started = new ArrayList<>();
    for (KObject workload : manifests.workloads()) {
      started.addAll(run(workload.kind(), workload.name(), workload.replicas()));
    }
    return started;
  }

  /** Starts the pods of {@code workload} (all at once, as podManagementPolicy: Parallel). */
  List<Pod> run(String kind, String name, int replicas) throws IOException {
    KObject workload = manifests.find(kind, name).orElseThrow();
    List<Pod> started = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      String podName = name + "-" + i;
      Pod pod = new Pod(podName, subnet + "." + nextIp++, prefix + "-" + podName, workload);
      docker(Duration.ofSeconds(60), arguments(pod).toArray(String[]::new));
      pods.put(podName, pod);
      started.add(pod);
    }
    return started;
  }

  Pod pod(String name) {
    return pods.get(name);
  }

  /** {@code docker run} for {@code pod}: its containers' first one (the suite's pods have one). */
  private List<String> arguments(Pod pod) throws IOException {
    KObject w = pod.workload();
    Map<String, Object> spec = w.podSpec();
    Map<String, Object> container = w.containers().getFirst();
    Map<String, Object> podSecurity = KObject.map(spec, "securityContext");
    Map<String, Object> security = KObject.map(container, "securityContext");
    List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", pod.container()));
    args.addAll(List.of("--hostname", pod.name(), "--network", network, "--ip", pod.ip()));
    if (w.kind().equals("StatefulSet")) {
      args.addAll(List.of("--network-alias", pod.name() + "." + w.spec().get("serviceName")));
    }
    args.addAll(
        List.of("--user", podSecurity.get("runAsUser") + ":" + podSecurity.get("runAsGroup")));
    if (podSecurity.containsKey("fsGroup")) {
      args.addAll(List.of("--group-add", String.valueOf(podSecurity.get("fsGroup"))));
    }
    if (Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
      args.add("--read-only");
    }
    for (String capability :
        KObject.stringList(KObject.map(security, "capabilities").get("drop"))) {
      args.addAll(List.of("--cap-drop", capability));
    }
    if (Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
      args.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    Map<String, Object> limits = KObject.map(KObject.map(container, "resources"), "limits");
    if (limits.containsKey("memory")) {
      args.addAll(
          List.of(
              "--memory",
              String.valueOf(limits.get("memory")).replace("Mi", "m").replace("Gi", "g")));
    }
    for (var env : environment(pod, container).entrySet()) {
      args.addAll(List.of("--env", env.getKey() + "=" + env.getValue()));
    }
    Map<String, Map<String, Object>> volumesByName = new LinkedHashMap<>();
    for (Map<String, Object> volume : KObject.maps(spec.get("volumes"))) {
      volumesByName.put(String.valueOf(volume.get("name")), volume);
    }
    for (Map<String, Object> claim : KObject.maps(w.spec().get("volumeClaimTemplates"))) {
      volumesByName.put(
          String.valueOf(KObject.map(claim, "metadata").get("name")), Map.of("claim", true));
    }
    for (Map<String, Object> mount : KObject.maps(container.get("volumeMounts"))) {
      String path = String.valueOf(mount.get("mountPath"));
      Map<String, Object> volume = volumesByName.get(String.valueOf(mount.get("name")));
      if (volume.containsKey("emptyDir")) {
        // A fresh, disk-backed folder the pod may write (an anonymous volume: Docker's tmpfs takes
        // the image folder's mode but not its owner, which no kubelet does).
        args.addAll(List.of("--mount", "type=volume,dst=" + path));
      } else if (volume.containsKey("claim")) {
        String name = prefix + "-" + mount.get("name") + "-" + pod.name();
        volumes.add(name);
        args.addAll(List.of("--volume", name + ":" + path));
      } else {
        Path dir = files(pod, volume, podSecurity.get("fsGroup"));
        args.addAll(List.of("--volume", dir + ":" + path + ":ro"));
      }
    }
    if (published.contains(w.name())) {
      args.addAll(List.of("--publish", "127.0.0.1::" + port(pod, "http")));
    }
    args.add(String.valueOf(container.get("image")));
    return args;
  }

  /** env, then envFrom, as the kubelet resolves them (env wins). */
  private Map<String, String> environment(Pod pod, Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> from : KObject.maps(container.get("envFrom"))) {
      String name = String.valueOf(KObject.map(from, "configMapRef").get("name"));
      KObject.map(manifests.find("ConfigMap", name).orElseThrow().tree(), "data")
          .forEach((k, v) -> env.put(k, String.valueOf(v)));
    }
    for (Map<String, Object> e : KObject.maps(container.get("env"))) {
      String key = String.valueOf(e.get("name"));
      if (e.containsKey("value")) {
        env.put(key, String.valueOf(e.get("value")));
      } else {
        String field =
            String.valueOf(KObject.map(KObject.map(e, "valueFrom"), "fieldRef").get("fieldPath"));
        env.put(
            key,
            switch (field) {
              case "metadata.name" -> pod.name();
              case "status.podIP" -> pod.ip();
              default -> throw new IllegalArgumentException("not emulated: fieldRef " + field);
            });
      }
    }
    return env;
  }

  /** A Secret's or ConfigMap's keys as files, mode defaultMode, group fsGroup (as the kubelet). */
  private Path files(Pod pod, Map<String, Object> volume, Object fsGroup) throws IOException {
    boolean secret = volume.containsKey("secret");
    Map<String, Object> source = KObject.map(volume, secret ? "secret" : "configMap");
    String name = String.valueOf(source.get(secret ? "secretName" : "name"));
    KObject object =
        generated
            .find(secret ? "Secret" : "ConfigMap", name)
            .or(() -> manifests.find("ConfigMap", name))
            .orElseThrow(() -> new IllegalStateException("nothing makes " + name));
    Path dir = scratch.resolve(pod.name() + "-" + volume.get("name"));
    Files.createDirectories(dir);
    int mode = source.get("defaultMode") instanceof Number n ? n.intValue() : 0644;
    for (var entry : KObject.map(object.tree(), "data").entrySet()) {
      Path file = dir.resolve(entry.getKey());
      byte[] value =
          secret
              ? Base64.getDecoder().decode(String.valueOf(entry.getValue()))
              : String.valueOf(entry.getValue()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Files.write(file, value);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions(mode)));
      if (fsGroup != null && "root".equals(System.getProperty("user.name"))) {
        Files.setAttribute(file, "unix:gid", ((Number) fsGroup).intValue());
      }
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  private static String permissions(int mode) {
    StringBuilder s = new StringBuilder();
    for (int shift = 6; shift >= 0; shift -= 3) {
      int bits = (mode >> shift) & 7;
      s.append((bits & 4) != 0 ? 'r' : '-')
          .append((bits & 2) != 0 ? 'w' : '-')
          .append((bits & 1) != 0 ? 'x' : '-');
    }
    // When not root, the test user owns the files and the container's user may not be it: let
    // "others" read too, or nothing could be read at all (the root CI run keeps the exact mode).
    if (!"root".equals(System.getProperty("user.name"))) {
      s.setCharAt(6, 'r');
    }
    return s.toString();
  }

  /** Whether the pod's readiness probe passes now, run as the kubelet would. */
  boolean ready(Pod pod) {
    Map<String, Object> probe =
        KObject.map(pod.workload().containers().getFirst(), "readinessProbe");
    try {
      List<String> command = KObject.stringList(KObject.map(probe, "exec").get("command"));
      if (!command.isEmpty()) {
        List<String> args = new ArrayList<>(List.of("exec", pod.container()));
        args.addAll(command);
        docker(Duration.ofSeconds(10), args.toArray(String[]::new));
        return true;
      }
      Map<String, Object> http = KObject.map(probe, "httpGet");
      int port = port(pod, http.get("port"));
      String status =
          docker(
              Duration.ofSeconds(10),
              "exec",
              pod.container(),
              "bash",
              "-c",
              "exec 3<>/dev/tcp/127.0.0.1/"
                  + port
                  + " && printf 'GET "
                  + http.get("path")
                  + " HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n' >&3"
                  + " && head -1 <&3");
      return status.contains(" 200 ");
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits until every pod is ready; fails with the pods that are not, and their logs' tails. */
  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> unready = pods.values().stream().filter(p -> !ready(p)).map(Pod::name).toList();
      if (unready.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        for (String name : unready) {
          logs.append("\n--- ").append(name).append('\n').append(logs(pods.get(name), 30));
        }
        throw new AssertionError("not ready after " + timeout + ": " + unready + logs);
      }
      Thread.sleep(2_000);
    }
  }

  /** The container port named or numbered {@code port}. */
  static int port(Pod pod, Object port) {
    for (Map<String, Object> p :
        KObject.maps(pod.workload().containers().getFirst().get("ports"))) {
      if (String.valueOf(p.get("name")).equals(String.valueOf(port))
          || String.valueOf(p.get("containerPort")).equals(String.valueOf(port))) {
        return ((Number) p.get("containerPort")).intValue();
      }
    }
    throw new IllegalArgumentException(pod.name() + " has no port " + port);
  }

  String logs(Pod pod, int lines) {
    try {
      return docker(
          Duration.ofSeconds(20), "logs", "--tail", Integer.toString(lines), pod.container());
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** A crash: SIGKILL to the pod's first process. */
  void kill(Pod pod) throws IOException {
    docker(Duration.ofSeconds(30), "kill", "--signal", "KILL", pod.container());
  }

  /** The StatefulSet's replacement: the same name, claims and address, started afresh. */
  void replace(Pod pod) throws IOException {
    docker(Duration.ofSeconds(60), "start", pod.container());
  }

  String exec(Pod pod, String... command) throws IOException {
    List<String> args = new ArrayList<>(List.of("exec", pod.container()));
    args.addAll(List.of(command));
    return docker(Duration.ofSeconds(30), args.toArray(String[]::new));
  }

  Optional<Pod> find(String name) {
    return Optional.ofNullable(pods.get(name));
  }

  @Override
  public void close() {
    for (Pod pod : pods.values()) {
      quietly("rm", "--force", "--volumes", pod.container());
    }
    for (String volume : volumes) {
      quietly("volume", "rm", "--force", volume);
    }
    quietly("network", "rm", network);
  }

  /** What an aborted earlier run left behind under {@code prefix}. */
  static void cleanUp(String prefix) {
    try {
      String containers =
          docker(
              Duration.ofSeconds(30),
              "ps",
              "--all",
              "--quiet",
              "--filter",
              "name=^" + prefix + "-");
      for (String id : containers.split("\\s+")) {
        if (!id.isBlank()) {
          quietly("rm", "--force", "--volumes", id);
        }
      }
      String volumes =
          docker(
              Duration.ofSeconds(30),
              "volume",
              "ls",
              "--quiet",
              "--filter",
              "name=^" + prefix + "-");
      for (String volume : volumes.split("\\s+")) {
        if (!volume.isBlank()) {
          quietly("volume", "rm", "--force", volume);
        }
      }
      quietly("network", "rm", prefix + "-net");
    } catch (IOException e) {
      // nothing to clean
    }
  }

  private static void quietly(String... args) {
    try {
      docker(Duration.ofSeconds(60), args);
    } catch (IOException e) {
      // already gone
    }
  }

  private static String docker(Duration timeout, String... args) throws IOException {
    return ComposeProject.docker(timeout, args);
  }
}
