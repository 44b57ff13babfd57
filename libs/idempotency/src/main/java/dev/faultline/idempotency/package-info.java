/**
 * Idempotency keys (IETF httpapi {@code Idempotency-Key} draft), kept where the data is: the record
 * of a key, the change it guards and the stored response commit in one local transaction on the
 * shard that owns the data, so there is never an effect without its record, nor a record claiming
 * an effect that was rolled back.
 */
@NullMarked
package dev.faultline.idempotency;

import org.jspecify.annotations.NullMarked;
