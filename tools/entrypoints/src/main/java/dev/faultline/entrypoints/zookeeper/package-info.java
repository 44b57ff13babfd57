@NullMarked
package dev.faultline.entrypoints.zookeeper;

import org.jspecify.annotations.NullMarked;
