package dev.faultline.lock;

import dev.faultline.lock.lease.LockPolicy;
import dev.faultline.lock.lease.UnsafeLockSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Leases with fencing tokens, kept in ZooKeeper. */
@SpringBootApplication
@EnableConfigurationProperties({LockPolicy.class, UnsafeLockSettings.class})
public class LockServiceApplication {
  public static void main(String[] args) {
    SpringApplication.run(LockServiceApplication.class, args);
  }
}
