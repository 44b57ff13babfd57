package dev.faultline.order.saga;

import static dev.faultline.order.orders.OrderStatus.CANCELLED;
import static dev.faultline.order.orders.OrderStatus.CONFIRMED;
import static dev.faultline.order.orders.OrderStatus.PAID;
import static dev.faultline.order.orders.OrderStatus.PARTIALLY_REFUNDED;
import static dev.faultline.order.orders.OrderStatus.PARTIALLY_REFUNDING;
import static dev.faultline.order.orders.OrderStatus.PENDING;
import static dev.faultline.order.orders.OrderStatus.REFUNDING;
import static dev.faultline.order.orders.OrderStatus.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.order.orders.OrderStatus;
import dev.faultline.order.saga.OrderSaga.Event;
import dev.faultline.order.saga.OrderSaga.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The saga definition on its own: every transition, every compensation, nothing else. */
class OrderSagaTests {
  private static final Event CAPTURED = new Event.Captured();
  private static final Event DECLINED = new Event.Declined("INSUFFICIENT_FUNDS");
  private static final Event CONFIRMED_EVENT = new Event.Confirmed();
  private static final Event CANCEL = new Event.CancelRequested();
  private static final Event REFUNDED = new Event.Refunded(1250);
  private static final Event PART = new Event.RefundRequested(300);
  private static final Event PART_BACK = new Event.PartRefunded(300, 950);
  private static final Event LAST_PART_BACK = new Event.PartRefunded(950, 0);
  private static final Event FIRST_PART_REFUSED = new Event.RefundRefused("refund-exceeds", false);
  private static final Event LATER_PART_REFUSED = new Event.RefundRefused("refund-exceeds", true);
  private static final List<Event> EVENTS =
      List.of(
          CAPTURED,
          DECLINED,
          CONFIRMED_EVENT,
          CANCEL,
          REFUNDED,
          PART,
          PART_BACK,
          LAST_PART_BACK,
          FIRST_PART_REFUSED,
          LATER_PART_REFUSED);

  /** The whole table: (state, event) -> state. Anything not listed must be refused. */
  private static final Map<OrderStatus, Map<Event, OrderStatus>> TABLE =
      Map.of(
          PENDING,
          Map.of(CAPTURED, PAID, DECLINED, REJECTED, CANCEL, REFUNDING),
          PAID,
          Map.of(CONFIRMED_EVENT, CONFIRMED, CANCEL, REFUNDING),
          CONFIRMED,
          Map.of(CANCEL, REFUNDING, PART, PARTIALLY_REFUNDING),
          REFUNDING,
          Map.of(REFUNDED, CANCELLED),
          REJECTED,
          Map.of(),
          CANCELLED,
          Map.of(),
          PARTIALLY_REFUNDING,
          Map.of(
              PART_BACK, PARTIALLY_REFUNDED,
              LAST_PART_BACK, OrderStatus.REFUNDED,
              FIRST_PART_REFUSED, CONFIRMED,
              LATER_PART_REFUSED, PARTIALLY_REFUNDED),
          PARTIALLY_REFUNDED,
          Map.of(CANCEL, REFUNDING, PART, PARTIALLY_REFUNDING),
          OrderStatus.REFUNDED,
          Map.of());

