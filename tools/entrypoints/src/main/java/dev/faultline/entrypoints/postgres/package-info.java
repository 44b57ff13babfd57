@NullMarked
package dev.faultline.entrypoints.postgres;

import org.jspecify.annotations.NullMarked;
