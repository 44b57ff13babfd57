package dev.faultline.cluster.kubernetes;

/**
 * A StatefulSet pod's stable DNS name begins with the pod's own name ({@code
 * pg-shard-0-1.pg-shard-0:5432} is pod {@code pg-shard-0-1}): how entrypoints find themselves in a
 * list of hosts, and how the drill finds the pod a topology address names.
 */
public final class PodNames {
  private PodNames() {}

  /** The first label of {@code host}: the pod's name. */
  public static String of(String host) {
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }
}
