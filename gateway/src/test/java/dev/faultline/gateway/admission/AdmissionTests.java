package dev.faultline.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.faultline.gateway.balancing.policy.BalancingPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class AdmissionTests {
  private static final List<Admission.Instance> TWO =
      List.of(new Admission.Instance("id-1", "svc-1"), new Admission.Instance("id-2", "svc-2"));

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private Admission admission(int limit, QueuePolicy queue) {
    return new Admission(
        () -> new FixedLimit(limit), queue, System::nanoTime, meters, new Rejections(meters));
  }

  private static Mono<Slot> admit(Admission admission, Slots slots) {
    return admission.admit("svc", TWO, BalancingPolicy.named("round-robin", 0.25), null, slots);
  }

  @Test
  void everyInstanceTakesUpToItsLimitAndThenTheRequestIsRefusedAtOnce() {
    Admission admission = admission(2, new QueuePolicy(0, Duration.ZERO));
    List<Slot> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(admit(admission, new Slots()).block());
    }
    assertThat(admission.inFlight("svc", "svc-1")).isEqualTo(2);
    assertThat(admission.inFlight("svc", "svc-2")).isEqualTo(2);

    assertThat(refusal(admit(admission, new Slots())).rejection())
        .isEqualTo(RejectionCause.CONCURRENCY_LIMIT);
    assertThat(rejected(RejectionCause.CONCURRENCY_LIMIT)).isEqualTo(1);

    held.getFirst().release(false);
    held.getFirst().release(false); // a second release gives back nothing more
    assertThat(admission.inFlight("svc", "svc-1") + admission.inFlight("svc", "svc-2"))
        .isEqualTo(3);
    assertThat(admit(admission, new Slots()).block()).isNotNull();
  }

  @Test
  void aReleasedSlotGoesToTheFirstWaiterNotToTheNextNewcomer() {
    Admission admission = admission(1, new QueuePolicy(4, Duration.ofSeconds(5)));
    Slot a = admit(admission, new Slots()).block();
    Slot b = admit(admission, new Slots()).block();
    Slots waiting = new Slots();
    List<Slot> granted = new ArrayList<>();
    admit(admission, waiting).subscribe(granted::add);
    assertThat(granted).isEmpty();

    a.release(false);
    assertThat(granted).hasSize(1);
    assertThat(granted.getFirst().instanceId()).isEqualTo(a.instanceId());
    assertThat(waiting.latest()).isSameAs(granted.getFirst()); // held by its exchange
    assertThat(admission.inFlight("svc", "svc-1") + admission.inFlight("svc", "svc-2"))
        .isEqualTo(2);
    b.release(false);
    granted.getFirst().release(false);
    assertThat(admission.inFlight("svc", "svc-1") + admission.inFlight("svc", "svc-2")).isZero();
  }

  @Test
  void aWaiterWhoseTimeRunsOutIsRefusedAndLeavesTheQueue() {
    Admission admission = admission(1, new QueuePolicy(4, Duration.ofMillis(50)));
    Slot a = admit(admission, new Slots()).block();
    Slot b = admit(admission, new Slots()).block();
    assertThat(refusal(admit(admission, new Slots())).rejection())
        .isEqualTo(RejectionCause.QUEUE_TIMEOUT);
    assertThat(rejected(RejectionCause.QUEUE_TIMEOUT)).isEqualTo(1);
    a.release(false);
    b.release(false);
    assertThat(admission.inFlight("svc", "svc-1") + admission.inFlight("svc", "svc-2")).isZero();
  }

  /**
   * A slot granted to a waiter whose request has already been answered (its wait timed out as the
   * slot came back) is given back at once: otherwise it would be counted in flight forever, and
   * enough of them would make the service look full for good.
   */
  @Test
  void aSlotGrantedToARequestThatAlreadyEndedIsGivenBack() {
    Admission admission = admission(1, new QueuePolicy(4, Duration.ofSeconds(5)));
    Slot a = admit(admission, new Slots()).block();
    Slot b = admit(admission, new Slots()).block();
    Slots ended = new Slots();
    admit(admission, ended).subscribe(); // waits
    ended.releaseAll(); // its exchange ends (answered) before the grant arrives

    a.release(false); // handed to that waiter, whose exchange gives it straight back
    b.release(false);
    assertThat(admission.inFlight("svc", "svc-1") + admission.inFlight("svc", "svc-2")).isZero();
    assertThat(admission.enter("svc")).isTrue(); // the door lets in again
  }

  @Test
  void theDoorLetsInWhatTheInstancesAndTheQueueCanHoldAndNoMore() {
    Admission admission = admission(3, new QueuePolicy(2, Duration.ofMillis(20)));
    assertThat(admission.enter("svc")).isTrue(); // a service not met yet: always let in
    admission.leave("svc");
    admit(admission, new Slots()).block().release(false); // meets both instances
    assertThat(admission.capacity("svc")).isEqualTo(3 + 3 + 2);
    for (int i = 0; i < 8; i++) {
      assertThat(admission.enter("svc")).isTrue();
    }
    assertThat(admission.enter("svc")).isFalse();
    admission.leave("svc");
    assertThat(admission.enter("svc")).isTrue();
  }

  @Test
  void aFullQueueRefusesAtOnce() {
    Admission admission = admission(1, new QueuePolicy(1, Duration.ofSeconds(5)));
    admit(admission, new Slots()).block();
    admit(admission, new Slots()).block();
    admit(admission, new Slots()).subscribe(); // waits
    long started = System.nanoTime();
    assertThat(refusal(admit(admission, new Slots())).rejection())
        .isEqualTo(RejectionCause.CONCURRENCY_LIMIT);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void slotsAnExchangeStillHoldsAreGivenBackWhenItEnds() {
    Admission admission = admission(4, new QueuePolicy(0, Duration.ZERO));
    Slots exchange = new Slots();
    admit(admission, exchange).block();
    admit(admission, exchange).block(); // a retry's attempt
    exchange.releaseAll();
    assertThat(admission.inFlight("svc", "svc-1") + admission.inFlight("svc", "svc-2")).isZero();
  }

  @Test
  void theAffinityKeysPolicyChoosesAndMetricsNameTheInstance() {
    Admission admission = admission(8, new QueuePolicy(0, Duration.ZERO));
    BalancingPolicy hashing = BalancingPolicy.named("bounded-load-hashing", 0.25);
    Map<String, String> homes = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      for (int k = 0; k < 20; k++) {
        Slot slot = admission.admit("svc", TWO, hashing, "customer-" + k, new Slots()).block();
        String previous = homes.putIfAbsent("customer-" + k, slot.instanceId());
        assertThat(slot.instanceId()).isEqualTo(previous == null ? slot.instanceId() : previous);
        slot.release(false);
      }
    }
    assertThat(homes.values()).contains("id-1", "id-2");
    assertThat(
            meters.get("gateway.balancer.choices").tag("upstream", "svc-1").counter().count()
                + meters.get("gateway.balancer.choices").tag("upstream", "svc-2").counter().count())
        .isEqualTo(60);
    assertThat(meters.get("gateway.upstream.limit").tag("upstream", "svc-1").gauge().value())
        .isEqualTo(8);
  }

  private static OverloadedException refusal(Mono<Slot> admitted) {
    return catchThrowableOfType(
        OverloadedException.class, () -> admitted.block(Duration.ofSeconds(10)));
  }

  private double rejected(RejectionCause cause) {
    return meters
        .get("gateway.rejections")
        .tag("service", "svc")
        .tag("cause", cause.tag())
        .counter()
        .count();
  }
}
