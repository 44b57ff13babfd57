package dev.faultline.payment.account;

/** No account with this ID exists. */
public final class AccountNotFoundException extends RuntimeException {
  public AccountNotFoundException(String id) {
    super("no account " + id);
  }
}
