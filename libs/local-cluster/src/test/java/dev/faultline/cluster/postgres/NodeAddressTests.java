package dev.faultline.cluster.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeAddressTests {
  @Test
  void parsesHostAndPortAsTheTopologyWritesThem() {
    assertThat(NodeAddress.parse("pg-shard-0-primary:5432"))
        .isEqualTo(new NodeAddress("pg-shard-0-primary", 5432));
    assertThat(NodeAddress.parse("127.0.0.1:5500").toString()).isEqualTo("127.0.0.1:5500");
    assertThat(NodeAddress.loopback(5501)).isEqualTo(NodeAddress.parse("127.0.0.1:5501"));
  }

  @Test
  void refusesWhatIsNotHostColonPortWithTheReason() {
    assertThatThrownBy(() -> NodeAddress.parse("pg-shard-0")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> NodeAddress.parse("host:")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> NodeAddress.parse("host:99999")).hasMessageContaining("not a port");
    // It ends up in a libpq connection string: no spaces or quotes may smuggle options in.
    assertThatThrownBy(() -> new NodeAddress("a host", 1)).hasMessageContaining("not a host");
    assertThatThrownBy(() -> new NodeAddress("h' x", 1)).hasMessageContaining("not a host");
  }
}
