package dev.faultline.lock.lease;

import dev.faultline.web.caller.Caller;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may take which lock, and for how long ({@code faultline.locks.*}). The services' own locks
 * (an account's balance lease, a shard's recovery worker, the router's leadership) guard money and
 * failover: a customer who could take {@code account-<id>} would freeze that account's deposits and
 * orders for as long as they renewed it. So each such name belongs to one service, and a service's
 * token reaches its own names and no others (a leaked payment-service token cannot depose the
 * router). Operators (admin tokens) may take or read any name, to inspect or to break things on
 * purpose. A customer's lease is short: {@code customer-max-ttl} (60 s) against the API's 600 s.
 *
 * @param reserved lock-name prefix to the one service whose names they are (its token's subject);
 *     by default {@code account-} payment-service, {@code order-saga-} order-service, {@code
 *     shard-router-} shard-router
 * @param customerMaxTtl the longest lease a customer's token may ask for
 * @param customerMaxLeases how many leases one customer may hold at once, so no one caller can fill
 *     ZooKeeper with lease nodes
 */
@ConfigurationProperties("faultline.locks")
public record LockPolicy(
    @Nullable Map<String, String> reserved,
    @DefaultValue("60s") Duration customerMaxTtl,
    @DefaultValue("100") int customerMaxLeases) {

  static final Map<String, String> DEFAULT_RESERVED =
      Map.of(
          "account-", "payment-service",
          "order-saga-", "order-service",
          "shard-router-", "shard-router");

  public LockPolicy {
    reserved = reserved == null || reserved.isEmpty() ? DEFAULT_RESERVED : Map.copyOf(reserved);
  }

  /**
   * Refuses {@code caller} a name that is not theirs: a reserved name to anyone but its service
   * (and operators), any other name to a service.
   */
  void checkName(LockName name, Caller caller) {
    if (caller.isAdmin()) {
      return;
    }
    Optional<String> owner = ownerOf(name);
    if (owner.isPresent() ? !caller.isService(owner.get()) : caller.isService()) {
      throw new LockReservedException(name, owner);
    }
  }

  /**
   * How many leases {@code caller} may hold at once; 0 for operators and services (not counted).
   */
  int maxLeases(Caller caller) {
    return caller.isAdmin() || caller.isService() ? 0 : customerMaxLeases;
  }

  /** Refuses {@code caller} a lease longer than its kind of caller may hold. */
  void checkTtl(long ttlMs, Caller caller) {
    if (!caller.isAdmin() && !caller.isService() && ttlMs > customerMaxTtl.toMillis()) {
      throw new LeaseTooLongException(customerMaxTtl);
    }
  }

  private Optional<String> ownerOf(LockName name) {
    return reserved.entrySet().stream()
        .filter(e -> name.value().startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
