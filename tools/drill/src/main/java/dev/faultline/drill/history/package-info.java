/** A drill's recorded history: invocations, completions (ok, fail, unknown) and faults. */
@NullMarked
package dev.faultline.drill.history;

import org.jspecify.annotations.NullMarked;
