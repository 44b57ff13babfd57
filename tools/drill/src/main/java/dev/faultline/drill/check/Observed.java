package dev.faultline.drill.check;

import java.util.List;
import java.util.Map;

/**
 * What the checker reads from the API and the databases once the faults stop and the suite settles.
 *
 * @param orders every order, by ID
 * @param payments each order's own payment (on the order's account), by order ID
 * @param shards per shard: the ledger's sum and how many balances differ from their entries
 * @param openSagas sagas not terminal, with their age
 * @param fencedWrites writes the drill made under leases, in the order storage committed them
 */
public record Observed(
    Map<String, OrderState> orders,
    Map<String, PaymentState> payments,
    List<ShardMoney> shards,
    List<OpenSaga> openSagas,
    List<FencedWrite> fencedWrites) {

  public Observed {
    orders = Map.copyOf(orders);
    payments = Map.copyOf(payments);
    shards = List.copyOf(shards);
    openSagas = List.copyOf(openSagas);
    fencedWrites = List.copyOf(fencedWrites);
  }

  public record OrderState(String id, String status, long totalCents) {}

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

  /** One write under a lease: the token it carried, and whether storage took it. */
  public record FencedWrite(String resource, long sequence, long token, boolean accepted) {}
}
