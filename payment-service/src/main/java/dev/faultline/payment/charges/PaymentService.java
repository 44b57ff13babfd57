package dev.faultline.payment.charges;

import dev.faultline.contract.PaymentIds;
import dev.faultline.failpoints.Failpoints;
import dev.faultline.idempotency.IdempotentRequest;
import dev.faultline.idempotency.StoredResponse;
import dev.faultline.idempotency.web.Idempotency;
import dev.faultline.idempotency.web.Outcome;
import dev.faultline.payment.account.Account;
import dev.faultline.payment.account.Accounts;
import dev.faultline.payment.lease.AccountLeases;
import dev.faultline.payment.ledger.Ledger;
import dev.faultline.payment.ledger.MovementKind;
import dev.faultline.shard.ShardClient;
import dev.faultline.web.caller.Caller;
import dev.faultline.web.problem.Rejection;
import dev.faultline.web.problem.Rejections;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Charges and refunds: the saga's participant operations. A payment's ID is its operation ID
 * ({@link PaymentIds}), so each is applied at most once whatever the retries; the key's record, the
 * payment, the balance and the ledger entries commit in one transaction on the account's shard.
 *
 * <p>Rows are locked in one order, payment then account, so a charge and a refund of the same
 * payment never deadlock.
 */
@Service
public class PaymentService {
  /** Where the crash tests stop the process: the charge committed, its answer not yet sent. */
  public static final String CHARGE_COMMITTED = "payment.charge.committed";

  /** Where tests delay a charge before it does anything (so its refund can overtake it). */
  public static final String CHARGE_RECEIVED = "payment.charge.received";

  private final ShardClient shards;
  private final Payments payments;
  private final Accounts accounts;
  private final Ledger ledger;
  private final AccountLeases leases;
  private final Idempotency idempotency;
  private final ChargeCapture capture;
  private final String orderSaga;

  PaymentService(
      ShardClient shards,
      Payments payments,
      Accounts accounts,
      Ledger ledger,
      AccountLeases leases,
      Idempotency idempotency,
      ChargeCapture capture,
      @Value("${faultline.payments.order-saga-subject:order-service}") String orderSaga) {
    this.shards = shards;
    this.orderSaga = orderSaga;
    this.payments = payments;
    this.accounts = accounts;
    this.ledger = ledger;
    this.leases = leases;
    this.idempotency = idempotency;
    this.capture = capture;
  }

  /** A charge; {@code customerId} says whom an admin (the order saga) charges for. */
  public record Charge(
      String orderId,
      String accountId,
      long amountCents,
      String currency,
      @Nullable String customerId) {}

  public Outcome charge(IdempotentRequest request, Charge charge, Caller caller) {
    Failpoints.hit(CHARGE_RECEIVED);
    if (!operates(caller)
        && charge.customerId() != null
        && !caller.mayActFor(charge.customerId())) {
      throw new Rejections.Forbidden("a customer pays only for themselves");
    }
    int slot = shards.route(charge.accountId()).slot();
    String id = PaymentIds.of(slot, charge.orderId());
    Optional<Outcome> replay = idempotency.replayIfCompleted(slot, request);
    if (replay.isPresent()) {
      return replay.get();
    }
    // Who must own the account: the caller, or whom an admin or the saga names (nobody: any).
    @Nullable String payer = operates(caller) ? charge.customerId() : caller.subject();
    Optional<Account> account = accounts.find(charge.accountId());
    Optional<Rejection> refusal =
        account.isEmpty()
            ? Optional.of(new Rejections.UnknownAccount(charge.accountId()))
            : payer != null && !payer.equals(account.get().ownerId())
                ? Optional.of(
                    new Rejections.Forbidden(
                        "account " + charge.accountId() + " belongs to another customer"))
                : !account.get().currency().equals(charge.currency())
                    ? Optional.of(
                        new Rejections.CurrencyMismatch(
                            "payment", account.get().currency(), charge.currency()))
                    : Optional.empty();
    if (refusal.isPresent()) {
      return idempotency.refuse(slot, request, refusal.get());
    }
    Outcome outcome =
        leases.withLease(
            charge.accountId(),
            token ->
                idempotency.execute(
                    slot,
                    request,
                    db ->
                        capture.capture(
                            db, id, charge, account.get().ownerId(), caller.subject(), token)));
    if (!outcome.replayed()) {
      Failpoints.hit(CHARGE_COMMITTED);
    }
    return outcome;
  }

  public Payment get(String id, Caller caller) {
    Payment payment =
        parse(id)
            .flatMap(parsed -> payments.find(parsed.slot(), id))
            .orElseThrow(() -> new PaymentRejections.PaymentNotFound(id));
    if (!operates(caller) && !caller.subject().equals(payment.ownerId())) {
      throw new PaymentRejections.PaymentNotFound(id);
    }
    return payment;
  }

