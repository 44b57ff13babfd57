package dev.faultline.payment.ledger;

/** Why money moved. Each kind has a fixed counter-account, so every movement balances. */
public enum MovementKind {
  /** An account's initial balance, from outside the system. */
  OPENING(Ledger.EXTERNAL),
  /** Money paid in from outside. */
  DEPOSIT(Ledger.EXTERNAL),
  /** A captured payment: from the customer to revenue. */
  CHARGE(Ledger.REVENUE),
  /** A refund: from revenue back to the customer. */
  REFUND(Ledger.REVENUE);

  private final String counterAccount;

  MovementKind(String counterAccount) {
    this.counterAccount = counterAccount;
  }

  public String counterAccount() {
    return counterAccount;
  }
}
