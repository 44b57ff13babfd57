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

  public static final class NotYourAccount extends Rejection {
    public NotYourAccount(String id) {
      super(403, "forbidden", "Forbidden", "account " + id + " belongs to another customer");
    }
  }

  public static final class NotForYou extends Rejection {
    public NotForYou(String detail) {
      super(403, "forbidden", "Forbidden", detail);
    }
  }

  public static final class StaleRevision extends Rejection {
    public StaleRevision(String id, String ifMatch, long revision) {
      super(
          412,
          "precondition-failed",
          "Precondition failed",
          "account " + id + " is at revision \"" + revision + "\", not " + ifMatch);
    }
  }
}
