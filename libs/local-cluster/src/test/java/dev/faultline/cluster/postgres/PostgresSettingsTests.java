package dev.faultline.cluster.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresSettingsTests {
  @Test
  void theLocalSuiteListensOnLoopbackOnlyWithNoSocket() {
    PostgresSettings local = PostgresSettings.suite();
    assertThat(local.serverConfig())
        .contains("listen_addresses = '127.0.0.1'")
        .contains("unix_socket_directories = ''")
        .contains("fsync = on")
        .contains("wal_log_hints = on");
    assertThat(local.hostBasedAuthentication())
        .contains("host    all             all             127.0.0.1/32    scram-sha-256")
        .contains("host    replication     replicator      127.0.0.1/32    scram-sha-256")
        .doesNotContain("peer")
        .doesNotContain("trust");
  }

  @Test
  void aContainerNodeIsReachableFromItsNetworkWithPasswordsAndPeerOnlyOnItsSocket() {
    PostgresSettings container = PostgresSettings.container(List.of("samenet"));
    assertThat(container.serverConfig())
        .contains("listen_addresses = '*'")
        .contains("unix_socket_directories = '/var/run/postgresql'");
    assertThat(container.hostBasedAuthentication())
        .contains("local   all             postgres        peer")
        .contains("host    all             all             samenet    scram-sha-256")
        .contains("host    replication     replicator      samenet    scram-sha-256")
        .contains("127.0.0.1/32")
        .doesNotContain("trust");
  }

  @Test
  void refusesAnAddressThatCouldInjectAuthenticationRules() {
    assertThatThrownBy(() -> PostgresSettings.container(List.of("0.0.0.0/0 trust\nhost")))
        .hasMessageContaining("not a pg_hba address");
    assertThatThrownBy(() -> new PostgresSettings(true, "64MB", 10, List.of(), null))
        .hasMessageContaining("no client");
  }
}
