package dev.faultline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import dev.faultline.cluster.compose.ComposeProject;
import dev.faultline.cluster.kubernetes.ClusterSecrets;
import dev.faultline.kubernetes.Manifests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every pod of k8s/overlays/local, with the real images and no cluster: the ZooKeeper StatefulSet,
 * both shards' StatefulSets and the five services' Deployments at their replica counts, each pod
 * run by {@link Kubelet} exactly as its rendered spec says (the same env and ConfigMaps, the
 * Secrets of bin/suite k8s-secrets, read-only roots, non-root users, dropped capabilities, the
 * memory limits, the StatefulSets' DNS names). The peers find their ids by pod name and form a
 * quorum, each shard's pods find their roles and replicate synchronously, the router serves the
 * topology under those names, and when shard 0's primary pod is killed the router promotes the
 * other pod, and the replaced pod rewinds and rejoins as a replica.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(
    value = "dockerAnswers",
    disabledReason = "no Docker engine here: the pod tests are skipped (.ci/run starts one)")
class KubernetesPodsIT {
  private static final Path REPO = Path.of(System.getProperty("suite.repo"));
  private static final String PREFIX = "faultline-pods";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private static Kubelet kubelet;
  private static String router;
  private static GatewayCalls gateway;
  private static String admin;
  private static ClusterSecrets cluster;

  static boolean dockerAnswers() {
    return ComposeProject.engineAvailable();
  }

  @BeforeAll
  static void pods() throws Exception {
    // The images, as bin/suite images builds them (a rerun on an unchanged tree takes seconds).
    Cli.suite(REPO).ok(Duration.ofMinutes(25), "images", "--quiet");
    Kubelet.cleanUp(PREFIX);
    Manifests manifests = Manifests.render(REPO.resolve("k8s/overlays/local"));
    Path secrets = Files.createTempDirectory("k8s-secrets");
    cluster = new ClusterSecrets(secrets);
    Manifests generated = Manifests.parse(cluster.manifests());
    admin =
        new TokenMinter(cluster.signingKeys(), Clock.systemUTC())
            .mint(TokenRequest.admin("pods-test", Duration.ofHours(1)));
    kubelet =
        Kubelet.start(PREFIX, manifests, generated).forward("shard-router").forward("gateway");
    long started = System.nanoTime();
    int pods = kubelet.runAll().size();
    kubelet.awaitReady(Duration.ofMinutes(10));
    System.out.printf(
        "KubernetesPodsIT: %d pods ready in %d s%n",
        pods, (System.nanoTime() - started) / 1_000_000_000);
    router = kubelet.forwarded(kubelet.pod("shard-router-0"));
    gateway = new GatewayCalls(kubelet.forwarded(kubelet.pod("gateway-0")));
  }

  @AfterAll
  static void down() {
    if (kubelet != null) {
      kubelet.close();
    }
  }

  @Test
  @Order(1)
  void thePeersFoundTheirIdsByPodNameAndFormedAQuorum() throws Exception {
    List<String> modes = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Kubelet.Pod peer = kubelet.pod("zk-" + i);
      assertThat(
              kubelet
                  .exec(
                      peer,
                      "bash",
                      "-c",
                      "cat /var/lib/zookeeper/*/myid 2>/dev/null || find /var/lib/zookeeper -name myid -exec cat {} +")
                  .trim())
          .as(peer.name() + "'s id")
          .isEqualTo(Integer.toString(i + 1));
      modes.add(
          kubelet.exec(
              peer,
              "bash",
              "-c",
              "exec 3<>/dev/tcp/127.0.0.1/2181; printf srvr >&3; grep ^Mode: <&3"));
    }
    assertThat(modes).filteredOn(m -> m.contains("leader")).hasSize(1);
    assertThat(modes).filteredOn(m -> m.contains("follower")).hasSize(2);
  }

  @Test
  @Order(2)
  void eachShardsPodsFoundTheirRolesAndTheRouterServesTheTopologyByTheirNames() throws Exception {
    JsonNode shards = awaitShards(s -> s.size() == 2 && allSync(s), Duration.ofMinutes(3));
    assertThat(primary(shards, 0)).isEqualTo("pg-shard-0-0.pg-shard-0:5432");
    assertThat(primary(shards, 1)).isEqualTo("pg-shard-1-0.pg-shard-1:5432");
    // The root file systems are read-only, as the pods' security contexts say.
    assertThat(kubelet.exec(kubelet.pod("pg-shard-0-1"), "bash", "-c", "touch /x 2>&1 || true"))
        .contains("Read-only file system");
    assertThat(kubelet.exec(kubelet.pod("pg-shard-0-1"), "id", "-u").trim()).isEqualTo("999");
  }

  @Test
  @Order(3)
  void anOrderThroughTheGatewayIsChargedAndConfirmedByPodsThatFoundEachOtherInZooKeeper()
      throws Exception {
    String customer =
        new TokenMinter(cluster.signingKeys(), Clock.systemUTC())
            .mint(TokenRequest.customer("alice", Duration.ofHours(1)));
    assertThat(gateway.get("/api/shards", null).statusCode()).isEqualTo(401);
    String account = gateway.openAccount("alice", customer, 5_000);
    HttpResponse<String> placed =
        gateway.post(
            "/api/orders",
            customer,
            GatewayCalls.orderBody("alice", account, 2_500),
            "pods-" + java.util.UUID.randomUUID());
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    assertThat(JSON.readTree(placed.body()).get("status").asString()).isEqualTo("CONFIRMED");
    JsonNode balance = JSON.readTree(gateway.get("/api/accounts/" + account, customer).body());
    assertThat(balance.get("balanceCents").asLong()).isEqualTo(2_500);
  }

  @Test
  @Order(4)
  void aKilledPrimaryPodIsFailedOverAndItsReplacementRejoinsAsAReplica() throws Exception {
    Kubelet.Pod primary = kubelet.pod("pg-shard-0-0");
    long killed = System.nanoTime();
    kubelet.kill(primary);
    awaitShards(s -> primary(s, 0).equals("pg-shard-0-1.pg-shard-0:5432"), Duration.ofMinutes(2));
    System.out.printf(
        "KubernetesPodsIT: shard 0 promoted pg-shard-0-1 %d ms after its primary pod was killed%n",
        (System.nanoTime() - killed) / 1_000_000);
    kubelet.replace(primary);
    JsonNode healed = awaitShards(KubernetesPodsIT::allSync, Duration.ofMinutes(4));
    assertThat(primary(healed, 0)).isEqualTo("pg-shard-0-1.pg-shard-0:5432");
    assertThat(kubelet.logs(primary, 200)).contains("rewound with pg_rewind");
    kubelet.awaitReady(Duration.ofMinutes(2)); // streaming from its successor
  }

  // --- the router's topology ------------------------------------------------------------------

  private static JsonNode awaitShards(java.util.function.Predicate<JsonNode> done, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(router + "/api/shards"))
                    .header("Authorization", "Bearer " + admin)
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          last = JSON.readTree(response.body()).get("shards");
          if (done.test(last)) {
            return last;
          }
        }
      } catch (java.io.IOException e) {
        // the router is busy failing over: ask again
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError("the topology did not get there in " + timeout + ": " + last);
  }

  private static boolean allSync(JsonNode shards) {
    for (JsonNode shard : shards) {
      if (!"SYNC".equals(shard.get("state").asString())) {
        return false;
      }
    }
    return true;
  }

  private static String primary(JsonNode shards, int id) {
    for (JsonNode shard : shards) {
      if (shard.get("id").asInt() == id) {
        return shard.get("primary").asString();
      }
    }
    throw new AssertionError("no shard " + id + " in " + shards);
  }
}
