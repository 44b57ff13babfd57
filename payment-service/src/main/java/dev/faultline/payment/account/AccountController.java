package dev.faultline.payment.account;

import dev.faultline.web.caller.Caller;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Reading accounts. A customer sees their own; an admin sees anyone's. */
@RestController
@Validated
@RequestMapping("/api/accounts")
class AccountController {
  private final Accounts accounts;

  AccountController(Accounts accounts) {
    this.accounts = accounts;
  }

  @GetMapping("/{id}")
  ResponseEntity<Account> get(
      @PathVariable @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String id, Caller caller) {
    Account account = accounts.find(id).orElseThrow(() -> new AccountNotFoundException(id));
    if (!caller.mayActFor(account.ownerId())) {
      throw new NotYourAccountException(id);
    }
    return ResponseEntity.ok().eTag("\"" + account.revision() + "\"").body(account);
  }
}
