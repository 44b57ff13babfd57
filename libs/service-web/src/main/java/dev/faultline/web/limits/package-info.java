/**
 * The bounds a request must stay within before any handler spends work on it: the body's size,
 * counted as it is read (a declared length is not trusted, a chunked body has none).
 */
@NullMarked
package dev.faultline.web.limits;

import org.jspecify.annotations.NullMarked;