  @Test
  void everyTransitionInTheTableHappensAndNothingElseDoes() {
    for (OrderStatus status : OrderStatus.values()) {
      for (Event event : EVENTS) {
        OrderStatus expected = TABLE.get(status).get(event);
        if (expected == null) {
          assertThat(OrderSaga.allows(status, event)).as(status + " + " + event).isFalse();
          assertThatThrownBy(() -> OrderSaga.next(status, event))
              .isInstanceOf(OrderSaga.IllegalTransition.class)
              .hasMessageContaining(status.name());
        } else {
          assertThat(OrderSaga.next(status, event)).as(status + " + " + event).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void eachInFlightStateHasOneStepAndTerminalStatesNone() {
    assertThat(OrderSaga.stepFor(PENDING)).containsInstanceOf(Step.Charge.class);
    assertThat(OrderSaga.stepFor(PAID)).containsInstanceOf(Step.Confirm.class);
    assertThat(OrderSaga.stepFor(REFUNDING)).containsInstanceOf(Step.Refund.class);
    assertThat(OrderSaga.stepFor(PARTIALLY_REFUNDING)).containsInstanceOf(Step.RefundPart.class);
    for (OrderStatus terminal :
        List.of(CONFIRMED, REJECTED, CANCELLED, PARTIALLY_REFUNDED, OrderStatus.REFUNDED)) {
      assertThat(terminal.isTerminal()).isTrue();
      assertThat(OrderSaga.stepFor(terminal)).isEmpty();
    }
    for (OrderStatus inFlight : List.of(PENDING, PAID, REFUNDING, PARTIALLY_REFUNDING)) {
      assertThat(inFlight.isTerminal()).isFalse();
    }
  }

  @Test
  void theHappyPathChargesThenConfirms() {
    assertThat(walk(PENDING, CAPTURED, CONFIRMED_EVENT)).containsExactly(PAID, CONFIRMED);
  }

  @Test
  void aDeclinedChargeRejectsTheOrderWithItsReasonAndNeedsNoCompensation() {
    assertThat(walk(PENDING, DECLINED)).containsExactly(REJECTED);
    assertThat(OrderSaga.detail(DECLINED)).isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(OrderSaga.allows(REJECTED, CANCEL)).isFalse();
  }

  @Test
  void aConfirmedOrderIsCompensatedByARefund() {
    assertThat(walk(CONFIRMED, CANCEL, REFUNDED)).containsExactly(REFUNDING, CANCELLED);
  }

  @Test
  void aPaidButUnconfirmedOrderIsCompensatedByARefund() {
    assertThat(walk(PAID, CANCEL, REFUNDED)).containsExactly(REFUNDING, CANCELLED);
  }

  @Test
  void aCancelWhileTheChargeIsUnknownRefundsOrVoidsAndNeverChargesAgain() {
    // The compensation runs without waiting for the charge's outcome: the refund returns what it
    // captured or leaves a tombstone so it fails; REFUNDING never goes back to charging.
    assertThat(walk(PENDING, CANCEL, REFUNDED)).containsExactly(REFUNDING, CANCELLED);
    assertThat(OrderSaga.allows(REFUNDING, CAPTURED)).isFalse();
    assertThat(OrderSaga.allows(REFUNDING, DECLINED)).isFalse();
    assertThat(OrderSaga.stepFor(REFUNDING)).containsInstanceOf(Step.Refund.class);
  }

  @Test
  void aCancelledOrderStaysCancelled() {
    for (Event event : EVENTS) {
      assertThat(OrderSaga.allows(CANCELLED, event)).isFalse();
    }
    assertThat(OrderSaga.detail(REFUNDED)).isEqualTo("refunded 1250");
  }

  @Test
  void partialRefundsRunOneAtATimeAndACancelReturnsTheRest() {
    assertThat(walk(CONFIRMED, PART, PART_BACK, PART, LAST_PART_BACK))
        .containsExactly(
            PARTIALLY_REFUNDING, PARTIALLY_REFUNDED, PARTIALLY_REFUNDING, OrderStatus.REFUNDED);
    assertThat(walk(CONFIRMED, PART, PART_BACK, CANCEL, REFUNDED))
        .containsExactly(PARTIALLY_REFUNDING, PARTIALLY_REFUNDED, REFUNDING, CANCELLED);
    // No cancel and no second part while one is in flight: the cancel's "refund the rest" would
    // race it.
    assertThat(OrderSaga.allows(PARTIALLY_REFUNDING, CANCEL)).isFalse();
    assertThat(OrderSaga.allows(PARTIALLY_REFUNDING, PART)).isFalse();
    assertThat(OrderSaga.detail(PART)).isEqualTo("refund of 300 requested");
  }

  private static List<OrderStatus> walk(OrderStatus from, Event... events) {
    List<OrderStatus> states = new ArrayList<>();
    OrderStatus status = from;
    for (Event event : events) {
      status = OrderSaga.next(status, event);
      states.add(status);
    }
    return states;
  }
}
