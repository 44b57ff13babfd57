package dev.faultline.gateway.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AffinityTests {

  @Test
  void aLockRequestsKeyIsTheLocksNameWhateverTheOperation() {
    Map<String, Object> none = Map.of();
    assertThat(Affinity.LOCK_NAME.keyOf("/api/locks/report/acquire", none)).isEqualTo("report");
    assertThat(Affinity.LOCK_NAME.keyOf("/api/locks/report", none)).isEqualTo("report");
    assertThat(Affinity.LOCK_NAME.keyOf("/api/locks/", none)).isNull();
    assertThat(Affinity.LOCK_NAME.keyOf("/api/locks", none)).isNull();
    assertThat(Affinity.NONE.keyOf("/api/locks/report", none)).isNull();
  }

  @Test
  void aCustomersKeyIsTheVerifiedCaller() {
    Map<String, Object> attributes = new HashMap<>();
    assertThat(Affinity.CUSTOMER.keyOf("/api/orders", attributes)).isNull();
    attributes.put(dev.faultline.gateway.ratelimit.Callers.ATTRIBUTE, "alice");
    assertThat(Affinity.CUSTOMER.keyOf("/api/orders", attributes)).isEqualTo("alice");
  }
}
