package dev.faultline.drill.suite;

import dev.faultline.drill.load.Gateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One shard's primary address, as the router last published it: cached, and asked again after a
 * failed write (the node died or was demoted to a replica).
 */
public final class ShardPrimary implements Supplier<String> {
  private final Deployment suite;
  private final Gateway gateway;
  private final String adminToken;
  private final int shard;
  private volatile @Nullable String known;

  public ShardPrimary(Deployment suite, Gateway gateway, String adminToken, int shard) {
    this.suite = suite;
    this.gateway = gateway;
    this.adminToken = adminToken;
    this.shard = shard;
  }

  @Override
  public String get() {
    String address = known;
    if (address == null) {
      try {
        address = suite.primaries(gateway, adminToken).get(shard);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      known = address;
    }
    return address;
  }

  public void forget() {
    known = null;
  }
}
