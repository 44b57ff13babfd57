/**
 * The lock service's Java client: a {@link LockHandle} that renews itself and tells its holder when
 * the lease may be gone, and {@link StorageFence}, which makes PostgreSQL reject writes carrying a
 * stale fencing token.
 */
@NullMarked
package dev.faultline.lock.client;

import org.jspecify.annotations.NullMarked;
