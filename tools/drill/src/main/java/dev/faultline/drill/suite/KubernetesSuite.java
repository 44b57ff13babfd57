package dev.faultline.drill.suite;

import dev.faultline.auth.SigningKeys;
import dev.faultline.auth.TokenMinter;
import dev.faultline.auth.TokenRequest;
import dev.faultline.cluster.compose.ExecTunnel;
import dev.faultline.cluster.kubernetes.ClusterSecrets;
import dev.faultline.cluster.kubernetes.Kubectl;
import dev.faultline.cluster.kubernetes.PodNames;
import dev.faultline.cluster.postgres.NodeAddress;
import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.drill.fault.FaultActions;
import dev.faultline.drill.fault.KubernetesFaults;
import dev.faultline.drill.fault.Target;
import dev.faultline.drill.load.Gateway;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The suite as {@code k8s/} runs it on a cluster, seen through {@code kubectl} in one context and
 * namespace: its gateway at {@code GATEWAY_URL} (a port-forward or the Ingress), tokens minted here
 * with the keys {@code bin/suite k8s-secrets} made (they never enter the cluster), its databases
 * reached through their pods ({@code kubectl exec}, {@link ExecTunnel}), and pods deleted and
 * waited for by {@link KubernetesFaults}.
 */
public final class KubernetesSuite implements Deployment, AutoCloseable {
  private final Kubectl kubectl;
  private final Endpoints endpoints;
  private final Path home;
  private final Map<String, ExecTunnel> tunnels = new ConcurrentHashMap<>();
  private final TokenCache tokens = new TokenCache(this::mint);
  private volatile @Nullable PostgresCredentials credentials;

  /** {@code home}: the suite's home on this machine, where {@code bin/suite k8s-secrets} wrote. */
  public KubernetesSuite(Kubectl kubectl, Endpoints endpoints, Path home) {
    this.kubectl = kubectl;
    this.endpoints = endpoints;
    this.home = home;
  }

  public static KubernetesSuite fromEnvironment(@Nullable String context, String namespace) {
    Path repo = Endpoints.repo();
    Path drills = Endpoints.drillsUnderSuiteHome(repo);
    return new KubernetesSuite(
        new Kubectl(context, namespace, Kubectl.processes()),
        new Endpoints(
            "k8s",
            URI.create(Endpoints.env("GATEWAY_URL", "http://127.0.0.1:8080")),
            URI.create(Endpoints.env("PROMETHEUS_URL", "http://127.0.0.1:9090")),
            drills),
        drills.getParent());
  }

  @Override
  public Endpoints endpoints() {
    return endpoints;
  }

  private Path secrets() throws IOException {
    Path dir = ClusterSecrets.folder(home);
    if (!Files.exists(dir.resolve("signing").resolve(SigningKeys.PRIVATE_FILE))) {
      throw new IOException(
          "no keys in "
              + dir
              + ": the cluster's secrets are made by bin/suite k8s-secrets on this machine");
    }
    return dir;
  }

  @Override
  public String token(String subject, boolean admin) throws IOException {
    return tokens.token(subject, admin);
  }

  private String mint(String subject, boolean admin) throws IOException {
    SigningKeys keys = SigningKeys.read(secrets().resolve("signing"));
    Duration ttl = Duration.ofHours(6);
    TokenRequest request =
        admin ? TokenRequest.admin(subject, ttl) : TokenRequest.customer(subject, ttl);
    return new TokenMinter(keys, Clock.systemUTC()).mint(request);
  }

  @Override
  public Connection database(String address) throws IOException, SQLException {
    NodeAddress node = NodeAddress.parse(address);
    // The topology names a node by its pod's DNS name.
    String pod = PodNames.of(node.host());
    ExecTunnel tunnel =
        tunnels.computeIfAbsent(
            pod + ":" + node.port(),
            k -> {
              try {
                return ExecTunnel.open(pod, node.port(), kubectl.exec(pod, "postgres"));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    // Each connection starts a kubectl exec first: generous timeouts.
    return Deployment.appConnection(
        tunnel.localAddress(), credentials(), Duration.ofSeconds(10), Duration.ofSeconds(20));
  }

  /** The application role's password, read once: the observer opens many connections. */
  private PostgresCredentials credentials() throws IOException {
    PostgresCredentials known = credentials;
    if (known == null) {
      known =
          PostgresCredentials.read(
              new StringReader(
                  Files.readString(
                      secrets().resolve("postgres").resolve(ClusterSecrets.POSTGRES_FILE))));
      credentials = known;
    }
    return known;
  }

  @Override
  public FaultActions faults(Gateway gateway, String adminToken) {
    return new KubernetesFaults(
        kubectl,
        new KubernetesFaults.Primaries() {
          @Override
          public String primaryHost(Target target) throws IOException {
            return currentPrimary(target, gateway, adminToken).host();
          }

          @Override
          public boolean allShardsSync() {
            return Deployment.allShardsSync(gateway, adminToken);
          }
        });
  }

  @Override
  public Optional<String> notRunning() throws IOException {
    try {
      if (kubectl.pods(KubernetesFaults.SUITE_SELECTOR).isEmpty()) {
        return Optional.of(
            "no pod of the suite in namespace "
                + kubectl.namespace()
                + ": kubectl apply -k k8s/overlays/local (README: Kubernetes)");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("kubectl cannot list the suite's pods: " + e.getMessage());
    }
  }

  @Override
  public List<String> unhealthy() throws IOException {
    return new KubernetesFaults(kubectl, NO_SHARDS).unready();
  }

  /** For the pod checks alone, which never ask the router. */
  private static final KubernetesFaults.Primaries NO_SHARDS =
      new KubernetesFaults.Primaries() {
        @Override
        public String primaryHost(Target target) {
          throw new UnsupportedOperationException("pods only");
        }

        @Override
        public boolean allShardsSync() {
          throw new UnsupportedOperationException("pods only");
        }
      };

  @Override
  public String startCommand() {
    return "kubectl -n " + kubectl.namespace() + " get pods (its controller replaces NAME)";
  }

  @Override
  public void close() {
    tunnels.values().forEach(ExecTunnel::close);
    tunnels.clear();
  }
}
