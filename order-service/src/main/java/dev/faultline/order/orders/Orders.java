package dev.faultline.order.orders;

import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Orders, sharded by customer: a customer's orders are on one shard, and an order's ID carries its
 * customer's slot ({@link OrderIds}), so a lookup by ID asks one shard.
 */
@Repository
public class Orders {
  private static final String COLUMNS =
      "id, customer_id, account_id, currency, total_cents, status, revision, created_at,"
          + " refunded_cents, refund_pending_cents, partial_refunds";

  private final ShardClient shards;
  private final boolean ignoreRevision;
  private final boolean readFromReplicas;

  public Orders(ShardClient shards) {
    this(shards, UnsafeOrderSettings.SAFE);
  }

  @Autowired
  public Orders(ShardClient shards, UnsafeOrderSettings unsafe) {
    this.shards = shards;
    this.ignoreRevision = unsafe.ignoreRevision();
    this.readFromReplicas = unsafe.readFromReplicas();
  }

  /** The shard that holds the order with this ID. */
  public int shardOf(UUID id) {
    return shards.shardOfSlot(OrderIds.slotOf(id));
  }

  /** The slot an order lives in: its customer's, carried in its ID. */
  public int slotOf(UUID id) {
    return OrderIds.slotOf(id);
  }

  /**
   * Whether {@code id} can name an order: one of our IDs (version 8) whose slot the ring has. Any
   * other UUID a client sends names none, and routes nowhere.
   */
  public boolean canExist(UUID id) {
    return OrderIds.isOrderId(id) && shards.hasSlot(OrderIds.slotOf(id));
  }

  public Optional<Order> find(UUID id) {
    if (!canExist(id)) {
      return Optional.empty();
    }
    return shards.readSlot(slotOf(id), Freshness.LATEST, db -> find(db, id, false));
  }

  /**
   * The order as its customer asks for it: from the primary, so that they see their own latest
   * change (read-your-writes), never an older state after a newer one.
   */
  public Optional<Order> findForReader(UUID id) {
    if (!readFromReplicas || !canExist(id)) {
      return find(id);
    }
    // Unsafe on purpose (UnsafeOrderSettings): a replica within the shard client's bound.
    return shards.readSlot(
        slotOf(id), Freshness.boundedStaleness(Duration.ofHours(1)), db -> find(db, id, false));
  }

  /** The order in the caller's transaction, its row locked when {@code forUpdate}. */
  public Optional<Order> find(JdbcClient db, UUID id, boolean forUpdate) {
    return db.sql(
            "select " + COLUMNS + " from orders where id = ?" + (forUpdate ? " for update" : ""))
        .param(id)
        .query((rs, n) -> order(rs, items(db, id), history(db, id)))
        .optional();
  }

  public List<Order> byCustomer(String customerId, int limit) {
    return shards.read(
        customerId,
        Freshness.LATEST,
        db ->
            db.sql(
                    "select "
                        + COLUMNS
                        + " from orders where customer_id = ? order by created_at desc limit ?")
                .params(customerId, limit)
                .query((rs, n) -> order(rs, List.of(), List.of()))
                .list());
  }

  /** Inserts a new PENDING order with its items and first history entry. */
  public void insert(JdbcClient db, Order order) {
    db.sql(
            "insert into orders (id, customer_id, account_id, currency, total_cents, status)"
                + " values (?, ?, ?, ?, ?, ?)")
        .params(
            order.id(),
            order.customerId(),
            order.accountId(),
            order.currency(),
            order.totalCents(),
            order.status().name())
        .update();
    int line = 0;
    for (Order.Item item : order.items()) {
      db.sql(
              "insert into order_items (order_id, line, sku, quantity, unit_price_cents)"
                  + " values (?, ?, ?, ?, ?)")
          .params(order.id(), ++line, item.sku(), item.quantity(), item.unitPriceCents())
          .update();
    }
    appendHistory(db, order.id(), order.status(), null);
  }

