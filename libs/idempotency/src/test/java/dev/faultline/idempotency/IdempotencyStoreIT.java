package dev.faultline.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.testing.PostgresShard;
import dev.faultline.testing.WithPostgres;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.json.JsonMapper;

/** The key store against a real PostgreSQL, inside real transactions. */
@WithPostgres
class IdempotencyStoreIT {
  private static DataSource pg;
  private static final IdempotencyStore store = new IdempotencyStore(JsonMapper.builder().build());

  @BeforeAll
  static void migrate(PostgresShard shard) {
    pg =
        new DriverManagerDataSource(
            shard.primary().jdbcUrl() + "?currentSchema=idem_test",
            shard.appUser(),
            shard.appPassword());
    // The shard client's metadata first, as on every shard: the table's slot column uses it.
    Flyway.configure()
        .dataSource(pg)
        .schemas("shard_meta")
        .defaultSchema("shard_meta")
        .locations("classpath:dev/faultline/shard/migration")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    Flyway.configure()
        .dataSource(pg)
        .schemas("idem_test")
        .defaultSchema("idem_test")
        .locations("classpath:dev/faultline/idempotency/migration")
        .table("idempotency_schema_history")
        .load()
        .migrate();
  }

  interface Tx<T> {
    T apply(JdbcClient db) throws Exception;
  }

  static <T> T tx(Tx<T> work) throws Exception {
    try (Connection c = pg.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(JdbcClient.create(new SingleConnectionDataSource(c, true)));
        c.commit();
        return result;
      } catch (Exception e) {
        c.rollback();
        throw e;
      }
    }
  }

  static Claim claim(String key, String fingerprint) throws Exception {
    return tx(db -> store.claim(db, request(key, fingerprint)));
  }

  static IdempotentRequest request(String key, String body) {
    return new IdempotentRequest("alice", new IdempotencyKey(key), body);
  }

  static final StoredResponse CREATED = new StoredResponse(201, Map.of("Location", "/x/1"), "{}");

  @Test
  void aCompletedKeyReplaysItsStoredAnswerAndRefusesAnotherBody() throws Exception {
    String key = UUID.randomUUID().toString();
    assertThat(claim(key, "f1")).isInstanceOf(Claim.Fresh.class);
    tx(
        db -> {
          store.claim(db, request(key, "f1"));
          store.completed(db, request(key, "f1"), CREATED);
          return null;
        });
    assertThat(claim(key, "f1")).isEqualTo(new Claim.Replay(CREATED));
    assertThat(claim(key, "f2")).isInstanceOf(Claim.Mismatch.class);
    // Another caller's identical key is another key.
    Claim bobs =
        tx(db -> store.claim(db, new IdempotentRequest("bob", new IdempotencyKey(key), "f1")));
    assertThat(bobs).isInstanceOf(Claim.Fresh.class);
  }

  @Test
  void aRolledBackRequestLeavesNoRecord() throws Exception {
    String key = UUID.randomUUID().toString();
    assertThatThrownBy(
            () ->
                tx(
                    db -> {
                      store.claim(db, request(key, "f"));
                      store.completed(db, request(key, "f"), CREATED);
                      throw new IllegalStateException("the change failed");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the change failed");
    // Rolled back with its record: the key is fresh again.
    assertThat(claim(key, "f")).isInstanceOf(Claim.Fresh.class);
  }

  @Test
  void aSecondRequestWhileTheFirstTransactionIsOpenIsToldItIsInProgress() throws Exception {
    String key = UUID.randomUUID().toString();
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Claim> first =
          threads.submit(
              () ->
                  tx(
                      db -> {
                        Claim claim = store.claim(db, request(key, "f"));
                        claimed.countDown();
                        release.await(10, TimeUnit.SECONDS);
                        store.completed(db, request(key, "f"), CREATED);
                        return claim;
                      }));
      claimed.await(10, TimeUnit.SECONDS);
      assertThat(claim(key, "f")).isInstanceOf(Claim.InProgress.class);
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(Claim.Fresh.class);
    }
    assertThat(claim(key, "f")).isEqualTo(new Claim.Replay(CREATED));
  }

  @Test
  void aTwoStepRequestIsInProgressWhileLockedAndAbandonedAfterwards() throws Exception {
    String locked = UUID.randomUUID().toString();
    tx(
        db -> {
          store.inProgress(db, request(locked, "f"), "order-1", Duration.ofMinutes(1));
          return null;
        });
    assertThat(claim(locked, "f")).isInstanceOf(Claim.InProgress.class);

    String expired = UUID.randomUUID().toString();
    tx(
        db -> {
          store.inProgress(db, request(expired, "f"), "order-2", Duration.ZERO);
          return null;
        });
    assertThat(claim(expired, "f")).isEqualTo(new Claim.Abandoned("order-2"));
    // Whoever answers first stores the answer; a late completion does not overwrite it.
    tx(
        db -> {
          store.completed(db, request(expired, "f"), CREATED);
          return null;
        });
    StoredResponse late = new StoredResponse(202, Map.of(), "{\"late\":true}");
    boolean completedLate = tx(db -> store.complete(db, request(expired, "f"), late));
    assertThat(completedLate).isFalse();
    assertThat(claim(expired, "f")).isEqualTo(new Claim.Replay(CREATED));
  }

  @Test
  void theReaperDeletesOnlyKeysOlderThanTheRetention() throws Exception {
    String old = UUID.randomUUID().toString();
    String young = UUID.randomUUID().toString();
    tx(
        db -> {
          store.completed(db, request(old, "f"), CREATED);
          store.completed(db, request(young, "f"), CREATED);
          return db.sql(
                  "update idempotency_keys set created_at = now() - interval '25 hours'"
                      + " where key = ?")
              .param(old)
              .update();
        });
    int reaped = tx(db -> store.reap(db, Duration.ofHours(24), 1000));
    assertThat(reaped).isGreaterThanOrEqualTo(1);
    assertThat(claim(old, "f")).isInstanceOf(Claim.Fresh.class);
    assertThat(claim(young, "f")).isInstanceOf(Claim.Replay.class);
  }
}
