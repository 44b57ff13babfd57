package dev.faultline.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a real ZooKeeper: a {@link ZooKeeperCluster} parameter (constructor,
 * lifecycle or test method). Shared clusters live for the whole test JVM and are reused by every
 * class that asks for the same size; a failure test that kills servers asks for its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(InfrastructureExtension.class)
public @interface WithZooKeeper {
  /** 1 runs a standalone server; 3 a real ensemble of separate processes. */
  int servers() default 1;

  /** False gives this class a cluster of its own, stopped after its last test. */
  boolean shared() default true;
}
