package dev.faultline.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.faultline.cluster.suite.SuiteHome;
import dev.faultline.cluster.suite.SuitePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteTests {

  @Test
  void tokenPrintsASignedTokenForTheNamedCustomerOrAnAdmin(@TempDir Path dir) throws Exception {
    var out = new ByteArrayOutputStream();
    Suite suite = suite(dir, out);

    assertThat(suite.run(List.of("token", "--customer", "c-7"))).isZero();
    var claims = SignedJWT.parse(out.toString().trim()).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("c-7");
    assertThat(claims.getStringListClaim("roles")).containsExactly("customer");

    out.reset();
    suite.run(List.of("token", "--admin"));
    assertThat(SignedJWT.parse(out.toString().trim()).getJWTClaimsSet().getStringListClaim("roles"))
        .contains("admin");
  }

  @Test
  void misuseIsAUsageErrorThatSaysWhatWentWrong(@TempDir Path dir) {
    Suite suite = suite(dir, new ByteArrayOutputStream());
    assertThatThrownBy(() -> suite.run(List.of("explode")))
        .isInstanceOf(CommandLine.UsageException.class)
        .hasMessageContaining("unknown command");
    assertThatThrownBy(() -> suite.run(List.of("token", "--customer")))
        .isInstanceOf(CommandLine.UsageException.class)
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> suite.run(List.of("kill")))
        .isInstanceOf(CommandLine.UsageException.class)
        .hasMessageContaining("which process");
  }

  @Test
  void portsFollowTheContractShiftedByTheOffset() {
    SuitePorts defaults = new SuitePorts(0);
    assertThat(defaults.gateway()).isEqualTo(8080);
    assertThat(defaults.orderService(2)).isEqualTo(8102);
    assertThat(defaults.paymentService(1)).isEqualTo(8201);
    assertThat(defaults.lockService(2)).isEqualTo(8302);
    assertThat(defaults.shardRouter(1)).isEqualTo(8401);
    assertThat(defaults.zooKeeperClient(3)).isEqualTo(2183);
    assertThat(defaults.postgresPrimary(1)).isEqualTo(5510);
    assertThat(defaults.postgresReplica(0)).isEqualTo(5501);
    assertThat(new SuitePorts(10000).gateway()).isEqualTo(18080);
  }

  private static Suite suite(Path dir, ByteArrayOutputStream out) {
    return new Suite(
        new SuiteHome(dir.resolve(".suite"), dir),
        new SuitePorts(0),
        new PrintStream(out, true),
        new PrintStream(new ByteArrayOutputStream()));
  }

  @Test
  void aProcessNameIsTheFirstWordThatIsNoOptionNorAnOptionsValue() {
    assertThat(CommandLine.name(java.util.List.of("-n", "50", "gateway"))).isEqualTo("gateway");
    assertThat(CommandLine.name(java.util.List.of("gateway-1", "-n", "5"))).isEqualTo("gateway-1");
    assertThat(CommandLine.name(java.util.List.of("--all", "zk-2"))).isEqualTo("zk-2");
    assertThatThrownBy(() -> CommandLine.name(java.util.List.of("-n", "50")))
        .hasMessageContaining("which process?");
  }
}
