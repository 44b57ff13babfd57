package dev.faultline.order.orders;

/** Where an order is in its saga (see DESIGN.md): three terminal states, three in flight. */
public enum OrderStatus {
  PENDING,
  PAID,
  CONFIRMED,
  REJECTED,
  REFUNDING,
  CANCELLED;

  /** The saga is over: nothing more will happen to the money. */
  public boolean isTerminal() {
    return this == CONFIRMED || this == REJECTED || this == CANCELLED;
  }
}
