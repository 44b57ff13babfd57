package dev.faultline.payment.ledger;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The double-entry ledger. A movement is two entries that sum to zero, written in the caller's
 * transaction on the account's shard: the account's leg and its counter-account's ({@link
 * #EXTERNAL} or {@link #REVENUE}, one per shard). So every shard's entries sum to zero, and an
 * account's balance is the sum of its entries: the checks the tests and the drill checker run.
 */
@Component
public class Ledger {
  /** Where money enters from (openings, deposits). */
  public static final String EXTERNAL = "@external";

  /** Where captured money goes (charges), and refunds come from. */
  public static final String REVENUE = "@revenue";

  /**
   * Records {@code amountCents} (positive: credits the account; negative: debits it) under the
   * movement's ID; the ID is unique per account, so a movement cannot be posted twice. {@code
   * fenceToken} is the lease token the balance moved under (0 for an opening).
   */
  public void post(
      JdbcClient db,
      String movementId,
      MovementKind kind,
      String accountId,
      long amountCents,
      long fenceToken) {
    if (amountCents == 0) {
      throw new IllegalArgumentException("a movement moves money");
    }
    db.sql(
            "insert into ledger_entries (movement_id, kind, account_id, amount_cents, fence_token)"
                + " values (:movement, :kind, :account, :amount, :token),"
                + " (:movement, :kind, :counter, -:amount, :token)")
        .param("movement", movementId)
        .param("kind", kind.name())
        .param("account", accountId)
        .param("counter", kind.counterAccount())
        .param("amount", amountCents)
        .param("token", fenceToken)
        .update();
  }

  /** The account's newest entries first. */
  public List<LedgerEntry> entries(JdbcClient db, String accountId, int limit) {
    return db.sql(
            "select id, movement_id, kind, amount_cents, at from ledger_entries"
                + " where account_id = ? order by id desc limit ?")
        .params(accountId, limit)
        .query(
            (rs, n) ->
                new LedgerEntry(
                    rs.getLong("id"),
                    rs.getString("movement_id"),
                    MovementKind.valueOf(rs.getString("kind")),
                    rs.getLong("amount_cents"),
                    rs.getTimestamp("at").toInstant()))
        .list();
  }
}
