/** Spring Security wiring of the suite's tokens, shared by the gateway and the services. */
@NullMarked
package dev.faultline.auth.spring;

import org.jspecify.annotations.NullMarked;
