package dev.faultline.order.order;

import dev.faultline.shard.ShardPools;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Orders on the shards. Until the topology and ring land (the sharding issue), a lookup asks each
 * shard in turn; an order lives on exactly one of them.
 */
@Repository
class Orders {
  private final ShardPools shards;

  Orders(ShardPools shards) {
    this.shards = shards;
  }

  Optional<Order> find(UUID id) {
    for (int shard : shards.shardIds()) {
      JdbcClient db = shards.primary(shard);
      Optional<Order> found =
          db.sql(
                  "select id, customer_id, account_id, currency, total_cents, status, revision,"
                      + " created_at from orders where id = ?")
              .param(id)
              .query((rs, n) -> order(rs, history(db, id)))
              .optional();
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  List<Order> byCustomer(String customerId) {
    List<Order> all = new ArrayList<>();
    for (int shard : shards.shardIds()) {
      JdbcClient db = shards.primary(shard);
      all.addAll(
          db.sql(
                  "select id, customer_id, account_id, currency, total_cents, status, revision,"
                      + " created_at from orders where customer_id = ? order by created_at desc")
              .param(customerId)
              .query((rs, n) -> order(rs, List.of()))
              .list());
    }
    return all;
  }

  private static List<Order.StatusChange> history(JdbcClient db, UUID id) {
    return db.sql("select status, at from order_status_history where order_id = ? order by seq")
        .param(id)
        .query(
            (rs, n) ->
                new Order.StatusChange(
                    OrderStatus.valueOf(rs.getString("status")), rs.getTimestamp("at").toInstant()))
        .list();
  }

  private static Order order(ResultSet rs, List<Order.StatusChange> history) throws SQLException {
    return new Order(
        rs.getObject("id", UUID.class),
        rs.getString("customer_id"),
        rs.getString("account_id"),
        rs.getString("currency"),
        rs.getLong("total_cents"),
        OrderStatus.valueOf(rs.getString("status")),
        rs.getLong("revision"),
        rs.getTimestamp("created_at").toInstant(),
        history);
  }
}
