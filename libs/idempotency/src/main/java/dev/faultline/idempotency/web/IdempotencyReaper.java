package dev.faultline.idempotency.web;

import dev.faultline.idempotency.IdempotencyStore;
import dev.faultline.shard.ShardClient;
import dev.faultline.shard.topology.ShardInfo;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Deletes keys older than the retention on every shard, in small batches so no long transaction
 * holds locks. Every instance runs it: deletes of the same old rows are harmless to repeat.
 */
public final class IdempotencyReaper implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(IdempotencyReaper.class);
  private static final int BATCH = 1_000;

  private final ShardClient shards;
  private final IdempotencyStore store;
  private final IdempotencyProperties properties;
  private volatile ScheduledExecutorService timer;

  public IdempotencyReaper(
      ShardClient shards, IdempotencyStore store, IdempotencyProperties properties) {
    this.shards = shards;
    this.store = store;
    this.properties = properties;
  }

  /** One pass over every shard; returns the keys deleted. */
  public int reapOnce() {
    int deleted = 0;
    for (ShardInfo shard : shards.view().topology().shards()) {
      try {
        int batch;
        do {
          batch = shards.write(shard.id(), db -> store.reap(db, properties.retention(), BATCH));
          deleted += batch;
        } while (batch == BATCH);
      } catch (RuntimeException e) {
        log.warn("idempotency keys on shard {} not reaped now: {}", shard.id(), e.toString());
      }
    }
    return deleted;
  }

  @Override
  public void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("idempotency-reaper").factory());
    long period = Math.max(1, properties.reapInterval().toMillis());
    timer.scheduleWithFixedDelay(this::reapOnce, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return timer != null && !timer.isShutdown();
  }

  Duration retention() {
    return properties.retention();
  }
}
