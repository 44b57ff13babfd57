/**
 * Cross-checks of rendered manifests against what they must agree with. Each check returns its
 * problems as sentences naming the object; the tests show every one catching a planted mistake.
 */
@NullMarked
package dev.faultline.kubernetes.check;

import org.jspecify.annotations.NullMarked;
