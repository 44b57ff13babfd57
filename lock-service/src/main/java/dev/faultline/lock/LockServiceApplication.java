package dev.faultline.lock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Leases with fencing tokens, kept in ZooKeeper. */
@SpringBootApplication
public class LockServiceApplication {
  public static void main(String[] args) {
    SpringApplication.run(LockServiceApplication.class, args);
  }
}
