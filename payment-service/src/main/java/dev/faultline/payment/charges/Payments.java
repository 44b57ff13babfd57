package dev.faultline.payment.charges;

import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Payment rows on the account's shard. Public so the saga benchmark's floor runs these same
 * statements.
 */
@Repository
public class Payments {
  private static final String COLUMNS =
      "id, order_id, account_id, owner_id, amount_cents, currency, status, decline_reason,"
          + " refunded_cents, revision, created_at, charged_by";

  private final ShardClient shards;

  public Payments(ShardClient shards) {
    this.shards = shards;
  }

  Optional<Payment> find(int slot, String id) {
    return shards.readSlot(slot, Freshness.LATEST, db -> find(db, id, false));
  }

  Optional<Payment> find(JdbcClient db, String id, boolean forUpdate) {
    return db.sql(
            "select " + COLUMNS + " from payments where id = ?" + (forUpdate ? " for update" : ""))
        .param(id)
        .query((rs, n) -> payment(rs))
        .optional();
  }

  /**
   * Inserts a charge's payment, undecided until its balance check (DECLINED with reason
   * PENDING_DECISION), unless its ID exists; false when it did (a concurrent insert is waited for:
   * the unique index makes the second insert wait for the first transaction).
   */
  boolean insertUndecided(
      JdbcClient db, String id, PaymentService.Charge charge, String ownerId, String chargedBy) {
    return db.sql(
                "insert into payments (id, order_id, account_id, owner_id, amount_cents, currency,"
                    + " status, decline_reason, charged_by) values (?, ?, ?, ?, ?, ?, 'DECLINED',"
                    + " 'PENDING_DECISION', ?) on conflict (id) do nothing")
            .params(
                id,
                charge.orderId(),
                charge.accountId(),
                ownerId,
                charge.amountCents(),
                charge.currency(),
                chargedBy)
            .update()
        == 1;
  }

  /**
   * Inserts a VOIDED tombstone for a payment refunded before its charge arrived (the late charge
   * finds it and fails), unless the ID exists; false when it did.
   */
  boolean insertTombstone(JdbcClient db, String id, String orderId) {
    return db.sql(
                "insert into payments (id, order_id, amount_cents, status) values (?, ?, 0,"
                    + " 'VOIDED') on conflict (id) do nothing")
            .params(id, orderId)
            .update()
        == 1;
  }

  /** The charge's balance check failed: the payment stays DECLINED, for {@code reason}. */
  void decline(JdbcClient db, String id, String reason) {
    db.sql("update payments set decline_reason = ? where id = ?").params(reason, id).update();
  }

  /** The charge moved the money: the payment is CAPTURED. */
  void captured(JdbcClient db, String id) {
    db.sql("update payments set status = 'CAPTURED', decline_reason = null where id = ?")
        .param(id)
        .update();
  }

  Payment refunded(JdbcClient db, String id, long amountCents) {
    db.sql(
            "update payments set refunded_cents = refunded_cents + :amount,"
                + " status = case when refunded_cents + :amount = amount_cents then 'REFUNDED'"
                + " else status end, revision = revision + 1, updated_at = now() where id = :id")
        .param("amount", amountCents)
        .param("id", id)
        .update();
    return find(db, id, false).orElseThrow();
  }

  void recordRefund(JdbcClient db, String refundId, String paymentId, long amountCents) {
    db.sql("insert into refunds (id, payment_id, amount_cents) values (?, ?, ?)")
        .params(refundId, paymentId, amountCents)
        .update();
  }

  private static Payment payment(ResultSet rs) throws SQLException {
    return new Payment(
        rs.getString("id"),
        rs.getString("order_id"),
        rs.getString("account_id"),
        rs.getString("owner_id"),
        rs.getLong("amount_cents"),
        rs.getString("currency"),
        PaymentStatus.valueOf(rs.getString("status")),
        rs.getString("decline_reason"),
        rs.getLong("refunded_cents"),
        rs.getLong("revision"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("charged_by"));
  }
}
