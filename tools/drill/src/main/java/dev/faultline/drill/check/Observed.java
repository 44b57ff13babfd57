package dev.faultline.drill.check;

import java.util.List;
import java.util.Map;

/**
 * What the checker reads from the API and the databases once the faults stop and the suite settles.
 *
 * @param orders every order in the databases, by ID
 * @param apiStatus what the API (through the gateway) answers for each acknowledged order: its
 *     status, or {@link #MISSING} for a 404
 * @param payments each order's own payment (on the order's account), by order ID
 * @param depositedCents per account the drill deposited to: the sum of its deposit entries
 * @param shards per shard: the ledger's sum and how many balances differ from their entries
 * @param openSagas sagas not terminal, with their age
 * @param fencedWrites writes the drill made under leases, in the order storage committed them
 * @param duplicates keyed rows (orders, accounts, payments) found on more than one shard
 */
public record Observed(
    Map<String, OrderState> orders,
    Map<String, String> apiStatus,
    Map<String, PaymentState> payments,
    Map<String, Long> depositedCents,
    List<ShardMoney> shards,
    List<OpenSaga> openSagas,
    List<FencedWrite> fencedWrites,
    List<Duplicate> duplicates) {

  /** What {@link #apiStatus} holds for an order the API does not find. */
  public static final String MISSING = "MISSING";

  public Observed {
    orders = Map.copyOf(orders);
    apiStatus = Map.copyOf(apiStatus);
    payments = Map.copyOf(payments);
    depositedCents = Map.copyOf(depositedCents);
    shards = List.copyOf(shards);
    openSagas = List.copyOf(openSagas);
    fencedWrites = List.copyOf(fencedWrites);
    duplicates = List.copyOf(duplicates);
  }

  /** An order as its database holds it: {@code refundedCents} is what went back so far. */
  public record OrderState(String id, String status, long totalCents, long refundedCents) {
    public OrderState(String id, String status, long totalCents) {
      this(id, status, totalCents, 0);
    }
  }

  public record PaymentState(String orderId, String status, long amountCents, long refundedCents) {
    /** Money the payment holds now: captured minus refunded (0 for declined or voided). */
    public long netCents() {
      return status.equals("CAPTURED") || status.equals("REFUNDED")
          ? amountCents - refundedCents
          : 0;
    }
  }

  public record ShardMoney(int shard, long ledgerSumCents, long balancesOffTheirEntries) {}

  public record OpenSaga(String orderId, String status, double ageSeconds) {}

  /** A keyed row ({@code key} says which) found on each of {@code shards}. */
  public record Duplicate(String key, List<Integer> shards) {
    public Duplicate {
      shards = List.copyOf(shards);
    }
  }

  /** One write under a lease: the token it carried, and whether storage took it. */
  public record FencedWrite(String resource, long sequence, long token, boolean accepted) {}
}
