package dev.faultline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testing.ApiProbe;
import dev.faultline.testing.Http;
import dev.faultline.testing.ValidRequests;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The bad-input probes of every service, through a running suite's gateway: each service's OpenAPI
 * document as the gateway gathers it ({@code /api-docs/<service>}), every operation in it probed
 * with the bad requests derived from one valid request, every probe sent to the gateway. What the
 * services' own tests prove on their ports must hold at the edge too: a 4xx problem each time
 * (whether the gateway or the service refuses), never a 5xx, and nothing changed.
 */
final class GatewayProbes {
  private final String gateway;
  private final Http http;
  private final String owner;
  private final String customer;
  private final String admin;

  /**
   * {@code owner}: a customer with nothing yet, {@code customerToken} its token; {@code admin}: an
   * admin's token.
   */
  GatewayProbes(String gateway, String owner, String customerToken, String admin) {
    this.gateway = gateway;
    this.http = new Http(gateway);
    this.owner = owner;
    this.customer = customerToken;
    this.admin = admin;
  }

  /** Probes all four services; returns how many bad requests each got. */
  Map<String, Integer> run() throws Exception {
    // Something of each kind to probe: an account with money, a confirmed order paid from it, its
    // payment, a held lock.
    GatewayCalls calls = new GatewayCalls(gateway);
    String account = calls.openAccount(owner, customer, 5_000);
    String order = GatewayCalls.orderBody(owner, account, 100);
    HttpResponse<String> placed =
        calls.post("/api/orders", customer, order, "probe-" + UUID.randomUUID());
    assertThat(placed.statusCode()).as(placed.body()).isIn(201, 202);
    String orderId = GatewayCalls.JSON.readTree(placed.body()).get("id").asString();
    awaitStatus(orderId, "CONFIRMED");
    int slot =
        GatewayCalls.JSON
            .readTree(http.get("/api/shards/route?key=" + account, customer).body())
            .get("slot")
            .asInt();
    String payment = "pay_%04x_%s".formatted(slot, orderId);
    assertThat(http.get("/api/payments/" + payment, customer).statusCode()).isEqualTo(200);
    String lock = "probe-" + UUID.randomUUID();
    HttpResponse<String> acquired =
        http.post(
            "/api/locks/" + lock + "/acquire",
            customer,
            "{\"holder\":\"h\",\"ttlMs\":60000,\"waitMs\":0}");
    assertThat(acquired.statusCode()).as(acquired.body()).isEqualTo(200);
    String leaseId = GatewayCalls.JSON.readTree(acquired.body()).get("leaseId").asString();
    List<String> before = state(account, orderId, payment, lock);

    // Charges and refunds take order-service's own token, which no gateway passes: at the edge
    // they are probed with the admin's, and refused whatever the body.
    Map<String, Map<String, ApiProbe.Valid>> valid = new LinkedHashMap<>();
    valid.put("order-service", ValidRequests.orders(owner, order, orderId, customer, admin));
    valid.put("payment-service", ValidRequests.payments(owner, account, payment, customer, admin));
    valid.put("lock-service", ValidRequests.locks(lock, leaseId, customer));
    valid.put("shard-router", ValidRequests.shards(customer, admin));

    Map<String, Integer> probes = new LinkedHashMap<>();
    List<ApiProbe.Finding> findings = new ArrayList<>();
    valid.forEach(
        (service, requests) -> {
          ApiProbe.Report report = ApiProbe.run(http, "/api-docs/" + service, requests);
          probes.put(service, report.probes());
          findings.addAll(report.findings());
        });
    assertThat(findings).isEmpty();
    assertThat(state(account, orderId, payment, lock)).isEqualTo(before);
    return probes;
  }

  /**
   * What a bad request must not change, as the API shows it: the account and its ledger, the
   * customer's orders, the payment, the lock's lease, the shards' topology.
   */
  private List<String> state(String account, String order, String payment, String lock) {
    List<String> state = new ArrayList<>();
    for (String path :
        List.of(
            "/api/accounts/" + account,
            "/api/accounts/" + account + "/ledger",
            "/api/orders/" + order,
            "/api/orders?customerId=" + owner,
            "/api/payments/" + payment,
            "/api/locks/" + lock,
            "/api/shards")) {
      HttpResponse<String> response = http.get(path, path.equals("/api/shards") ? admin : customer);
      state.add(path + " " + response.statusCode() + " " + withoutVolatile(response.body()));
    }
    return state;
  }

  /** The shards' health observations change by themselves; their topology does not. */
  private static String withoutVolatile(String body) {
    JsonNode json = GatewayCalls.JSON.readTree(body);
    if (json.isObject() && json.has("epoch") && json.has("shards")) {
      StringBuilder topology = new StringBuilder("epoch " + json.get("epoch"));
      json.get("shards")
          .forEach(
              s ->
                  topology.append(
                      " "
                          + s.get("id")
                          + "@"
                          + s.get("primary").asString()
                          + "/"
                          + s.get("state").asString()
                          + "/"
                          + s.get("slots")));
      return topology.toString();
    }
    return body;
  }

  private void awaitStatus(String order, String status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = http.get("/api/orders/" + order, customer).body();
      if (GatewayCalls.JSON.readTree(last).path("status").asString().equals(status)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("order " + order + " never became " + status + ": " + last);
  }
}
