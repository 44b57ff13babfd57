package dev.faultline.payment.account;

import dev.faultline.lock.client.StorageFence;
import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Accounts, sharded by account ID: the ID routes to the one shard that holds it. */
@Repository
public class Accounts {
  private static final String COLUMNS = "id, owner_id, currency, balance_cents, revision";

  private final ShardClient shards;
  private final StorageFence fence;

  public Accounts(ShardClient shards, StorageFence fence) {
    this.shards = shards;
    this.fence = fence;
  }

  public Optional<Account> find(String id) {
    return shards.read(id, Freshness.LATEST, db -> find(db, id, false));
  }

  /** Reads the account in the caller's transaction, locking its row when {@code forUpdate}. */
  public Optional<Account> find(JdbcClient db, String id, boolean forUpdate) {
    return db.sql(
            "select " + COLUMNS + " from accounts where id = ?" + (forUpdate ? " for update" : ""))
        .param(id)
        .query((rs, n) -> account(rs))
        .optional();
  }

  /**
   * Moves the balance by {@code deltaCents} under the account's lease: the fencing token is checked
   * in the same UPDATE (a stale one throws), and the revision (the ETag) moves with it.
   */
  public Account move(JdbcClient db, String id, long deltaCents, long fencingToken) {
    int updated =
        fence.update(
            db,
            "accounts",
            "id",
            id,
            fencingToken,
            "balance_cents = balance_cents + :delta, revision = revision + 1, updated_at = now()",
            Map.of("delta", deltaCents));
    if (updated != 1) {
      throw new AccountRejections.AccountNotFound(id);
    }
    return find(db, id, false).orElseThrow();
  }

  private static Account account(ResultSet rs) throws SQLException {
    return new Account(
        rs.getString("id"),
        rs.getString("owner_id"),
        rs.getString("currency"),
        rs.getLong("balance_cents"),
        rs.getLong("revision"));
  }
}
