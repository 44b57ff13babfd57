package dev.faultline.router;

import dev.faultline.shard.ShardsProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The control plane of the data tier: shard topology, node health, failover. */
@SpringBootApplication
@EnableConfigurationProperties(ShardsProperties.class)
public class ShardRouterApplication {
  public static void main(String[] args) {
    SpringApplication.run(ShardRouterApplication.class, args);
  }
}
