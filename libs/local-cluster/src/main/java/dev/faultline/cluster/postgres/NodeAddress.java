package dev.faultline.cluster.postgres;

/**
 * Where a PostgreSQL node is reached, {@code host:port}, as the shard topology names it: {@code
 * 127.0.0.1:5500} in the local suite, {@code pg-shard-0-primary:5432} in a container network.
 */
public record NodeAddress(String host, int port) {

  public NodeAddress {
    if (host.isBlank() || host.contains(":") || host.contains(" ") || host.contains("'")) {
      throw new IllegalArgumentException("not a host name or IPv4 address: '" + host + "'");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
  }

  public static NodeAddress loopback(int port) {
    return new NodeAddress("127.0.0.1", port);
  }

  /** {@code host:port}; a clear message for anything else. */
  public static NodeAddress parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + address + "'");
    }
    try {
      return new NodeAddress(
          address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected host:port, got '" + address + "'", e);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
