package dev.faultline.payment.account;

import dev.faultline.web.problem.Rejection;

/** What account requests can be refused for; each is the client's to fix (a 4xx). */
public final class AccountRejections {
  private AccountRejections() {}

  public static final class AccountNotFound extends Rejection {
    public AccountNotFound(String id) {
      super(404, "account-not-found", "Account not found", "no account " + id);
    }
  }
}
