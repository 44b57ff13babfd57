/**
 * Bearer tokens of the suite: who may mint them, what they claim, and the key files that carry the
 * trust. Verification lives with the verifiers (Spring Security's JWT decoders), configured with
 * {@link dev.faultline.auth.TokenClaims} and the public key.
 */
@NullMarked
package dev.faultline.auth;

import org.jspecify.annotations.NullMarked;