  /**
   * Who may charge, read and refund on a customer's behalf: operators (admin tokens) and the order
   * saga's own service token; no other service, and no customer.
   */
  private boolean operates(Caller caller) {
    return caller.isAdmin() || caller.isService(orderSaga);
  }

  /**
   * Whether the refund is one of the order saga's own operations on this order: sent by the saga
   * (its service's subject) under one of its operation IDs, {@code order-<id>-refund} (the cancel's
   * compensation) or {@code order-<id>-refund-<n>} (the order's n-th partial refund).
   */
  private boolean bySaga(IdempotentRequest request, String orderId) {
    String key = request.key().value();
    String prefix = "order-" + orderId + "-refund";
    return orderSaga.equals(request.scope())
        && key.startsWith(prefix)
        && (key.length() == prefix.length()
            || key.substring(prefix.length()).matches("-[1-9][0-9]{0,8}"));
  }

  /** A payment ID whose slot the ring has; any other names no payment. */
  private Optional<PaymentIds.Parsed> parse(String id) {
    return PaymentIds.parse(id).filter(parsed -> shards.hasSlot(parsed.slot()));
  }

  /** What a refund did: how much it moved, and the payment afterwards. */
  public record Refund(String id, String paymentId, long amountCents, Payment payment) {}

  /**
   * Refunds {@code amountCents} (everything refundable when null). A refund of nothing succeeds as
   * a no-op (empty compensation); a refund for a payment that never arrived leaves a VOIDED
   * tombstone so the charge fails if it arrives later (no hanging).
   */
  public Outcome refund(
      String id, IdempotentRequest request, @Nullable Long amountCents, Caller caller) {
    if (!operates(caller)) {
      throw new Rejections.Forbidden(
          "refunds are issued by the order saga (cancel the order) or an operator");
    }
    PaymentIds.Parsed parsed =
        parse(id).orElseThrow(() -> new PaymentRejections.PaymentNotFound(id));
    int slot = parsed.slot();
    Optional<Outcome> replay = idempotency.replayIfCompleted(slot, request);
    if (replay.isPresent()) {
      return replay.get();
    }
    Optional<Payment> found = payments.find(slot, id);
    boolean bySaga = bySaga(request, parsed.orderId());
    if (found.map(payment -> orderSaga.equals(payment.chargedBy())).orElse(true) && !bySaga) {
      // An order's payment moves only with its order, so the order knows what went back; and
      // only the saga leaves the tombstone that voids a charge yet to come.
      if (found.isEmpty()) {
        throw new PaymentRejections.PaymentNotFound(id);
      }
      throw new PaymentRejections.RefundThroughOrder(id, parsed.orderId());
    }
    if (found.isEmpty() || found.get().refundableCents() == 0) {
      // Nothing to move: no lease needed.
      return idempotency.execute(
          slot, request, db -> refundWithoutMoney(db, id, parsed.orderId(), amountCents));
    }
    String accountId = found.get().accountId();
    return leases.withLease(
        accountId,
        token ->
            idempotency.execute(
                slot,
                request,
                db -> {
                  Payment payment = payments.find(db, id, true).orElseThrow();
                  long refundable = payment.refundableCents();
                  long amount = amountCents == null ? refundable : amountCents;
                  if (amount > refundable) {
                    throw new PaymentRejections.RefundExceedsCharge(id, amount, refundable);
                  }
                  String refundId = "ref_" + UUID.randomUUID();
                  if (amount > 0) {
                    accounts.move(db, accountId, amount, token);
                    ledger.post(db, refundId, MovementKind.REFUND, accountId, amount, token);
                    payment = payments.refunded(db, id, amount);
                  }
                  payments.recordRefund(db, refundId, id, amount);
                  return refundResponse(new Refund(refundId, id, amount, payment));
                }));
  }

  private StoredResponse refundWithoutMoney(
      JdbcClient db, String id, String orderId, @Nullable Long amountCents) {
    boolean tombstone = payments.insertTombstone(db, id, orderId);
    Payment payment = payments.find(db, id, true).orElseThrow();
    if (!tombstone && payment.refundableCents() > 0) {
      // The charge committed since we looked: this refund needs the lease after all.
      throw new PaymentRejections.RaceWithCharge(id);
    }
    if (amountCents != null && amountCents > 0) {
      throw new PaymentRejections.RefundExceedsCharge(id, amountCents, 0);
    }
    String refundId = "ref_" + UUID.randomUUID();
    payments.recordRefund(db, refundId, id, 0);
    return refundResponse(new Refund(refundId, id, 0, payment));
  }

  private StoredResponse paymentResponse(int status, Payment payment) {
    return capture.response(status, payment);
  }

  private StoredResponse refundResponse(Refund refund) {
    return idempotency
        .responses()
        .resource(201, refund, "/api/payments/" + refund.paymentId(), null);
  }
}
