package dev.faultline.contract;

/**
 * The shape of the IDs clients name things by (customers, accounts, orders, SKUs aside): 1 to 64
 * URL-safe characters, so an ID can sit in a path, a header or another ID unescaped.
 */
public final class Ids {
  public static final String PATTERN = "[A-Za-z0-9_-]{1,64}";

  private Ids() {}
}
