package dev.faultline.lock.lease;

import dev.faultline.contract.Text;
import dev.faultline.web.caller.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Locks over REST (see CONTRACT.md): acquire, renew, release, inspect. */
@RestController
@RequestMapping("/api/locks")
class LockController {
  private final LeaseStore leases;
  private final ZooKeeperAvailability zooKeeper;
  private final LockPolicy policy;
  private final Timer acquireTimer;

  LockController(
      LeaseStore leases, ZooKeeperAvailability zooKeeper, LockPolicy policy, MeterRegistry meters) {
    this.leases = leases;
    this.policy = policy;
    this.zooKeeper = zooKeeper;
    this.acquireTimer =
        Timer.builder("locks.acquire")
            .description("time to grant a lock, waiting included")
            .publishPercentileHistogram()
            .register(meters);
  }

  /** An acquire: who holds it, for how long (ms), and how long to wait for it (ms). */
  record AcquireRequest(
      @NotBlank @Size(max = 128) @Pattern(regexp = Text.PRINTABLE, message = Text.PRINTABLE_MESSAGE)
          String holder,
      @NotNull @Min(100) @Max(600_000) Long ttlMs,
      @Min(0) @Max(60_000) Long waitMs) {}

  /** A renewal or release names the lease it acts on. */
  record LeaseRequest(
      @NotNull @Pattern(regexp = "[0-9a-f-]{36}", message = "must be a lease ID") String leaseId) {}

  @PostMapping("/{name}/acquire")
  Lease acquire(
      @PathVariable String name, @Valid @RequestBody AcquireRequest request, Caller caller)
      throws Exception {
    LockName lock = new LockName(name);
    policy.checkName(lock, caller);
    policy.checkTtl(request.ttlMs(), caller);
    long started = System.nanoTime();
    Lease lease =
        zooKeeper.guarded(
            () ->
                leases.acquire(
                    lock,
                    caller.subject(),
                    request.holder(),
                    request.ttlMs(),
                    request.waitMs() == null ? 0 : request.waitMs(),
                    policy.maxLeases(caller)));
    acquireTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    return lease;
  }

  @PostMapping("/{name}/renew")
  Lease renew(@PathVariable String name, @Valid @RequestBody LeaseRequest request, Caller caller)
      throws Exception {
    LockName lock = new LockName(name);
    return zooKeeper.guarded(() -> leases.renew(lock, caller.subject(), request.leaseId()));
  }

  @PostMapping("/{name}/release")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void release(@PathVariable String name, @Valid @RequestBody LeaseRequest request, Caller caller)
      throws Exception {
    LockName lock = new LockName(name);
    zooKeeper.guarded(
        () -> {
          leases.release(lock, caller.subject(), request.leaseId(), policy.maxLeases(caller) > 0);
          return null;
        });
  }

  @GetMapping("/{name}")
  Lease get(@PathVariable String name, Caller caller) throws Exception {
    LockName lock = new LockName(name);
    policy.checkName(lock, caller);
    return zooKeeper
        .guarded(() -> leases.current(lock))
        .orElseThrow(() -> new LockNotHeldException(lock));
  }
}
