package dev.faultline.web.caller;

import dev.faultline.auth.Role;
import java.util.Set;

/**
 * Who is calling, from the verified bearer token: the subject (a customer ID for customers) and the
 * roles. Controllers take it as a parameter; the domain decides what it may touch.
 */
public record Caller(String subject, Set<Role> roles) {

  public Caller {
    roles = Set.copyOf(roles);
  }

  public boolean isAdmin() {
    return roles.contains(Role.ADMIN);
  }

  /** Any service's own token (the service role is never combined with another). */
  public boolean isService() {
    return roles.contains(Role.SERVICE);
  }

  /** A service's own token, naming {@code service}: what a callee lets that service do. */
  public boolean isService(String service) {
    return roles.contains(Role.SERVICE) && subject.equals(service);
  }

  /** A customer acts for themselves; an admin for anyone; a service for no one by this rule. */
  public boolean mayActFor(String customerId) {
    return isAdmin() || subject.equals(customerId);
  }
}
