/** Calling other services of the suite: finding their live instances, and whom to call as. */
@NullMarked
package dev.faultline.web.calls;

import org.jspecify.annotations.NullMarked;
