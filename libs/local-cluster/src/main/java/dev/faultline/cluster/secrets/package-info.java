/** The secrets each service of the suite is given, wherever it runs. */
@NullMarked
package dev.faultline.cluster.secrets;

import org.jspecify.annotations.NullMarked;
