package dev.faultline.contract;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A payment's ID is its operation ID: {@code pay_<slot>_<orderId>}, the hash slot of the account
 * (four hex digits) and the order it pays for. Anyone who knows the order and the account can name
 * the payment (the saga refunds it without having heard back from the charge), it routes to the
 * account's shard without a lookup, and one order can be charged to one account only once.
 * order-service derives it, payment-service issues it: both read it here.
 */
public final class PaymentIds {
  /** A payment ID, for request validation. */
  public static final String PATTERN = "pay_[0-9a-f]{4}_" + Ids.PATTERN;

  private static final Pattern FORMAT = Pattern.compile("pay_([0-9a-f]{4})_(" + Ids.PATTERN + ")");

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
