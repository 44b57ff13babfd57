package dev.faultline.payment.account;

import dev.faultline.shard.ShardPools;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/**
 * Accounts on the shards. Until the topology and ring land (the sharding issue), a lookup asks each
 * shard in turn; an account lives on exactly one of them.
 */
@Repository
class Accounts {
  private final ShardPools shards;

  Accounts(ShardPools shards) {
    this.shards = shards;
  }

  Optional<Account> find(String id) {
    for (int shard : shards.shardIds()) {
      Optional<Account> found =
          shards
              .primary(shard)
              .sql(
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
              .optional();
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }
}
