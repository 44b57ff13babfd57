package dev.faultline.order.order;

import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Orders, sharded by customer: a customer's orders are on one shard. A lookup by order ID still
 * asks each shard in turn until order IDs carry their customer's slot (the transactions issue).
 */
@Repository
class Orders {
  private final ShardClient shards;

  Orders(ShardClient shards) {
    this.shards = shards;
  }

  Optional<Order> find(UUID id) {
    return shards
        .readEveryShard(
            Freshness.LATEST,
            db ->
                db.sql(
                        "select id, customer_id, account_id, currency, total_cents, status,"
                            + " revision, created_at from orders where id = ?")
                    .param(id)
                    .query((rs, n) -> order(rs, history(db, id)))
                    .optional())
        .values()
        .stream()
        .flatMap(Optional::stream)
        .findFirst();
  }

  List<Order> byCustomer(String customerId) {
    return shards.read(
        customerId,
        Freshness.LATEST,
        db ->
            db.sql(
                    "select id, customer_id, account_id, currency, total_cents, status, revision,"
                        + " created_at from orders where customer_id = ? order by created_at desc")
                .param(customerId)
                .query((rs, n) -> order(rs, List.of()))
                .list());
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
