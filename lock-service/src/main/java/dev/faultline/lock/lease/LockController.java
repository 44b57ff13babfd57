package dev.faultline.lock.lease;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Locks over REST (see CONTRACT.md). */
@RestController
@RequestMapping("/api/locks")
class LockController {
  private final LeaseStore leases;

  LockController(LeaseStore leases) {
    this.leases = leases;
  }

  @GetMapping("/{name}")
  Lease get(@PathVariable String name) throws Exception {
    LockName lock = new LockName(name);
    return leases.current(lock).orElseThrow(() -> new LockNotHeldException(lock));
  }
}
