package dev.faultline.order.orders;

import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Protections this service can be told to drop ({@code faultline.orders.unsafe.*}), so the concept
 * tour (docs/concepts) can show what each prevents. Off by default; a service with one on says so
 * at start, at ERROR. Never set them anywhere but a throwaway suite.
 *
 * @param ignoreRevision an order's status changes without the optimistic check that the order is
 *     still at the revision its writer read: the last writer wins, and what a concurrent writer did
 *     in between (a customer's cancel, say) is silently overwritten (environment: {@code
 *     FAULTLINE_ORDERS_UNSAFE_IGNOREREVISION=true})
 * @param readFromReplicas {@code GET /api/orders/{id}} reads a replica (any within the shard
 *     client's staleness bound) instead of the primary: a customer may not see the order they just
 *     placed, or see it go back in time ({@code FAULTLINE_ORDERS_UNSAFE_READFROMREPLICAS=true})
 */
@ConfigurationProperties("faultline.orders.unsafe")
public record UnsafeOrderSettings(
    @DefaultValue("false") boolean ignoreRevision,
    @DefaultValue("false") boolean readFromReplicas) {
  /** Every protection on: what tests and a normal start get. */
  public static final UnsafeOrderSettings SAFE = new UnsafeOrderSettings(false, false);

  public UnsafeOrderSettings {
    if (ignoreRevision) {
      LoggerFactory.getLogger(UnsafeOrderSettings.class)
          .error(
              "UNSAFE: faultline.orders.unsafe.ignore-revision=true: order status changes are"
                  + " blind writes (no revision check), so the last writer wins");
    }
    if (readFromReplicas) {
      LoggerFactory.getLogger(UnsafeOrderSettings.class)
          .error(
              "UNSAFE: faultline.orders.unsafe.read-from-replicas=true: an order is read from a"
                  + " replica, which may not have the customer's latest change yet");
    }
  }
}
