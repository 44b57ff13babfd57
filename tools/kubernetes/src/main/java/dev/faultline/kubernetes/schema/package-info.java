/**
 * Strict validation, as {@code kubectl apply --validate=strict} against a real API server would do
 * it: built-in kinds against Kubernetes 1.32's API (the official Java client's models, which reject
 * unknown and missing required fields and ill-typed values), custom resources against the OpenAPI
 * schemas of their CRDs, closed where the CRD does not keep unknown fields.
 */
@NullMarked
package dev.faultline.kubernetes.schema;

import org.jspecify.annotations.NullMarked;
