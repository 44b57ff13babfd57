package dev.faultline.web.caller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.auth.Role;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTests {

  @Test
  void aCustomerActsOnlyForThemselvesAnAdminForAnyone() {
    Caller alice = new Caller("alice", Set.of(Role.CUSTOMER));
    Caller admin = new Caller("ops", Set.of(Role.ADMIN, Role.CUSTOMER));

    assertThat(alice.mayActFor("alice")).isTrue();
    assertThat(alice.mayActFor("bob")).isFalse();
    assertThat(alice.isAdmin()).isFalse();
    assertThat(admin.mayActFor("bob")).isTrue();
  }
}
