/** Registration in ZooKeeper discovery that survives a restart within the old session. */
@NullMarked
package dev.faultline.web.discovery;

import org.jspecify.annotations.NullMarked;
