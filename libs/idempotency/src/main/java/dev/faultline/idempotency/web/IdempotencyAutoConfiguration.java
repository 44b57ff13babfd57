package dev.faultline.idempotency.web;

import dev.faultline.idempotency.IdempotencyStore;
import dev.faultline.shard.ShardClient;
import dev.faultline.shard.ShardMigration;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * Idempotency keys for a service that owns data on the shards: the table (migrated into the
 * service's schema on every shard), the executor and the reaper. Its refusals (400, 409, 422) are
 * {@code Rejection}s, answered by service-web's one advice.
 */
@AutoConfiguration(
    afterName = {
      "dev.faultline.shard.ShardClientAutoConfiguration",
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"
    })
@EnableConfigurationProperties(IdempotencyProperties.class)
public class IdempotencyAutoConfiguration {

  @Bean
  ShardMigration idempotencyMigration() {
    return new ShardMigration(
        "classpath:dev/faultline/idempotency/migration", "idempotency_schema_history");
  }

  @Bean
  IdempotencyStore idempotencyStore(JsonMapper json, IdempotencyProperties properties) {
    if (properties.unsafeForgetKeys()) {
      LoggerFactory.getLogger(IdempotencyStore.class)
          .error(
              "UNSAFE: faultline.idempotency.unsafe-forget-keys=true: every Idempotency-Key is"
                  + " treated as new, so a retried request is applied again");
      return new IdempotencyStore(json, true);
    }
    return new IdempotencyStore(json);
  }

  @Bean
  StoredResponses storedResponses(JsonMapper json) {
    return new StoredResponses(json);
  }

  @Bean
  @ConditionalOnBean(ShardClient.class)
  Idempotency idempotency(
      ShardClient shards,
      IdempotencyStore store,
      StoredResponses responses,
      ObjectProvider<RejectionMapper> rejections,
      JsonMapper json,
      MeterRegistry meters) {
    return new Idempotency(
        shards,
        store,
        responses,
        rejections.getIfAvailable(() -> RejectionMapper.CLIENT_ERRORS),
        json,
        meters);
  }

  @Bean
  @ConditionalOnBean(ShardClient.class)
  IdempotencyReaper idempotencyReaper(
      ShardClient shards, IdempotencyStore store, IdempotencyProperties properties) {
    return new IdempotencyReaper(shards, store, properties);
  }
}
