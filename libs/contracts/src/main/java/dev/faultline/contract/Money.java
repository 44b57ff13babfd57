package dev.faultline.contract;

import java.util.Currency;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every API that takes an amount agrees on: integer cents up to ten billion units (so a sum of
 * a few never overflows a {@code long} and a total fits the ledger's {@code bigint}), in a
 * three-letter ISO 4217 currency code.
 */
public final class Money {
  /** The largest amount, in cents, any one request may name. */
  public static final long MAX_CENTS = 1_000_000_000_000L;

  /** What a client is told when its currency is not a currency. */
  public static final String CURRENCY_MESSAGE = "must be an ISO 4217 currency code";

  /**
   * Codes ISO 4217 lists that are not money: XXX ("no currency") and XTS (reserved for testing).
   */
  private static final Set<String> NOT_MONEY = Set.of("XXX", "XTS");

  private static final Set<String> CURRENCIES =
      Currency.getAvailableCurrencies().stream()
          .map(Currency::getCurrencyCode)
          .filter(code -> !NOT_MONEY.contains(code))
          .collect(Collectors.toUnmodifiableSet());

  private Money() {}

  /**
   * Whether {@code code} is an ISO 4217 currency, as the JDK's table has them: three capitals are
   * not enough ("ABC" and "EUX" are not money, and an account opened in one could never be paid).
   */
  public static boolean isCurrency(String code) {
    return CURRENCIES.contains(code);
  }
}
