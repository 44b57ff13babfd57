package dev.faultline.router;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The real router on a random port, over the class's own {@link ShardFixture} (registered as a
 * static extension field and handed to {@code @DynamicPropertySource}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
// Closed after the class, while ZooKeeper is still up: a router stopping against a dead ensemble
// would wait out its retries. The fixture's shards stop before it (its afterAll runs first).
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@interface RouterOverOwnShards {}
