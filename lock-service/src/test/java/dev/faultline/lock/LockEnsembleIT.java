package dev.faultline.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.lock.client.LockClient;
import dev.faultline.lock.client.LockClientException;
import dev.faultline.lock.client.LockHandle;
import dev.faultline.testing.Http;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithZooKeeper;
import dev.faultline.testing.ZooKeeperCluster;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two lock-service instances on a three-node ZooKeeper ensemble of its own, killed and partitioned
 * as in production: mutual exclusion under contention across both instances, strictly increasing
 * tokens, a lease outliving its granting instance, a ZooKeeper leader change, and no grant at all
 * without a quorum.
 */
@WithZooKeeper(servers = 3, shared = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LockEnsembleIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TOKEN = TestTokens.customer("worker");

  private static ZooKeeperCluster cluster;
  private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

  @BeforeAll
  static void startInstances(ZooKeeperCluster zooKeeper) {
    cluster = zooKeeper;
    instances.add(start("lock-service-1"));
    instances.add(start("lock-service-2"));
  }

  @AfterAll
  static void stopInstances() {
    instances.forEach(ConfigurableApplicationContext::close);
  }

  private static ConfigurableApplicationContext start(String name) {
    return new SpringApplicationBuilder(LockServiceApplication.class)
        .run(
            "--server.port=0",
            "--faultline.instance-id=" + name,
            "--spring.cloud.zookeeper.connect-string=" + cluster.connectString(),
            "--faultline.auth.public-key-file=" + TestTokens.publicKeyFile());
  }

  private static int port(int instance) {
    return instances
        .get(instance)
        .getEnvironment()
        .getRequiredProperty("local.server.port", Integer.class);
  }

  private static LockClient client(int instance) {
    return new LockClient(URI.create("http://127.0.0.1:" + port(instance)), () -> TOKEN);
  }

  /**
   * A killed instance stays in discovery until its session expires. A call to it is refused before
   * anything is sent, so the client takes it to the next instance, whatever the call; with none
   * left, the failure says what happened (the JDK's refusal has a null message).
   */
  @Test
  @Order(0)
  void aRefusedCallGoesToTheNextInstanceAndAFailureSaysWhy() throws Exception {
    URI dead;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    URI live = URI.create("http://127.0.0.1:" + port(0));
    String lock = "fallthrough-" + UUID.randomUUID();
    try (LockClient locks = LockClient.overInstances(() -> List.of(dead, live), () -> TOKEN)) {
      try (LockHandle held =
          locks.acquire(lock, "h", Duration.ofSeconds(5), Duration.ZERO, h -> {}).orElseThrow()) {
        assertThat(held.fencingToken()).isPositive();
      }
    }
    try (LockClient nowhere = LockClient.overInstances(() -> List.of(dead), () -> TOKEN)) {
      assertThatThrownBy(
              () -> nowhere.acquire(lock, "h", Duration.ofSeconds(5), Duration.ZERO, h -> {}))
          .isInstanceOf(LockClientException.class)
          .hasMessageContaining("ConnectException")
          .hasMessageNotContaining("null");
    }
  }

  @Test
  @Order(1)
  void manyThreadsOnBothInstancesNeverOverlapAndTokensOnlyGrow() throws Exception {
    String lock = "contended-" + UUID.randomUUID();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    List<Long> tokens = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Future<?>> work = new ArrayList<>();
    try (LockClient one = client(0);
        LockClient two = client(1)) {
      for (int t = 0; t < 8; t++) {
        LockClient locks = t % 2 == 0 ? one : two;
        String holder = "thread-" + t;
        work.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 8; i++) {
                    Optional<LockHandle> handle =
                        locks.acquire(
                            lock, holder, Duration.ofSeconds(10), Duration.ofSeconds(30), h -> {});
                    try (LockHandle held = handle.orElseThrow()) {
                      if (inside.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                      }
                      tokens.add(held.fencingToken());
                      Thread.sleep(2);
                      inside.decrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(overlaps.get()).isZero();
    assertThat(tokens).hasSize(64);
    for (int i = 1; i < tokens.size(); i++) {
      assertThat(tokens.get(i)).as("grant %d", i).isGreaterThan(tokens.get(i - 1));
    }
  }

  @Test
  @Order(2)
  void aLeaseOutlivesTheInstanceThatGrantedIt() throws Exception {
    String lock = "survivor-" + UUID.randomUUID();
    HttpResponse<String> granted =
        Http.localhost(port(1))
            .post(
                "/api/locks/" + lock + "/acquire",
                TOKEN,
                "{\"holder\":\"h\",\"ttlMs\":3000,\"waitMs\":0}");
    JsonNode lease = JSON.readTree(granted.body());

    instances.get(1).close(); // the granting instance dies

    // The holder keeps renewing through the other instance, past several TTLs.
    Http other = Http.localhost(port(0));
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> renewed =
          other.post(
              "/api/locks/" + lock + "/renew",
              TOKEN,
              "{\"leaseId\":\"" + lease.get("leaseId").asString() + "\"}");
      assertThat(renewed.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(renewed.body()).get("fencingToken").asLong())
          .isEqualTo(lease.get("fencingToken").asLong());
      Thread.sleep(1000);
    }
    instances.set(1, start("lock-service-2"));
  }

  @Test
  @Order(3)
  void losingTheZooKeeperLeaderOnlyPausesTheService() throws Exception {
    int leader = cluster.leader().orElseThrow();
    cluster.killServer(leader);
    cluster.awaitNewLeader(leader, Duration.ofSeconds(30));
    String lock = "after-election-" + UUID.randomUUID();
    Http http = Http.localhost(port(0));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                http.post(
                            "/api/locks/" + lock + "/acquire",
                            TOKEN,
                            "{\"holder\":\"h\",\"ttlMs\":5000}")
                        .statusCode()
                    == 200);
    cluster.startServer(leader);
    cluster.awaitAllServing(Duration.ofSeconds(30));
  }

  @Test
  @Order(4)
  void withoutAQuorumNothingIsGrantedAndTheAnswerIs503() throws Exception {
    String lock = "no-quorum-" + UUID.randomUUID();
    int leader = cluster.leader().orElseThrow();
    List<Integer> killed = new ArrayList<>();
    for (int id = 1; id <= 3 && killed.size() < 2; id++) {
      if (id != leader) {
        cluster.killServer(id);
        killed.add(id);
      }
    }
    Http http = Http.localhost(port(0));
    String acquire = "{\"holder\":\"h\",\"ttlMs\":60000}";
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> http.post("/api/locks/" + lock + "/acquire", TOKEN, acquire).statusCode() == 503);
    HttpResponse<String> refused = http.post("/api/locks/" + lock + "/acquire", TOKEN, acquire);
    assertThat(refused.statusCode()).isEqualTo(503);
    for (int i = 0; i < 5; i++) { // as long as the quorum is gone, never a grant
      assertThat(
              http.post("/api/locks/" + lock + "/acquire", TestTokens.customer("c" + i), acquire)
                  .statusCode())
          .isEqualTo(503);
      Thread.sleep(200);
    }
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(JSON.readTree(refused.body()).get("type").asString())
        .isEqualTo("urn:faultline:problem:lock-service-unavailable");

    for (int id : killed) {
      cluster.startServer(id);
    }
    cluster.awaitAllServing(Duration.ofSeconds(30));
    // Whatever the attempts during the outage did, nobody else can take the lock from "h", and
    // the holder's retried acquire is answered with its one lease.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> http.get("/api/locks/" + lock, TOKEN).statusCode() != 503);
    HttpResponse<String> other =
        http.post(
            "/api/locks/" + lock + "/acquire",
            TestTokens.customer("other"),
            "{\"holder\":\"x\",\"ttlMs\":5000}");
    HttpResponse<String> state = http.get("/api/locks/" + lock, TOKEN);
    if (state.statusCode() == 200
        && JSON.readTree(state.body()).get("holder").asString().equals("h")) {
      assertThat(other.statusCode())
          .isEqualTo(409); // granted during the outage after all: one lease
    } else {
      assertThat(other.statusCode()).isEqualTo(200); // never granted: free
    }
  }
}
