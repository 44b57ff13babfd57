/** The invariant checker: a history and the settled end state in, violations out. */
@NullMarked
package dev.faultline.drill.check;

import org.jspecify.annotations.NullMarked;
