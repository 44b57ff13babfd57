package dev.faultline.testing;

import dev.faultline.testing.ApiProbe.Valid;
import java.util.Map;
import java.util.UUID;

/**
 * One valid request per operation of each service, for {@link ApiProbe} to derive its bad ones
 * from: the same catalog probes a service on its own port and the suite through its gateway, so an
 * operation added to a service is probed in both places or fails both.
 */
public final class ValidRequests {
  private ValidRequests() {}

  /**
   * order-service: {@code order} is a valid order body of {@code owner} (whose token is {@code
   * customer}), {@code orderId} an order of theirs; saga operations are the admin's.
   */
  public static Map<String, Valid> orders(
      String owner, String order, String orderId, String customer, String admin) {
    return Map.of(
        "POST /api/orders", new Valid(Map.of(), order, customer),
        "GET /api/orders/{id}", new Valid(Map.of("id", orderId), null, customer),
        "GET /api/orders", new Valid(Map.of(), Map.of("customerId", owner), null, customer),
        "POST /api/orders/{id}/cancel", new Valid(Map.of("id", orderId), null, customer),
        "POST /api/orders/{id}/refunds",
            new Valid(Map.of("id", orderId), "{\"amountCents\":10}", customer),
        "GET /api/sagas", new Valid(Map.of(), null, admin),
        "POST /api/sagas/{orderId}/retry", new Valid(Map.of("orderId", orderId), null, admin));
  }

  /**
   * payment-service: {@code account} is {@code owner}'s (token {@code customer}), {@code payment} a
   * charge to it; charges and refunds carry {@code charger}'s token (order-service's own on the
   * service's port; at the gateway, which passes no service token, they are refused whatever the
   * body).
   */
  public static Map<String, Valid> payments(
      String owner, String account, String payment, String customer, String charger) {
    String charge =
        Json.object(
            "orderId",
            UUID.randomUUID().toString(),
            "accountId",
            account,
            "amountCents",
            10,
            "currency",
            "EUR");
    return Map.of(
        "POST /api/accounts",
            new Valid(
                Map.of(),
                Json.object("ownerId", owner, "currency", "EUR", "initialBalanceCents", 10),
                customer),
        "GET /api/accounts/{id}", new Valid(Map.of("id", account), null, customer),
        "GET /api/accounts/{id}/ledger", new Valid(Map.of("id", account), null, customer),
        "POST /api/accounts/{id}/deposits",
            new Valid(Map.of("id", account), "{\"amountCents\":10}", customer),
        "POST /api/payments", new Valid(Map.of(), charge, charger),
        "GET /api/payments/{id}", new Valid(Map.of("id", payment), null, customer),
        "POST /api/payments/{id}/refunds",
            new Valid(Map.of("id", payment), "{\"amountCents\":10}", charger));
  }

  /** lock-service: {@code lock} and a lease on it ({@code leaseId}), as {@code customer}. */
  public static Map<String, Valid> locks(String lock, String leaseId, String customer) {
    Map<String, String> path = Map.of("name", lock);
    String lease = Json.object("leaseId", leaseId);
    return Map.of(
        "POST /api/locks/{name}/acquire",
            new Valid(path, "{\"holder\":\"h\",\"ttlMs\":5000,\"waitMs\":0}", customer),
        "POST /api/locks/{name}/renew", new Valid(path, lease, customer),
        "POST /api/locks/{name}/release", new Valid(path, lease, customer),
        "GET /api/locks/{name}", new Valid(path, null, customer));
  }

  /**
   * shard-router: reads as {@code customer}; a failover of shard 0, a shard registration, a drain,
   * a slot move and a removal as the admin (none of them ever sent).
   */
  public static Map<String, Valid> shards(String customer, String admin) {
    return Map.of(
        "GET /api/shards", new Valid(Map.of(), null, customer),
        "GET /api/shards/route", new Valid(Map.of(), Map.of("key", "customer-42"), null, customer),
        "POST /api/shards/{id}/failover", new Valid(Map.of("id", "0"), null, admin),
        "POST /api/shards",
            new Valid(
                Map.of(),
                "{\"id\":9,\"primary\":\"127.0.0.1:1\",\"replicas\":[\"127.0.0.1:2\"]}",
                admin),
        "POST /api/shards/{id}/drain", new Valid(Map.of("id", "0"), null, admin),
        "POST /api/shards/{id}/slots", new Valid(Map.of("id", "0"), "{\"slots\":[1,2]}", admin),
        "DELETE /api/shards/{id}", new Valid(Map.of("id", "0"), null, admin),
        "GET /api/shards/migrations", new Valid(Map.of(), null, admin));
  }
}
