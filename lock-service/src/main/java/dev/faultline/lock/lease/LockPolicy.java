package dev.faultline.lock.lease;

import dev.faultline.web.caller.Caller;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may take which lock, and for how long ({@code faultline.locks.*}). The services' own locks
 * (an account's balance lease, a shard's recovery worker, the router's leadership) guard money and
 * failover: a customer who could take {@code account-<id>} would freeze that account's deposits and
 * orders for as long as they renewed it. So those names are the services' alone, and a customer's
 * lease is short: {@code customer-max-ttl} (60 s) against the API's 600 s.
 *
 * @param reservedPrefixes lock names only the services (tokens with the admin role) may take or
 *     read
 * @param customerMaxTtl the longest lease a customer's token may ask for
 * @param customerMaxLeases how many leases one customer may hold at once, so no one caller can fill
 *     ZooKeeper with lease nodes
 */
@ConfigurationProperties("faultline.locks")
public record LockPolicy(
    @DefaultValue({"account-", "order-saga-", "shard-router-"}) List<String> reservedPrefixes,
    @DefaultValue("60s") Duration customerMaxTtl,
    @DefaultValue("100") int customerMaxLeases) {

  /** Refuses {@code caller} a lock name reserved to the services. */
  void checkName(LockName name, Caller caller) {
    if (!caller.isAdmin() && reservedPrefixes.stream().anyMatch(name.value()::startsWith)) {
      throw new LockReservedException(name);
    }
  }

  /** How many leases {@code caller} may hold at once; 0 for the services (not counted). */
  int maxLeases(Caller caller) {
    return caller.isAdmin() ? 0 : customerMaxLeases;
  }

  /** Refuses {@code caller} a lease longer than its kind of caller may hold. */
  void checkTtl(long ttlMs, Caller caller) {
    if (!caller.isAdmin() && ttlMs > customerMaxTtl.toMillis()) {
      throw new LeaseTooLongException(customerMaxTtl);
    }
  }
}
