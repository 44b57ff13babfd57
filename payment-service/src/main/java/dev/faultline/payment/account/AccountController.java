package dev.faultline.payment.account;

import dev.faultline.contract.Ids;
import dev.faultline.contract.IsoCurrency;
import dev.faultline.contract.Money;
import dev.faultline.idempotency.web.Idempotency;
import dev.faultline.web.caller.Caller;
import dev.faultline.web.problem.IfMatch;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Accounts: open, read (with the revision as ETag), statement, deposit. */
@RestController
@Validated
@RequestMapping("/api/accounts")
class AccountController {
  private final AccountService service;
  private final Idempotency idempotency;

  AccountController(AccountService service, Idempotency idempotency) {
    this.service = service;
    this.idempotency = idempotency;
  }

  record OpenAccountBody(
      @NotNull @Pattern(regexp = Ids.PATTERN) String ownerId,
      @NotNull @IsoCurrency String currency,
      @NotNull @Min(0) @Max(Money.MAX_CENTS) Long initialBalanceCents) {}

  @PostMapping
  ResponseEntity<String> open(
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key,
      @Valid @RequestBody OpenAccountBody body,
      Caller caller) {
    return service
        .open(
            idempotency.request(key, caller.subject(), "POST /api/accounts", body),
            new AccountService.OpenAccount(
                body.ownerId(), body.currency(), body.initialBalanceCents()),
            caller)
        .toResponseEntity();
  }

  @GetMapping("/{id}")
  ResponseEntity<Account> get(
      @PathVariable @Pattern(regexp = Ids.PATTERN) String id, Caller caller) {
    Account account = service.get(id, caller);
    return ResponseEntity.ok().eTag(account.etag()).body(account);
  }

  @GetMapping("/{id}/ledger")
  AccountService.Statement ledger(
      @PathVariable @Pattern(regexp = Ids.PATTERN) String id,
      @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
      Caller caller) {
    return service.statement(id, limit, caller);
  }

  record DepositBody(@NotNull @Min(1) @Max(Money.MAX_CENTS) Long amountCents) {}

  @PostMapping("/{id}/deposits")
  ResponseEntity<String> deposit(
      @PathVariable @Pattern(regexp = Ids.PATTERN) String id,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable IfMatch ifMatch,
      @Valid @RequestBody DepositBody body,
      Caller caller) {
    return service
        .deposit(
            id,
            idempotency.request(
                key, caller.subject(), "POST /api/accounts/" + id + "/deposits", body),
            new AccountService.Deposit(body.amountCents()),
            ifMatch,
            caller)
        .toResponseEntity();
  }
}
