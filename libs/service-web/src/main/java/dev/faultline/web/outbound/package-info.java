/** Calling other services of the suite: finding their live instances, and whom to call as. */
@NullMarked
package dev.faultline.web.outbound;

import org.jspecify.annotations.NullMarked;
