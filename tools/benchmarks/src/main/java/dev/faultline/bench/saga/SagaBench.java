package dev.faultline.bench.saga;

import dev.faultline.bench.Bench;
import dev.faultline.bench.ClosedLoop;
import dev.faultline.bench.Latencies;
import dev.faultline.bench.ProcessCpu;
import dev.faultline.bench.RunningSuite;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/bench saga [--sagas 400] [--clients 4]}: against the running local suite, {@code
 * clients} threads place orders that run the whole saga (account check, order and saga rows, leased
 * and fenced charge with its ledger entries, confirm) through the gateway, next to the services'
 * own statements run from this process ({@link SagaFloor}: the floor PostgreSQL sets, no HTTP, no
 * services, no lease). Blocks of 40 sagas alternate between the two so both see the same machine.
 * Reports sagas per second and per-saga p50/p99, and the ratios. With {@code --cpu}, then each path
 * alone for as many sagas again, with the CPU each suite process spent per saga ({@link
 * ProcessCpu}).
 */
public final class SagaBench {
  private static final int BLOCK = 40;

  /** Orders answered 202 (the saga finished after the request), followed to CONFIRMED. */
  private static final java.util.concurrent.atomic.LongAdder ACCEPTED =
      new java.util.concurrent.atomic.LongAdder();

  /** Orders the gateway shed (503 overloaded), sent again after its Retry-After. */
  private static final java.util.concurrent.atomic.LongAdder SHED =
      new java.util.concurrent.atomic.LongAdder();

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private SagaBench() {}

  public static void run(String[] args) throws Exception {
    int sagas = Math.min(5_000, Bench.intArg(args, "--sagas", 400));
    int clients = Math.max(1, Math.min(16, Bench.intArg(args, "--clients", 4)));
    RunningSuite suite = RunningSuite.fromEnvironment();
    String admin = suite.adminToken();
    String run = UUID.randomUUID().toString().substring(0, 6);

    List<Client> gateway = new ArrayList<>();
    List<Client> direct = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      gateway.add(client(suite, "bench-saga-" + run + "-g" + c));
      direct.add(client(suite, "bench-saga-" + run + "-j" + c));
    }
    System.out.printf(
        Locale.ROOT,
        "saga: %d sagas each way, %d clients, blocks of %d alternating; gateway %s, floor over"
            + " ZooKeeper %s%n",
        sagas,
        clients,
        BLOCK,
        suite.ports().gatewayUri(),
        suite.ports().zooKeeperConnect());
    try (SagaFloor floor = new SagaFloor(suite, clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      Path oursPath = new Path(gateway, SagaBench::throughGateway);
      Path floorPath = new Path(direct, client -> floor.saga(client.customer(), client.account()));
      for (int i = 0; i < 2; i++) { // warm up both (JIT, pools, caches)
        oursPath.block(pool, BLOCK, new long[BLOCK], 0);
        floorPath.block(pool, BLOCK, new long[BLOCK], 0);
      }
      Latencies.Side[] sides =
          Latencies.alternate(
              sagas,
              BLOCK,
              "POST /api/orders through the gateway (ours)",
              (n, into, from) -> oursPath.block(pool, n, into, from),
              "the services' own statements over JDBC, one process (floor)",
              (n, into, from) -> floorPath.block(pool, n, into, from));
      Latencies.compare("sagas", "%.1f", sides[0], sides[1], "floor");
      System.out.printf(
          Locale.ROOT,
          "ours: %d orders (warm-up included) answered 202, the saga still running; each timed until"
              + " it was CONFIRMED%n",
          ACCEPTED.sum());
      System.out.printf(
          Locale.ROOT,
          "ours: %d orders shed by the gateway (503 overloaded) and sent again after Retry-After%n",
          SHED.sum());
      if (java.util.List.of(args).contains("--cpu")) {
        // Where the CPU goes, each path alone: on a machine whose cores every process shares,
        // CPU per saga is what bounds the throughput.
        int cores = Runtime.getRuntime().availableProcessors();
        for (var side : java.util.List.of(oursPath, floorPath)) {
          ProcessCpu before = ProcessCpu.snapshot(suite.command());
          side.block(pool, sagas, new long[sagas], 0);
          ProcessCpu.snapshot(suite.command())
              .since(before)
              .print(side == oursPath ? "ours, alone" : "floor, alone", sagas, cores);
        }
      }
    }
  }

  /** One simulated customer: a token and an account. */
  private record Client(String customer, String token, String account) {}

  @FunctionalInterface
  private interface Saga {
    void run(Client client) throws Exception;
  }

  private record Path(List<Client> clients, Saga saga) {
    /** Runs {@code n} sagas spread over the clients; returns the wall time. */
    long block(ExecutorService pool, int n, long[] into, int from) throws Exception {
      return ClosedLoop.block(
          pool, clients.size(), n, into, from, client -> saga.run(clients.get(client)));
    }
  }

  private static void throughGateway(Client client) throws Exception {
    String body =
        "{\"customerId\":\""
            + client.customer()
            + "\",\"accountId\":\""
            + client.account()
            + "\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"bench\",\"quantity\":1,"
            + "\"unitPriceCents\":100}]}";
    String key = "bench-" + UUID.randomUUID();
    HttpResponse<String> response = post(client.token(), "/api/orders", body, key);
    // 503 overloaded: the gateway's admission shed it before order-service saw it. A client
    // tries again after Retry-After with the same key, and the saga's time includes the wait.
    for (int shed = 0; response.statusCode() == 503 && shed < 20; shed++) {
      SHED.increment();
      long after = response.headers().firstValueAsLong("Retry-After").orElse(1);
      Thread.sleep(Duration.ofSeconds(Math.max(0, Math.min(after, 10))));
      response = post(client.token(), "/api/orders", body, key);
    }
    if (response.statusCode() == 201 && response.body().contains("\"CONFIRMED\"")) {
      return;
    }
    if (response.statusCode() != 202) {
      throw new IllegalStateException(
          "saga did not confirm: " + response.statusCode() + " " + response.body());
    }
    // 202: the saga outran the request's budget and goes on in order-service (CONTRACT.md). A
    // saga's time is until it is CONFIRMED, so follow the order there, as a client would.
    ACCEPTED.increment();
    String order = JSON.readTree(response.body()).get("id").asString();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(20);
      HttpResponse<String> seen = get(client.token(), "/api/orders/" + order);
      if (seen.statusCode() == 200 && seen.body().contains("\"status\":\"CONFIRMED\"")) {
        return;
      }
    }
    throw new IllegalStateException("saga " + order + " not CONFIRMED within 30 s of its 202");
  }

  private static HttpResponse<String> get(String token, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(RunningSuite.fromEnvironment().ports().gatewayUri().resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Client client(RunningSuite suite, String customer) throws Exception {
    String token = suite.customerToken(customer);
    HttpResponse<String> opened =
        post(
            token,
            "/api/accounts",
            "{\"ownerId\":\""
                + customer
                + "\",\"currency\":\"EUR\",\"initialBalanceCents\":100000000000}",
            "bench-open-" + customer);
    if (opened.statusCode() != 201) {
      throw new IllegalStateException("cannot open an account: " + opened.body());
    }
    return new Client(customer, token, JSON.readTree(opened.body()).get("id").asString());
  }

  private static HttpResponse<String> post(String token, String path, String body, String key)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(RunningSuite.fromEnvironment().ports().gatewayUri().resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
