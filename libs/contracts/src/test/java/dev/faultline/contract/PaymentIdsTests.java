package dev.faultline.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PaymentIdsTests {

  @Test
  void aPaymentIdNamesItsAccountsSlotAndItsOrderAndParsesBack() {
    String id = PaymentIds.of(0x2a, "o-1");
    assertThat(id).isEqualTo("pay_002a_o-1").matches(PaymentIds.PATTERN);
    assertThat(PaymentIds.parse(id)).contains(new PaymentIds.Parsed(0x2a, "o-1"));
    assertThat(PaymentIds.parse("pay_2a_o-1")).isEmpty();
    assertThat(PaymentIds.parse("pay_002a_o/1")).isEmpty();
    assertThatThrownBy(() -> PaymentIds.of(0x10000, "o-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
