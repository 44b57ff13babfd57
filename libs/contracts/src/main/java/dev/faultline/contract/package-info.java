/**
 * What the services agree on across their APIs, in one place: the shape of an ID, the bounds of an
 * amount and a currency's shape, and the payment ID, which the order saga derives to refund a
 * charge it never heard back from.
 */
@NullMarked
package dev.faultline.contract;

import org.jspecify.annotations.NullMarked;
