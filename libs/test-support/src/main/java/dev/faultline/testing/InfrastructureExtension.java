package dev.faultline.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Resolves {@link ZooKeeperCluster} and {@link PostgresShard} parameters per the annotations. */
final class InfrastructureExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(InfrastructureExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ZooKeeperCluster.class || type == PostgresShard.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    if (parameter.getParameter().getType() == ZooKeeperCluster.class) {
      WithZooKeeper config = annotation(testClass, WithZooKeeper.class);
      if (config.shared()) {
        return SharedInfrastructure.zooKeeper(config.servers());
      }
      // Stored at class level, so every method of the class sees the same cluster and JUnit
      // closes it (AutoCloseable) once the class is done.
      return classStore(context)
          .computeIfAbsent(
              "zookeeper", key -> ZooKeeperCluster.start(config.servers()), ZooKeeperCluster.class);
    }
    WithPostgres config = annotation(testClass, WithPostgres.class);
    if (config.shared()) {
      return SharedInfrastructure.postgres(config.replica());
    }
    return classStore(context)
        .computeIfAbsent(
            "postgres", key -> PostgresShard.start(config.replica()), PostgresShard.class);
  }

  private static ExtensionContext.Store classStore(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent()) {
      classContext = classContext.getParent().orElseThrow();
    }
    return classContext.getStore(NAMESPACE);
  }

  private static <A extends java.lang.annotation.Annotation> A annotation(
      Class<?> testClass, Class<A> type) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      A found = c.getAnnotation(type);
      if (found != null) {
        return found;
      }
    }
    throw new ParameterResolutionException(
        testClass.getName() + " asks for a server but is not annotated @" + type.getSimpleName());
  }
}
