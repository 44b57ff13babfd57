package dev.faultline.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.lock.client.LockClient;
import dev.faultline.lock.client.LockHandle;
import dev.faultline.lock.client.StaleFencingTokenException;
import dev.faultline.lock.client.StorageFence;
import dev.faultline.testing.PostgresShard;
import dev.faultline.testing.ServiceTestProperties;
import dev.faultline.testing.SharedInfrastructure;
import dev.faultline.testing.TestTokens;
import dev.faultline.testing.WithPostgres;
import dev.faultline.testing.WithZooKeeper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Kleppmann's paused holder, for real: holder A's process stalls (its renewal thread is blocked, as
 * in a long GC pause) past its TTL, B acquires and writes, A wakes and writes with its old token.
 * PostgreSQL refuses A's write in the same statement that would have made it; B's stands.
 */
@WithZooKeeper
@WithPostgres
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LockFencingIT {
  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    ServiceTestProperties.zooKeeperAndAuth(registry::add);
  }

  private static JdbcClient db;

  @BeforeAll
  static void table() {
    PostgresShard pg = SharedInfrastructure.postgres(false);
    db =
        JdbcClient.create(
            new DriverManagerDataSource(pg.primary().jdbcUrl(), pg.appUser(), pg.appPassword()));
    db.sql(
            "create table if not exists fenced_resource (id text primary key, value text not null,"
                + " fence_token bigint not null default 0)")
        .update();
  }

  @Autowired Environment environment;

  private URI service() {
    return URI.create(
        "http://127.0.0.1:" + environment.getRequiredProperty("local.server.port", Integer.class));
  }

  /** A fenced write of {@code value} to the resource's row under {@code lease}'s token. */
  private static int write(StorageFence fence, String resource, LockHandle lease, String value) {
    return fence.update(
        db,
        "fenced_resource",
        "id",
        resource,
        lease.fencingToken(),
        "value = :v",
        Map.of("v", value));
  }

  @Test
  void aPausedHolderWakesUpToARefusedWriteAndTheNewHoldersWriteStands() throws Exception {
    String resource = "res-" + UUID.randomUUID();
    db.sql("insert into fenced_resource (id, value) values (?, 'initial')")
        .param(resource)
        .update();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    StorageFence fence = new StorageFence(meters);

    // A's renewals run on a thread we can freeze: the "pause".
    ScheduledExecutorService aThread = Executors.newSingleThreadScheduledExecutor();
    CountDownLatch resume = new CountDownLatch(1);
    AtomicBoolean aLost = new AtomicBoolean();
    try (LockClient a = new LockClient(service(), () -> TestTokens.customer("a"), aThread);
        LockClient b = new LockClient(service(), () -> TestTokens.customer("b"))) {
      LockHandle aLease =
          a.acquire(
                  "resource-" + resource,
                  "A",
                  Duration.ofSeconds(1),
                  Duration.ZERO,
                  h -> aLost.set(true))
              .orElseThrow();
      assertThat(write(fence, resource, aLease, "written by A")).isEqualTo(1);
      aThread.execute(
          () -> {
            try {
              resume.await(); // A stops the world: no renewals
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });

      // B waits for the lock; it is freed when A's lease expires.
      LockHandle bLease =
          b.acquire(
                  "resource-" + resource,
                  "B",
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(10),
                  h -> {})
              .orElseThrow();
      assertThat(bLease.fencingToken()).isGreaterThan(aLease.fencingToken());
      write(fence, resource, bLease, "written by B");

      // A wakes up and, believing it still holds the lock, writes with its old token.
      resume.countDown();
      assertThatThrownBy(() -> write(fence, resource, aLease, "late write by A"))
          .isInstanceOf(StaleFencingTokenException.class);

      assertThat(
              db.sql("select value from fenced_resource where id = ?")
                  .param(resource)
                  .query(String.class)
                  .single())
          .isEqualTo("written by B");
      assertThat(meters.get("locks.fencing.rejections").counter().count()).isEqualTo(1);
      // A's client notices too, as soon as its renewal thread runs again.
      await().atMost(Duration.ofSeconds(5)).untilTrue(aLost);
      assertThat(aLease.isHeld()).isFalse();
      bLease.close();
      bLease.close(); // safe twice
      aLease.close();
    } finally {
      aThread.shutdownNow();
    }
  }
}
