package dev.faultline.payment.account;

import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/** Accounts, sharded by account ID: the ID routes to the one shard that holds it. */
@Repository
class Accounts {
  private final ShardClient shards;

  Accounts(ShardClient shards) {
    this.shards = shards;
  }

  Optional<Account> find(String id) {
    return shards.read(
        id,
        Freshness.LATEST,
        db ->
            db.sql(
                    "select id, owner_id, currency, balance_cents, revision from accounts"
                        + " where id = ?")
                .param(id)
                .query(
                    (rs, n) ->
                        new Account(
                            rs.getString("id"),
                            rs.getString("owner_id"),
                            rs.getString("currency"),
                            rs.getLong("balance_cents"),
                            rs.getLong("revision")))
                .optional());
  }
}
