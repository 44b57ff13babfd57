@NullMarked
package dev.faultline.entrypoints.secrets;

import org.jspecify.annotations.NullMarked;
