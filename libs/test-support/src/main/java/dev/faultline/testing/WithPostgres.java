package dev.faultline.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a real PostgreSQL shard: a {@link PostgresShard} parameter. Shared shards
 * live for the whole test JVM; a test that kills or promotes nodes asks for its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(InfrastructureExtension.class)
public @interface WithPostgres {
  /** Adds a streaming replica, required as a synchronous standby. */
  boolean replica() default false;

  /** False gives this class a shard of its own, stopped after its last test. */
  boolean shared() default true;
}