  /**
   * Moves the order to {@code to} if it is still at {@code revision} (optimistic concurrency);
   * false when someone else changed it first.
   */
  public boolean transition(
      JdbcClient db, UUID id, long revision, OrderStatus to, @Nullable String detail) {
    return transition(db, id, revision, to, detail, RefundChange.NONE);
  }

  /**
   * What a transition does to the order's refunds: {@code returned} cents went back, a part of
   * {@code requested} cents is now on its way (a new partial refund), or the one on its way is
   * settled ({@code settles}: went back, or was refused).
   */
  public record RefundChange(long returned, long requested, boolean settles) {
    public static final RefundChange NONE = new RefundChange(0, 0, false);

    public static RefundChange requested(long cents) {
      return new RefundChange(0, cents, false);
    }

    public static RefundChange returned(long cents) {
      return new RefundChange(cents, 0, true);
    }
  }

  /** {@link #transition} with the order's refund amounts changed in the same statement. */
  public boolean transition(
      JdbcClient db,
      UUID id,
      long revision,
      OrderStatus to,
      @Nullable String detail,
      RefundChange refunds) {
    int updated =
        db.sql(
                "update orders set status = :status, revision = revision + 1, updated_at = now(),"
                    + " refunded_cents = refunded_cents + :returned,"
                    + " refund_pending_cents = case when :requested > 0 then :requested"
                    + " when :settles then 0 else refund_pending_cents end,"
                    + " partial_refunds = partial_refunds + case when :requested > 0 then 1"
                    + " else 0 end where id = :id"
                    // Unsafe on purpose (UnsafeOrderSettings): a blind write, last writer wins.
                    + (ignoreRevision ? "" : " and revision = :revision"))
            .param("status", to.name())
            .param("returned", refunds.returned())
            .param("requested", refunds.requested())
            .param("settles", refunds.settles())
            .param("id", id)
            .param("revision", revision)
            .update();
    if (updated == 1) {
      appendHistory(db, id, to, detail);
    }
    return updated == 1;
  }

  private static void appendHistory(
      JdbcClient db, UUID id, OrderStatus status, @Nullable String detail) {
    db.sql(
            "insert into order_status_history (order_id, seq, status, detail) values (?, (select"
                + " coalesce(max(seq), 0) + 1 from order_status_history where order_id = ?), ?, ?)")
        .params(id, id, status.name(), detail)
        .update();
  }

  private static List<Order.Item> items(JdbcClient db, UUID id) {
    return db.sql(
            "select sku, quantity, unit_price_cents from order_items where order_id = ?"
                + " order by line")
        .param(id)
        .query(
            (rs, n) ->
                new Order.Item(
                    rs.getString("sku"), rs.getInt("quantity"), rs.getLong("unit_price_cents")))
        .list();
  }

  private static List<Order.StatusChange> history(JdbcClient db, UUID id) {
    return db.sql(
            "select status, at, detail from order_status_history where order_id = ? order by seq")
        .param(id)
        .query(
            (rs, n) ->
                new Order.StatusChange(
                    OrderStatus.valueOf(rs.getString("status")),
                    rs.getTimestamp("at").toInstant(),
                    rs.getString("detail")))
        .list();
  }

  private static Order order(ResultSet rs, List<Order.Item> items, List<Order.StatusChange> history)
      throws SQLException {
    return new Order(
        rs.getObject("id", UUID.class),
        rs.getString("customer_id"),
        rs.getString("account_id"),
        rs.getString("currency"),
        rs.getLong("total_cents"),
        OrderStatus.valueOf(rs.getString("status")),
        rs.getLong("revision"),
        rs.getTimestamp("created_at").toInstant(),
        items,
        history,
        rs.getLong("refunded_cents"),
        rs.getLong("refund_pending_cents"),
        rs.getInt("partial_refunds"));
  }
}
