package dev.faultline.web.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;

class RestartSafeRegistrationTests {
  private final List<String> calls = new ArrayList<>();

  /** A discovery whose registerService throws the given failures first, then succeeds. */
  @SuppressWarnings("unchecked")
  private ServiceDiscovery<Object> discovery(Exception... failures) {
    int[] registrations = {0};
    return (ServiceDiscovery<Object>)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {ServiceDiscovery.class},
            (proxy, method, args) -> {
              calls.add(method.getName());
              if (method.getName().equals("registerService")
                  && registrations[0] < failures.length) {
                throw failures[registrations[0]++];
              }
              return null;
            });
  }

  @SuppressWarnings("unchecked")
  private ServiceDiscovery<Object> wrapped(ServiceDiscovery<Object> discovery) {
    return (ServiceDiscovery<Object>)
        new RestartSafeRegistration().postProcessAfterInitialization(discovery, "discovery");
  }

  @Test
  void aRegistrationThatLostTheRaceWithTheOldSessionIsTriedAgain() throws Exception {
    ServiceDiscovery<Object> discovery =
        wrapped(discovery(new KeeperException.NoNodeException("/services/x/x-1")));

    discovery.registerService(ServiceInstance.builder().name("x").id("x-1").build());

    assertThat(calls).containsExactly("registerService", "registerService");
  }

  @Test
  void otherFailuresAndOtherCallsPassThroughUntouched() throws Exception {
    ServiceDiscovery<Object> discovery =
        wrapped(discovery(new KeeperException.ConnectionLossException()));

    assertThatThrownBy(
            () -> discovery.registerService(ServiceInstance.builder().name("x").id("x-1").build()))
        .isInstanceOf(KeeperException.ConnectionLossException.class);
    discovery.close();
    assertThat(calls).containsExactly("registerService", "close");
  }

  @Test
  void itGivesUpAfterFiveAttempts() {
    KeeperException.NoNodeException noNode = new KeeperException.NoNodeException("/p");
    ServiceDiscovery<Object> discovery =
        wrapped(discovery(noNode, noNode, noNode, noNode, noNode, noNode));

    assertThatThrownBy(
            () -> discovery.registerService(ServiceInstance.builder().name("x").id("x-1").build()))
        .isSameAs(noNode);
    assertThat(calls).hasSize(5);
  }

  @Test
  @org.junit.jupiter.api.Timeout(30) // unbounded, the call would never return
  void aDeregistrationThatHangsIsGivenUpOnSoTheShutdownGoesOn() throws Exception {
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    @SuppressWarnings("unchecked")
    ServiceDiscovery<Object> hanging =
        (ServiceDiscovery<Object>)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ServiceDiscovery.class},
                (proxy, method, args) -> {
                  calls.add(method.getName());
                  never.await(); // Curator retrying a delete against an unreachable ZooKeeper
                  return null;
                });
    ServiceInstance<Object> instance = ServiceInstance.builder().name("x").id("x-1").build();

    wrapped(hanging).unregisterService(instance);

    assertThat(calls).containsExactly("unregisterService");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aDeregistrationThatFailsSaysWhy() throws Exception {
    ServiceDiscovery<Object> failing =
        wrapped(
            (ServiceDiscovery<Object>)
                Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {ServiceDiscovery.class},
                    (proxy, method, args) -> {
                      throw new KeeperException.NoAuthException();
                    }));

    assertThatThrownBy(
            () -> failing.unregisterService(ServiceInstance.builder().name("x").id("x-1").build()))
        .isInstanceOf(KeeperException.NoAuthException.class);
  }

  @Test
  void otherBeansAreLeftAlone() {
    Object bean = new Object();
    assertThat(new RestartSafeRegistration().postProcessAfterInitialization(bean, "b"))
        .isSameAs(bean);
  }
}
