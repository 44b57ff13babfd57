package dev.faultline.router;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The control plane of the data tier: shard topology, node health, failover. */
@SpringBootApplication
@EnableConfigurationProperties(RouterProperties.class)
public class ShardRouterApplication {
  public static void main(String[] args) {
    SpringApplication.run(ShardRouterApplication.class, args);
  }
}
