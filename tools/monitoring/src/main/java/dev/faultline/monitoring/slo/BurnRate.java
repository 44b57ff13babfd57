package dev.faultline.monitoring.slo;

import java.util.List;

/**
 * Multi-window, multi-burn-rate alerting (the SRE workbook, chapter 5): an alert fires when the
 * error ratio over a long window and over a short one both exceed {@code factor} times the budget.
 * The long window makes it significant (enough budget spent), the short one makes it current (it
 * resets minutes after a fix, not hours). Over a 30-day window: 14.4× for an hour spends 2% of the
 * budget, 6× for six hours 5%, 3× for a day 10%, 1× for three days 10%.
 */
public record BurnRate(double factor, String longWindow, String shortWindow) {

  /** Every error-ratio window a rule is recorded for, shortest first. */
  public static final List<String> WINDOWS =
      List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d");

  /** Wake someone up: at these rates the budget is gone in two or five days. */
  public static final List<BurnRate> PAGE =
      List.of(new BurnRate(14.4, "1h", "5m"), new BurnRate(6, "6h", "30m"));

  /** Look at it during working hours: gone in ten or thirty days. */
  public static final List<BurnRate> TICKET =
      List.of(new BurnRate(3, "1d", "2h"), new BurnRate(1, "3d", "6h"));

  /** The recorded series of the error ratio over {@code window}. */
  public static String errorRatio(String window) {
    return "slo:sli_error:ratio_rate" + window;
  }
}
