package dev.faultline.order.order;

import dev.faultline.web.caller.Caller;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reading orders. A customer sees their own; an admin sees anyone's. */
@RestController
@RequestMapping("/api/orders")
class OrderController {
  private final Orders orders;

  OrderController(Orders orders) {
    this.orders = orders;
  }

  @GetMapping("/{id}")
  ResponseEntity<Order> get(@PathVariable UUID id, Caller caller) {
    Order order = orders.find(id).orElseThrow(() -> new OrderNotFoundException(id));
    if (!caller.mayActFor(order.customerId())) {
      throw new NotYourOrderException("order " + id + " belongs to another customer");
    }
    return ResponseEntity.ok().eTag("\"" + order.revision() + "\"").body(order);
  }

  @GetMapping
  List<Order> byCustomer(@RequestParam String customerId, Caller caller) {
    if (!caller.mayActFor(customerId)) {
      throw new NotYourOrderException("a customer may list only their own orders");
    }
    return orders.byCustomer(customerId);
  }
}
