package dev.faultline.web.discovery;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Makes registering in discovery safe right after a crash. A SIGKILLed instance's registration (an
 * ephemeral node named by its instance ID) lives on until its ZooKeeper session expires; when the
 * instance restarts within that time, Curator's {@code ServiceDiscoveryImpl} finds the node,
 * deletes it and creates its own, and if the old session expires between the two steps the delete
 * fails with {@code NoNode}, which fails the whole start. The chaos drill and the crash tests
 * restart services at exactly that moment. This wraps the {@link ServiceDiscovery} bean so that
 * {@code registerService} tries again on {@code NoNode}: the node it wanted gone is gone.
 *
 * <p>And it bounds the other end: {@code unregisterService}, which Spring calls while the instance
 * shuts down, is given {@link #UNREGISTER_WITHIN}. With ZooKeeper unreachable, Curator would retry
 * the delete with backoff for tens of seconds, holding up the shutdown (past a pod's grace period,
 * or a test JVM's exit); the registration is an ephemeral node, so it goes anyway, with the
 * session, once the instance is gone.
 */
public final class RestartSafeRegistration implements BeanPostProcessor {
  private static final Logger log = LoggerFactory.getLogger(RestartSafeRegistration.class);
  private static final int ATTEMPTS = 5;
  static final Duration UNREGISTER_WITHIN = Duration.ofSeconds(2);

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof ServiceDiscovery<?> discovery)) {
      return bean;
    }
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("unregisterService")) {
            return unregisterWithin(discovery, method, args);
          }
          for (int attempt = 1; ; attempt++) {
            try {
              return method.invoke(discovery, args);
            } catch (InvocationTargetException e) {
              boolean retry =
                  method.getName().equals("registerService")
                      && e.getCause() instanceof KeeperException.NoNodeException
                      && attempt < ATTEMPTS;
              if (!retry) {
                throw e.getCause();
              }
              log.warn(
                  "registration raced the expiry of this instance's previous session ({});"
                      + " registering again",
                  e.getCause().getMessage());
            }
          }
        };
    return Proxy.newProxyInstance(
        ServiceDiscovery.class.getClassLoader(), new Class<?>[] {ServiceDiscovery.class}, handler);
  }

  private static Object unregisterWithin(Object discovery, Method method, Object[] args)
      throws Throwable {
    CompletableFuture<Object> done =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return method.invoke(discovery, args);
              } catch (ReflectiveOperationException e) {
                throw new CompletionException(e);
              }
            },
            task -> Thread.ofPlatform().daemon().name("discovery-unregister").start(task));
    try {
      return done.get(UNREGISTER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "could not deregister from discovery within {} ms (ZooKeeper unreachable?); the"
              + " registration goes with this instance's session",
          UNREGISTER_WITHIN.toMillis());
      return null;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      throw cause instanceof InvocationTargetException target ? target.getCause() : cause;
    }
  }
}
