package dev.faultline.order.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderIdsTests {

  @Test
  void anOrderIdCarriesItsCustomersSlotAndIsAVersion8Uuid() {
    for (int slot : List.of(0, 1, 4242, 16_383, 0xffff)) {
      UUID id = OrderIds.next(slot);
      assertThat(OrderIds.slotOf(id)).isEqualTo(slot);
      assertThat(id.version()).isEqualTo(8);
      assertThat(id.variant()).isEqualTo(2);
      assertThat(OrderIds.isOrderId(id)).isTrue();
      assertThat(UUID.fromString(id.toString())).isEqualTo(id);
    }
    assertThat(OrderIds.next(7)).isNotEqualTo(OrderIds.next(7));
    assertThat(OrderIds.isOrderId(UUID.randomUUID())).isFalse();
    assertThatThrownBy(() -> OrderIds.next(0x10000)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theTotalIsExactAndBounded() {
    assertThat(
            OrderService.total(List.of(new Order.Item("a", 2, 500), new Order.Item("b", 1, 250))))
        .isEqualTo(1250);
    assertThatThrownBy(() -> OrderService.total(List.of(new Order.Item("free", 3, 0))))
        .isInstanceOf(OrderRejections.TotalOutOfRange.class);
    assertThatThrownBy(
            () -> OrderService.total(List.of(new Order.Item("x", 10_000, 1_000_000_000L))))
        .isInstanceOf(OrderRejections.TotalOutOfRange.class);
  }
}
