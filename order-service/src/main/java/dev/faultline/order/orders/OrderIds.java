package dev.faultline.order.orders;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Order IDs that route without a scatter: a UUIDv8 (RFC 9562, custom) whose top 16 bits are the
 * customer's hash slot. {@code GET /api/orders/{id}} reads the slot and asks the one shard that
 * owns it, and the order follows its customer when the slot moves. The other 106 free bits are
 * random.
 */
public final class OrderIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private OrderIds() {}

  public static UUID next(int slot) {
    if (slot < 0 || slot > 0xffff) {
      throw new IllegalArgumentException("slot out of range: " + slot);
    }
    long high = RANDOM.nextLong();
    long low = RANDOM.nextLong();
    high = ((long) slot << 48) | (high & 0x0000_ffff_ffff_0fffL) | 0x8000L; // version 8
    low = (low & 0x3fff_ffff_ffff_ffffL) | 0x8000_0000_0000_0000L; // IETF variant
    return new UUID(high, low);
  }

  /** The customer slot an order ID carries. */
  public static int slotOf(UUID id) {
    return (int) (id.getMostSignificantBits() >>> 48);
  }

  /** Whether {@code id} is one of ours (version 8); others name no order. */
  public static boolean isOrderId(UUID id) {
    return id.version() == 8 && id.variant() == 2;
  }
}
