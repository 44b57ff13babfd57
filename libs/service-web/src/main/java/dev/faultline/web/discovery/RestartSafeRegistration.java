package dev.faultline.web.discovery;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
 */
public final class RestartSafeRegistration implements BeanPostProcessor {
  private static final Logger log = LoggerFactory.getLogger(RestartSafeRegistration.class);
  private static final int ATTEMPTS = 5;

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof ServiceDiscovery<?> discovery)) {
      return bean;
    }
    InvocationHandler handler =
        (proxy, method, args) -> {
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
}
