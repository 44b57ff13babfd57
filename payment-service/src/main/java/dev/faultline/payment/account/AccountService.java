package dev.faultline.payment.account;

import dev.faultline.failpoints.Failpoints;
import dev.faultline.idempotency.IdempotentRequest;
import dev.faultline.idempotency.web.Idempotency;
import dev.faultline.idempotency.web.Outcome;
import dev.faultline.payment.lease.AccountLeases;
import dev.faultline.payment.ledger.Ledger;
import dev.faultline.payment.ledger.LedgerEntry;
import dev.faultline.payment.ledger.MovementKind;
import dev.faultline.ring.KeyHash;
import dev.faultline.shard.Freshness;
import dev.faultline.shard.ShardClient;
import dev.faultline.web.caller.Caller;
import dev.faultline.web.problem.IfMatch;
import dev.faultline.web.problem.Rejection;
import dev.faultline.web.problem.Rejections;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Opening accounts and depositing into them. Each keyed request is one transaction on the account's
 * shard (the key's record, the change and the stored answer); a balance moves only under the
 * account's lease, with its fencing token checked in the UPDATE.
 */
@Service
public class AccountService {
  private final ShardClient shards;
  private final Accounts accounts;
  private final Ledger ledger;
  private final AccountLeases leases;
  private final Idempotency idempotency;
  private final String orderSaga;

  AccountService(
      ShardClient shards,
      Accounts accounts,
      Ledger ledger,
      AccountLeases leases,
      Idempotency idempotency,
      @Value("${faultline.payments.order-saga-subject:order-service}") String orderSaga) {
    this.orderSaga = orderSaga;
    this.shards = shards;
    this.accounts = accounts;
    this.ledger = ledger;
    this.leases = leases;
    this.idempotency = idempotency;
  }

  public record OpenAccount(String ownerId, String currency, long initialBalanceCents) {}

  /**
   * Opens an account. Its ID derives from the caller and the key, so a retry lands on the same
   * shard (where the key's record is) and names the same account.
   */
  public Outcome open(IdempotentRequest request, OpenAccount body, Caller caller) {
    if (!caller.mayActFor(body.ownerId())) {
      throw new Rejections.Forbidden("a customer may open accounts only for themselves");
    }
    String id = accountId(request);
    return idempotency.execute(
        shards.route(id).slot(),
        request,
        db -> {
          int inserted =
              db.sql(
                      "insert into accounts (id, owner_id, currency, balance_cents)"
                          + " values (?, ?, ?, ?) on conflict (id) do nothing")
                  .params(id, body.ownerId(), body.currency(), body.initialBalanceCents())
                  .update();
          if (inserted == 0) {
            throw new KeyReused();
          }
          if (body.initialBalanceCents() > 0) {
            ledger.post(db, id, MovementKind.OPENING, id, body.initialBalanceCents(), 0);
          }
          Account account = accounts.find(db, id, false).orElseThrow();
          return idempotency
              .responses()
              .resource(201, account, "/api/accounts/" + id, account.etag());
        });
  }

  static String accountId(IdempotentRequest request) {
    byte[] bytes =
        (request.scope() + '\n' + request.key().value()).getBytes(StandardCharsets.UTF_8);
    return "acc_" + HexFormat.of().toHexDigits(KeyHash.of(bytes));
  }

  public Account get(String id, Caller caller) {
    Account account =
        accounts.find(id).orElseThrow(() -> new AccountRejections.AccountNotFound(id));
    // The order saga checks an order's account before it charges it; no other service reads one.
    if (!caller.mayActFor(account.ownerId()) && !caller.isService(orderSaga)) {
      throw new Rejections.Forbidden("account " + id + " belongs to another customer");
    }
    return account;
  }

  public record Statement(String accountId, long balanceCents, List<LedgerEntry> entries) {}

  public Statement statement(String id, int limit, Caller caller) {
    return shards.read(
        id,
        Freshness.LATEST,
        db -> {
          Account account =
              accounts
                  .find(db, id, false)
                  .orElseThrow(() -> new AccountRejections.AccountNotFound(id));
          if (!caller.mayActFor(account.ownerId())) {
            throw new Rejections.Forbidden("account " + id + " belongs to another customer");
          }
          return new Statement(id, account.balanceCents(), ledger.entries(db, id, limit));
        });
  }

  /**
   * Failpoint: a deposit is committed, its answer not sent yet (with {@code sleep:MS}, a client
   * that gives up before then retries with the same key).
   */
  public static final String DEPOSIT_COMMITTED = "payment.deposit.committed";

  public record Deposit(long amountCents) {}

  /** Pays money in; {@code ifMatch} (an ETag) makes it conditional on the account's revision. */
  public Outcome deposit(
      String id,
      IdempotentRequest request,
      Deposit body,
      @Nullable IfMatch ifMatch,
      Caller caller) {
    int slot = shards.route(id).slot();
    Optional<Outcome> replay = idempotency.replayIfCompleted(slot, request);
    if (replay.isPresent()) {
      return replay.get();
    }
    Optional<Account> found = accounts.find(id);
    if (found.isEmpty() || !caller.mayActFor(found.get().ownerId())) {
      Rejection refusal =
          found.isEmpty()
              ? new AccountRejections.AccountNotFound(id)
              : new Rejections.Forbidden("account " + id + " belongs to another customer");
      return idempotency.refuse(slot, request, refusal);
    }
    Outcome outcome =
        leases.withLease(
            id,
            token ->
                idempotency.execute(
                    slot,
                    request,
                    db -> {
                      Account before = accounts.find(db, id, true).orElseThrow();
                      if (!IfMatch.allows(ifMatch, before.etag())) {
                        throw new Rejections.StaleRevision(
                            "account", id, ifMatch, before.revision());
                      }
                      Account after = accounts.move(db, id, body.amountCents(), token);
                      ledger.post(
                          db,
                          "dep_" + UUID.randomUUID(),
                          MovementKind.DEPOSIT,
                          id,
                          body.amountCents(),
                          token);
                      return idempotency.responses().resource(201, after, null, after.etag());
                    }));
    if (!outcome.replayed()) {
      Failpoints.hit(DEPOSIT_COMMITTED);
    }
    return outcome;
  }

  /** The account ID the key names exists already: the key was reused after it was reaped. */
  static final class KeyReused extends Rejection {
    KeyReused() {
      super(
          409,
          "account-exists",
          "Account exists",
          "this Idempotency-Key opened an account before; use a new key for a new account");
    }
  }
}
