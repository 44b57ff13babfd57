package dev.faultline.order.saga;

import dev.faultline.order.orders.OrderRejections;
import dev.faultline.order.orders.Orders;
import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import dev.faultline.web.caller.Caller;
import dev.faultline.web.problem.Rejection;
import dev.faultline.web.problem.Rejections;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * For operators: list sagas (the stuck ones: not terminal within {@code
 * faultline.saga.stuck-after}) and make one due now. Admin only.
 */
@RestController
@Validated
@RequestMapping("/api/sagas")
class SagaAdminController {
  private final ShardClient shards;
  private final Orders orders;
  private final SagaStore store;
  private final SagaProperties properties;

  SagaAdminController(
      ShardClient shards, Orders orders, SagaStore store, SagaProperties properties) {
    this.shards = shards;
    this.orders = orders;
    this.store = store;
    this.properties = properties;
  }

  @GetMapping
  List<SagaStore.SagaView> list(
      @RequestParam(defaultValue = "false") boolean stuck,
      @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
      Caller caller) {
    requireAdmin(caller);
    return shards
        .readEveryShard(
            Freshness.LATEST, db -> store.list(db, stuck, properties.stuckAfter(), limit))
        .values()
        .stream()
        .flatMap(List::stream)
        .sorted(Comparator.comparing(SagaStore.SagaView::startedAt).reversed())
        .limit(limit)
        .toList();
  }

  /** Makes the saga due now (attempts reset): the recovery worker drives it on its next poll. */
  @PostMapping("/{orderId}/retry")
  ResponseEntity<Map<String, Object>> retry(@PathVariable UUID orderId, Caller caller) {
    requireAdmin(caller);
    if (!orders.canExist(orderId)) {
      throw new OrderRejections.OrderNotFound(orderId);
    }
    boolean open = shards.writeSlot(orders.slotOf(orderId), db -> store.retryNow(db, orderId));
    if (!open) {
      orders.find(orderId).orElseThrow(() -> new OrderRejections.OrderNotFound(orderId));
      throw new SagaFinished(orderId);
    }
    return ResponseEntity.accepted().body(Map.of("orderId", orderId, "due", "now"));
  }

  private static void requireAdmin(Caller caller) {
    if (!caller.isAdmin()) {
      throw new Rejections.Forbidden("the saga admin endpoints are for operators");
    }
  }

  static final class SagaFinished extends Rejection {
    SagaFinished(UUID orderId) {
      super(409, "saga-finished", "Saga finished", "the saga of order " + orderId + " is over");
    }
  }
}
