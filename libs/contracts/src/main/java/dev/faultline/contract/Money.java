package dev.faultline.contract;

/**
 * What every API that takes an amount agrees on: integer cents up to ten billion units (so a sum of
 * a few never overflows a {@code long} and a total fits the ledger's {@code bigint}), in a
 * three-letter ISO 4217 currency code.
 */
public final class Money {
  /** The largest amount, in cents, any one request may name. */
  public static final long MAX_CENTS = 1_000_000_000_000L;

  /** The shape of a currency code. */
  public static final String CURRENCY = "[A-Z]{3}";

  /** What a client is told when its currency does not have that shape. */
  public static final String CURRENCY_MESSAGE = "must be an ISO 4217 code";

  private Money() {}
}
