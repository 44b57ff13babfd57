package dev.faultline.shard;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** Gives a service its {@link ShardPools}, migrated before the service takes traffic. */
@AutoConfiguration
@EnableConfigurationProperties(ShardsProperties.class)
public class ShardClientAutoConfiguration {

  @Bean(destroyMethod = "close")
  ShardPools shardPools(ShardsProperties properties, Environment environment) {
    ShardPools pools =
        new ShardPools(properties, environment.getProperty("spring.application.name", "faultline"));
    pools.migrate();
    return pools;
  }
}
