package dev.faultline.payment.charges;

import dev.faultline.idempotency.StoredResponse;
import dev.faultline.idempotency.web.StoredResponses;
import dev.faultline.payment.account.Account;
import dev.faultline.payment.account.Accounts;
import dev.faultline.payment.ledger.Ledger;
import dev.faultline.payment.ledger.MovementKind;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A charge's transaction on the account's shard, under the account's lease: the payment row, the
 * balance and the ledger entries, and the answer to store with the key. Public so the saga
 * benchmark's floor runs these same statements ({@code bin/bench saga}), not a copy of them.
 */
@Component
public class ChargeCapture {
  private final Payments payments;
  private final Accounts accounts;
  private final Ledger ledger;
  private final StoredResponses responses;

  public ChargeCapture(
      Payments payments, Accounts accounts, Ledger ledger, StoredResponses responses) {
    this.payments = payments;
    this.accounts = accounts;
    this.ledger = ledger;
    this.responses = responses;
  }

  /**
   * Captures {@code charge} as payment {@code id} for {@code chargedBy} (the caller's subject) with
   * lease token {@code token}: 201 with the payment (CAPTURED, or DECLINED for insufficient funds),
   * or 200 with the payment a retry of the same charge already made.
   */
  public StoredResponse capture(
      JdbcClient db,
      String id,
      PaymentService.Charge charge,
      String ownerId,
      String chargedBy,
      long token) {
    // The payment row first (inserted, or locked if it exists), then the account: the lock order
    // refunds use too.
    boolean fresh = payments.insertUndecided(db, id, charge, ownerId, chargedBy);
    if (!fresh) {
      Payment existing = payments.find(db, id, true).orElseThrow();
      if (existing.status() == PaymentStatus.VOIDED) {
        throw new PaymentRejections.PaymentVoided(id);
      }
      if (!existing.sameTermsAs(charge.accountId(), charge.amountCents(), charge.currency())) {
        throw new PaymentRejections.PaymentConflict(id);
      }
      return response(200, existing);
    }
    Account locked = accounts.find(db, charge.accountId(), true).orElseThrow();
    if (locked.balanceCents() < charge.amountCents()) {
      payments.decline(db, id, "INSUFFICIENT_FUNDS");
    } else {
      accounts.move(db, charge.accountId(), -charge.amountCents(), token);
      ledger.post(db, id, MovementKind.CHARGE, charge.accountId(), -charge.amountCents(), token);
      payments.captured(db, id);
    }
    return response(201, payments.find(db, id, false).orElseThrow());
  }

  /** A payment as the API answers it, with its Location and ETag. */
  StoredResponse response(int status, Payment payment) {
    return responses.resource(status, payment, "/api/payments/" + payment.id(), payment.etag());
  }
}
