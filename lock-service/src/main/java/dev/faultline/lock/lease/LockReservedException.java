package dev.faultline.lock.lease;

import dev.faultline.web.problem.Rejection;
import java.util.Optional;

/** A lock name that is not the caller's to take or read (see {@link LockPolicy}). */
public final class LockReservedException extends Rejection {
  public LockReservedException(LockName name, Optional<String> owner) {
    super(
        403,
        "lock-reserved",
        "Lock reserved",
        owner
            .map(o -> "'" + name.value() + "' is a lock " + o + " uses internally")
            .orElse(
                "a service's token takes only its own service's locks, not '"
                    + name.value()
                    + "'"));
  }
}
