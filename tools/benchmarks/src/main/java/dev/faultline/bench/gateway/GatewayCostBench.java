package dev.faultline.bench.gateway;

import dev.faultline.bench.Bench;
import dev.faultline.bench.ClosedLoop;
import dev.faultline.bench.Latencies;
import dev.faultline.bench.RunningSuite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/bench gateway [--requests 6000] [--clients 4]}: what the gateway costs. The same GET
 * of one order, with the same token, sent straight to the order-service instance that serves this
 * customer and through the gateway (which verifies the token, applies the rate limit, admission and
 * the balancing policy, picks that instance by affinity and proxies), in blocks that alternate so
 * both see the same machine. Closed loop: each client sends its next request when the last one is
 * answered, so the throughput is what the path sustains at that concurrency. {@code --gateway-port}
 * measures another gateway (say, one started with other settings) instead of the suite's first.
 */
public final class GatewayCostBench {
  private static final int BLOCK = 200;
  private static final int CUSTOMERS_PER_CLIENT = 8;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private GatewayCostBench() {}

  public static void run(String[] args) throws Exception {
    int requests = Math.max(BLOCK, Math.min(100_000, Bench.intArg(args, "--requests", 6000)));
    int clients = Math.max(1, Math.min(32, Bench.intArg(args, "--clients", 4)));
    RunningSuite suite = RunningSuite.fromEnvironment();
    // One connection pool per path and client thread's worth of keep-alive connections.
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    // Several customers per client, in turn: one customer alone would meet the gateway's
    // per-caller rate limit (a 429 is not what this measures).
    // --gateway-port: another gateway than the suite's first (one started with other settings).
    int gatewayPort = Bench.intArg(args, "--gateway-port", suite.ports().gateway(1));
    URI gateway = URI.create("http://127.0.0.1:" + gatewayPort);
    Target[] targets = new Target[clients * CUSTOMERS_PER_CLIENT];
    String run = UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < targets.length; i++) {
      targets[i] = target(http, suite, gateway, "bench-gw-" + run + "-" + i);
    }
    int[] turn = new int[clients];

    System.out.printf(
        Locale.ROOT,
        "gateway: GET /api/orders/{id}, %d requests each way, %d clients (%d customers), blocks"
            + " of %d alternating; through %s, straight to the instance that serves each"
            + " customer%n",
        requests,
        clients,
        targets.length,
        BLOCK,
        gateway);
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      Latencies.Block through = path(pool, clients, targets, turn, http, Target::viaGateway);
      Latencies.Block straight = path(pool, clients, targets, turn, http, Target::direct);
      long[] scratch = new long[BLOCK];
      for (int i = 0; i < 10; i++) { // warm-up: JIT on every side, connections open
        through.run(BLOCK, scratch, 0);
        straight.run(BLOCK, scratch, 0);
      }
      Latencies.Side[] sides =
          Latencies.alternate(
              requests,
              BLOCK,
              "through the gateway (ours)",
              through,
              "straight to the order-service instance",
              straight);
      long[] ours = sides[0].nanos().clone();
      long[] base = sides[1].nanos().clone();
      Latencies.compare("requests", "%.0f", sides[0], sides[1], "direct");
      Arrays.sort(ours);
      Arrays.sort(base);
      System.out.printf(
          Locale.ROOT,
          "%nthe gateway adds %.2f ms at p50, %.2f ms at p99%n",
          Latencies.millis(ours, 50) - Latencies.millis(base, 50),
          Latencies.millis(ours, 99) - Latencies.millis(base, 99));
    }
  }

  /** Blocks of GETs, each client taking its customers in turn, to the URI {@code uri} names. */
  private static Latencies.Block path(
      ExecutorService pool,
      int clients,
      Target[] targets,
      int[] turn,
      HttpClient http,
      java.util.function.Function<Target, URI> uri) {
    return (n, into, from) ->
        ClosedLoop.block(
            pool,
            clients,
            n,
            into,
            from,
            c -> {
              Target t = next(targets, turn, c);
              expect200(http, uri.apply(t), t.token());
            });
  }

  /** A customer's token, order, and its URI through the gateway and on its instance. */
  private record Target(String token, URI viaGateway, URI direct) {}

  private static Target next(Target[] targets, int[] turn, int client) {
    int i = turn[client]++ % CUSTOMERS_PER_CLIENT;
    return targets[client * CUSTOMERS_PER_CLIENT + i];
  }

  private static Target target(HttpClient http, RunningSuite suite, URI gateway, String customer)
      throws Exception {
    String token = suite.customerToken(customer);
    String order = placeOrder(http, gateway, token, customer);
    URI viaGateway = gateway.resolve("/api/orders/" + order);
    // The instance the gateway sends this customer to (affinity), to be called straight.
    String servedBy = get(http, viaGateway, token).headers().firstValue("Served-By").orElseThrow();
    int instance = Integer.parseInt(servedBy.substring(servedBy.lastIndexOf('-') + 1));
    URI direct =
        URI.create(
            "http://127.0.0.1:" + suite.ports().orderService(instance) + "/api/orders/" + order);
    return new Target(token, viaGateway, direct);
  }

  private static void expect200(HttpClient http, URI uri, String token) throws Exception {
    HttpResponse<String> response = get(http, uri, token);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + response.statusCode());
    }
  }

  private static HttpResponse<String> get(HttpClient http, URI uri, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An account with money and one confirmed order, through the gateway; the order's ID. */
  private static String placeOrder(HttpClient http, URI gateway, String token, String customer)
      throws Exception {
    HttpResponse<String> account =
        post(
            http,
            gateway.resolve("/api/accounts"),
            token,
            "{\"ownerId\":\""
                + customer
                + "\",\"currency\":\"EUR\",\"initialBalanceCents\":10000}");
    if (account.statusCode() != 201) {
      throw new IllegalStateException("cannot open an account: " + account.body());
    }
    String accountId = JSON.readTree(account.body()).get("id").asString();
    HttpResponse<String> order =
        post(
            http,
            gateway.resolve("/api/orders"),
            token,
            "{\"customerId\":\""
                + customer
                + "\",\"accountId\":\""
                + accountId
                + "\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"bench\",\"quantity\":1,"
                + "\"unitPriceCents\":100}]}");
    if (order.statusCode() != 201 && order.statusCode() != 202) {
      throw new IllegalStateException("cannot place an order: " + order.body());
    }
    return JSON.readTree(order.body()).get("id").asString();
  }

  private static HttpResponse<String> post(HttpClient http, URI uri, String token, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "bench-" + UUID.randomUUID())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
