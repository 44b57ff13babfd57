package dev.faultline.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationTests {

  @ParameterizedTest
  @CsvSource({
    "POST, /api/orders, place-order",
    "POST, /api/orders/, place-order",
    "GET, /api/orders, read-orders",
    "GET, /api/orders/o-1, read-orders",
    "POST, /api/orders/o-1/cancel, cancel-order",
    "POST, /api/orders/o-1/refunds, refund-order",
    "GET, /api/sagas/stuck, read-sagas",
    "POST, /api/accounts, open-account",
    "GET, /api/accounts/a-1/ledger, read-account",
    "POST, /api/accounts/a-1/deposits, deposit",
    "POST, /api/payments, pay",
    "GET, /api/payments/p-1, read-payment",
    "POST, /api/payments/p-1/refunds, refund-payment",
    "POST, /api/locks/l-1/acquire, lock-acquire",
    "POST, /api/locks/l-1/renew, lock-renew",
    "POST, /api/locks/l-1/release, lock-release",
    "GET, /api/locks/l-1, read-lock",
    "GET, /api/shards/route, read-shards",
    "POST, /api/shards/0/failover, admin-shards",
    "DELETE, /api/shards/2, admin-shards",
    // Unknown shapes share one value, so clients cannot mint label values.
    "PUT, /api/orders/o-1, other",
    "POST, /api/orders/o-1/anything, other",
    "GET, /api/locks/a/b/c, other",
    "GET, /favicon.ico, other",
  })
  void classifiesEachRequestShapeIntoOneOperation(String method, String path, String expected) {
    assertThat(Operation.of(method, path).label()).isEqualTo(expected);
  }
}
