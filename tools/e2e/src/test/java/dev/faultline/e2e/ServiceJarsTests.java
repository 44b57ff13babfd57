package dev.faultline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each service's boot jar holds its own code and libraries only: the services its tests run as
 * processes (order-service runs payment-service and lock-service) are build-order dependencies,
 * never packaged, or every image would carry three copies of the suite.
 */
class ServiceJarsTests {
  private static final List<String> SERVICES =
      List.of("gateway", "lock-service", "shard-router", "order-service", "payment-service");

  @ParameterizedTest
  @ValueSource(
      strings = {"gateway", "lock-service", "shard-router", "order-service", "payment-service"})
  void aServiceJarNestsNoOtherService(String service) throws Exception {
    Path jar =
        Path.of(System.getProperty("suite.repo", "../.."), service, "target", service + ".jar");
    assertThat(jar).isRegularFile();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<String> nested =
          zip.stream()
              .map(e -> e.getName())
              .filter(n -> n.startsWith("BOOT-INF/lib/"))
              .filter(n -> SERVICES.stream().anyMatch(s -> n.startsWith("BOOT-INF/lib/" + s + "-")))
              .toList();
      assertThat(nested).as(service + " nests").isEmpty();
    }
    // Its own code and Maven Central's libraries: about 70 MB, not the 268 MB it was when it
    // nested the others.
    assertThat(Files.size(jar)).as(service + ".jar bytes").isLessThan(100_000_000L);
  }
}
