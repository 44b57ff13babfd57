package dev.faultline.e2e;

import static dev.faultline.e2e.GatewayCalls.JSON;
import static dev.faultline.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.cluster.compose.ComposeProject;
import dev.faultline.cluster.process.Commands;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import tools.jackson.databind.JsonNode;

/**
 * The suite in containers, as a user runs it: {@code bin/suite images} builds every image here with
 * no registry, {@code docker-compose up -d} brings the 15 containers of bin/suite's topology up
 * healthy, the README's walk-through works through the published gateway, a killed order-service is
 * invisible to clients, a killed shard primary fails over and rejoins as a replica, a compose drill
 * killing one of each kind passes, and {@code down -v} leaves nothing. The stack runs under its own
 * name and ports (faultline-e2e, 28080), so a user's stack is left alone. Without a Docker engine
 * the test is skipped, and says so.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(
    value = "dockerAnswers",
    disabledReason =
        "no Docker engine or compose here: the container tests are skipped (install docker.io and"
            + " docker-compose and start dockerd; .ci/run does)")
class ComposeEndToEndIT {
  private static final Path REPO = Path.of(System.getProperty("suite.repo"));
  private static final String PROJECT = "faultline-e2e";
  private static final int GATEWAY_PORT = 28080;
  private static final int PROMETHEUS_PORT = 29090;
  private static final String MISSING_ORDER = "/api/orders/00000000-0000-4000-8000-000000000001";
  private static final List<String> IMAGES =
      List.of(
          "gateway",
          "lock-service",
          "shard-router",
          "order-service",
          "payment-service",
          "zookeeper",
          "postgres",
          "secrets",
          "prometheus");
  private static final GatewayCalls gateway = new GatewayCalls("http://127.0.0.1:" + GATEWAY_PORT);

  private static Cli compose;
  private static Cli suite;
  private static ComposeProject project;
  private static String customerToken;
  private static String adminToken;

  private static Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("COMPOSE_PROJECT_NAME", PROJECT);
    env.put("GATEWAY_PORT", Integer.toString(GATEWAY_PORT));
    env.put("PROMETHEUS_PORT", Integer.toString(PROMETHEUS_PORT));
    env.put("GRAFANA_PORT", "23000");
    return env;
  }

  /** The class's condition: each test is reported skipped, with the reason, when this is false. */
  static boolean dockerAnswers() {
    boolean answers =
        ComposeProject.engineAvailable() && Cli.compose(REPO, environment()).isPresent();
    if (!answers) {
      System.out.println(
          "ComposeEndToEndIT: skipped, no Docker engine or compose answers here (install docker.io"
              + " and docker-compose and start dockerd; .ci/run does)");
    }
    return answers;
  }

  @BeforeAll
  static void cleanSlate() throws Exception {
    compose = Cli.compose(REPO, environment()).orElseThrow();
    suite = Cli.suite(REPO, environment());
    project = new ComposeProject(PROJECT);
    compose.run(Duration.ofMinutes(3), "down", "-v", "--remove-orphans"); // an aborted run's
  }

  @AfterAll
  static void down() throws Exception {
    if (project != null) {
      project.close();
    }
    if (compose != null) {
      compose.run(Duration.ofMinutes(3), "down", "-v", "--remove-orphans");
    }
  }

  @Test
  @Order(1)
  void everyImageIsBuiltHereWithNoRegistryAndARebuildReusesIt() throws Exception {
    long started = System.nanoTime();
    String first = suite.ok(Duration.ofMinutes(25), "images");
    long firstSeconds = (System.nanoTime() - started) / 1_000_000_000;
    System.out.println(first);
    Map<String, Integer> sizes = sizes(first);
    for (String image : IMAGES) {
      assertThat(sizes).as(image).containsKey(image);
    }
    for (String service :
        List.of("gateway", "lock-service", "shard-router", "order-service", "payment-service")) {
      assertThat(sizes.get(service)).as(service + " image, MB").isLessThanOrEqualTo(250);
    }

    started = System.nanoTime();
    String again = suite.ok(Duration.ofMinutes(5), "images");
    long againSeconds = (System.nanoTime() - started) / 1_000_000_000;
    System.out.printf(
        "bin/suite images: first run %d s, rerun on an unchanged tree %d s; sizes (MB) %s%n",
        firstSeconds, againSeconds, sizes);
    assertThat(again).contains("faultline/debian:").contains("(cached)");
    for (String image : IMAGES) {
      assertThat(again).containsPattern("faultline/" + image + ":\\S+ unchanged");
    }
  }

  @Test
  @Order(2)
  void theStackComesUpHealthyWithOnlyTheGatewayAndPrometheusPublished() throws Exception {
    long started = System.nanoTime();
    System.out.println(compose.ok(Duration.ofMinutes(12), "up", "-d"));
    awaitHealthy(Duration.ofMinutes(5));
    System.out.printf(
        "%s up -d: all %d containers healthy in %d s%n",
        compose.program(), SuiteMembers.ALL.size(), (System.nanoTime() - started) / 1_000_000_000);

    List<ComposeProject.Container> containers = project.containers();
    Set<String> services = new HashSet<>();
    containers.forEach(c -> services.add(c.service()));
    assertThat(services).containsAll(SuiteMembers.ALL).contains("prometheus", "secrets");
    assertThat(project.container("secrets").orElseThrow().state()).isEqualTo("exited");

    // Published: the gateway and Prometheus, on loopback only; nothing else.
    String published =
        ComposeProject.docker(
            Duration.ofSeconds(30),
            "ps",
            "--format",
            "{{.Ports}}",
            "--filter",
            "label=com.docker.compose.project=" + PROJECT);
    List<String> bindings = new ArrayList<>();
    Matcher m = Pattern.compile("([0-9.:\\[\\]]+):(\\d+)->(\\d+)/tcp").matcher(published);
    while (m.find()) {
      bindings.add(m.group(1) + ":" + m.group(2));
    }
    assertThat(bindings)
        .containsExactlyInAnyOrder("127.0.0.1:" + GATEWAY_PORT, "127.0.0.1:" + PROMETHEUS_PORT);

    customerToken = suite.ok(Duration.ofMinutes(1), "token", "--compose").trim();
    adminToken = suite.ok(Duration.ofMinutes(1), "token", "--compose", "--admin").trim();
  }

  @Test
  @Order(3)
  void theReadmeWalkThroughWorksThroughThePublishedGateway() throws Exception {
    HttpResponse<String> anonymous = gateway.get("/api/shards", null);
    assertProblem(anonymous, 401, "unauthorized");
    // A token from the local suite's key is no key of this stack's.
    assertThat(gateway.get("/api/shards", "not.a.token").statusCode()).isEqualTo(401);

    JsonNode topology = JSON.readTree(gateway.get("/api/shards", customerToken).body());
    assertThat(topology.get("shards")).hasSize(2);
    for (JsonNode shard : topology.get("shards")) {
      assertThat(shard.get("state").asString()).isEqualTo("SYNC");
      assertThat(shard.get("primary").asString()).matches("pg-shard-\\d-(primary|replica):5432");
    }
    JsonNode route =
        JSON.readTree(gateway.get("/api/shards/route?key=customer-42", customerToken).body());
    assertThat(route.has("hash") && route.has("slot") && route.has("shard")).isTrue();

    HttpResponse<String> missing = gateway.get(MISSING_ORDER, customerToken);
    assertProblem(missing, 404, "order-not-found");

    String account = gateway.openAccount("alice", customerToken, 5_000);
    String key = "compose-" + UUID.randomUUID();
    String order = GatewayCalls.orderBody("alice", account, 2_500);
    HttpResponse<String> placed = gateway.post("/api/orders", customerToken, order, key);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    assertThat(JSON.readTree(placed.body()).get("status").asString()).isEqualTo("CONFIRMED");
    HttpResponse<String> replay = gateway.post("/api/orders", customerToken, order, key);
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    HttpResponse<String> reused =
        gateway.post(
            "/api/orders", customerToken, GatewayCalls.orderBody("alice", account, 2_600), key);
    assertThat(reused.statusCode()).isEqualTo(422);
    JsonNode balance = JSON.readTree(gateway.get("/api/accounts/" + account, customerToken).body());
    assertThat(balance.get("balanceCents").asLong()).isEqualTo(2_500);
    assertThat(
            JSON.readTree(gateway.get("/api/accounts/" + account + "/ledger", customerToken).body())
                .size())
        .isGreaterThanOrEqualTo(2);

    String lockName = "compose-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> lease =
        gateway.post(
            "/api/locks/" + lockName + "/acquire",
            customerToken,
            "{\"holder\":\"worker-1\",\"ttlMs\":10000}",
            null);
    assertThat(lease.statusCode()).isEqualTo(200);
    String leaseId = JSON.readTree(lease.body()).get("leaseId").asString();
    assertThat(
            gateway
                .post(
                    "/api/locks/" + lockName + "/acquire",
                    customerToken,
                    "{\"holder\":\"worker-2\",\"ttlMs\":10000}",
                    null)
                .statusCode())
        .isEqualTo(409);
    assertThat(
            gateway
                .post(
                    "/api/locks/" + lockName + "/release",
                    customerToken,
                    "{\"leaseId\":\"" + leaseId + "\"}",
                    null)
                .statusCode())
        .isEqualTo(204);

    // Prometheus scrapes every service instance of the stack.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<String> down = List.of("?");
    while (!down.isEmpty() && System.nanoTime() < deadline) {
      down = new ArrayList<>();
      HttpResponse<String> targets =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/targets"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      for (JsonNode target : JSON.readTree(targets.body()).get("data").get("activeTargets")) {
        if (!"up".equals(target.get("health").asString())) {
          down.add(target.get("scrapeUrl").asString());
        }
      }
      if (!down.isEmpty()) {
        Thread.sleep(2_000);
      }
    }
    assertThat(down).as("Prometheus targets not up").isEmpty();
  }

  @Test
  @Order(4)
  void killingAnOrderServiceContainerIsInvisibleToClientsWithinSeconds() throws Exception {
    project.kill("order-service-1");
    // 100 requests, 100 ms apart: about ten seconds after the kill
    GatewayCalls.Probe probe =
        gateway.probe(MISSING_ORDER, customerToken, 404, 100, Duration.ofMillis(100));
    System.out.printf("after docker kill order-service-1: %s%n", probe);
    assertThat(probe.lastFailure()).isLessThan(30);
    assertThat(probe.failures()).isLessThanOrEqualTo(5);
    project.start("order-service-1", Duration.ofMinutes(5));
  }

  @Test
  @Order(5)
  void killingAShardPrimaryContainerFailsOverAndItRejoinsAsAReplica() throws Exception {
    String account = gateway.keyOnShard("acc-c-", 0, customerToken);
    JsonNode before = JSON.readTree(gateway.get("/api/shards", customerToken).body());
    JsonNode shard0 = before.get("shards").get(0);
    String primary = shard0.get("primary").asString();
    String replica = shard0.get("replicas").get(0).asString();
    String primaryService = primary.substring(0, primary.indexOf(':'));

    project.kill(primaryService);
    long killed = System.nanoTime();
    HttpResponse<String> read =
        gateway.awaitStatus("/api/accounts/" + account, customerToken, 404, Duration.ofSeconds(30));
    double seconds = (System.nanoTime() - killed) / 1e9;
    System.out.printf(
        "after docker kill %s: shard 0 served again in %.1f s%n", primaryService, seconds);
    assertProblem(read, "account-not-found");
    JsonNode after = JSON.readTree(gateway.get("/api/shards", customerToken).body());
    assertThat(after.get("epoch").asLong()).isGreaterThan(before.get("epoch").asLong());
    assertThat(after.get("shards").get(0).get("primary").asString()).isEqualTo(replica);
    // A write on the promoted primary is acknowledged (synchronous replication is the router's
    // to restore once the old primary is back).
    String fresh = gateway.openAccount("alice", customerToken, 100);
    assertThat(fresh).isNotBlank();

    // docker start runs the entrypoint again: the topology says this node was replaced, so it
    // rewinds with pg_rewind and streams from its successor; the shard is SYNC again.
    project.start(primaryService, Duration.ofMinutes(5));
    JsonNode shard = gateway.awaitShardSync(0, customerToken, Duration.ofSeconds(90));
    assertThat(shard.get("state").asString()).isEqualTo("SYNC");
    assertThat(shard.get("primary").asString()).isEqualTo(replica);
    String log =
        ComposeProject.docker(
            Duration.ofSeconds(30), "logs", project.container(primaryService).orElseThrow().id());
    assertThat(log).contains("rewound with pg_rewind, now a replica of " + replica);
  }

  @Test
  @Order(6)
  void aComposeDrillKillingOneOfEachKindPasses() throws Exception {
    Commands.Result drill =
        suite.run(
            Duration.ofMinutes(25),
            "drill",
            "--target",
            "compose",
            "--duration",
            "7m",
            "--faults",
            "order-service,payment-service,lock-service,pg,zk",
            "--rate",
            "6",
            "--seed",
            "7");
    JsonNode report =
        Drills.assertPassedStrikingEveryKind(
            drill, Path.of(System.getenv("SUITE_HOME")), 7, "compose");
    // The stack's own Prometheus gave the report its SLO section.
    assertThat(report.get("slo").get("note").isNull()).as(report.get("slo").toString()).isTrue();
    assertThat(report.get("slo").get("slos").size()).isGreaterThanOrEqualTo(12);
  }

  @Test
  @Order(7)
  void downWithVolumesLeavesNoContainerVolumeOrNetwork() throws Exception {
    compose.ok(Duration.ofMinutes(5), "down", "-v");
    assertThat(project.containers()).isEmpty();
    for (String kind : List.of("volume", "network")) {
      String left =
          ComposeProject.docker(
              Duration.ofSeconds(30),
              kind,
              "ls",
              "-q",
              "--filter",
              "label=com.docker.compose.project=" + PROJECT);
      assertThat(left.strip()).as(kind + "s of the project").isEmpty();
    }
  }

  /** Waits until every container of the suite's topology runs and is healthy. */
  private static void awaitHealthy(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> waiting = SuiteMembers.ALL;
    while (System.nanoTime() < deadline) {
      List<ComposeProject.Container> containers = project.containers();
      waiting =
          SuiteMembers.ALL.stream()
              .filter(
                  name ->
                      containers.stream().noneMatch(c -> c.service().equals(name) && c.healthy()))
              .toList();
      if (waiting.isEmpty()) {
        return;
      }
      Thread.sleep(2_000);
    }
    throw new AssertionError("not healthy after " + timeout + ": " + waiting);
  }

  /** {@code faultline/NAME:VERSION SIZE MB} lines of bin/suite images' table. */
  private static Map<String, Integer> sizes(String output) {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    Matcher m = Pattern.compile("faultline/([a-z-]+):\\S+\\s+(\\d+) MB").matcher(output);
    while (m.find()) {
      sizes.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    return sizes;
  }
}
