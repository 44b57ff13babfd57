/**
 * {@code k8s/} proven with no cluster. {@link dev.faultline.kubernetes.Manifests} renders an
 * overlay with kustomize as {@code kubectl apply -k} would; {@code schema} validates every object
 * strictly against Kubernetes' API and the custom resources' CRDs; {@code check} holds the
 * cross-checks against what the manifests must agree with (the services' configuration, the images,
 * the picture's network edges, the drill's fault commands), each returning the problems it finds.
 */
@NullMarked
package dev.faultline.kubernetes;

import org.jspecify.annotations.NullMarked;
