package dev.faultline.payment.charges;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A payment's ID is its operation ID: {@code pay_<slot>_<orderId>}, the hash slot of the account
 * (four hex digits) and the order it pays for. Anyone who knows the order and the account can name
 * the payment (the saga refunds it without having heard back from the charge), it routes to the
 * account's shard without a lookup, and one order can be charged to one account only once.
 */
public final class PaymentIds {
  public static final String ORDER_ID = "[A-Za-z0-9_-]{1,64}";
  private static final Pattern FORMAT = Pattern.compile("pay_([0-9a-f]{4})_(" + ORDER_ID + ")");

  private PaymentIds() {}

  public record Parsed(int slot, String orderId) {}

  public static String of(int slot, String orderId) {
    if (slot < 0 || slot > 0xffff) {
      throw new IllegalArgumentException("slot out of range: " + slot);
    }
    return "pay_" + String.format("%04x", slot) + "_" + orderId;
  }

  public static Optional<Parsed> parse(String id) {
    Matcher m = FORMAT.matcher(id);
    return m.matches()
        ? Optional.of(new Parsed(Integer.parseInt(m.group(1), 16), m.group(2)))
        : Optional.empty();
  }
}
