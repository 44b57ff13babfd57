/**
 * The suite on a Kubernetes cluster, seen from this machine: its secrets, generated here and
 * applied as Secrets ({@link dev.faultline.cluster.kubernetes.ClusterSecrets}), and {@code kubectl}
 * calls that list, delete and wait for its pods ({@link dev.faultline.cluster.kubernetes.Kubectl}).
 */
@NullMarked
package dev.faultline.cluster.kubernetes;

import org.jspecify.annotations.NullMarked;
