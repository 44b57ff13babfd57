/**
 * Idempotency keys over HTTP: reading the header, running a keyed request in its shard transaction,
 * replaying stored answers with {@code Idempotent-Replayed: true}, and the 400/409/422 problems of
 * the draft.
 */
@NullMarked
package dev.faultline.idempotency.web;

import org.jspecify.annotations.NullMarked;
