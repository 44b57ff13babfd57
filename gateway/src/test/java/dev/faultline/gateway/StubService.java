package dev.faultline.gateway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.springframework.cloud.zookeeper.discovery.ZookeeperInstance;

/**
 * A stand-in upstream for gateway tests: a real HTTP server on loopback, registered in ZooKeeper
 * exactly as Spring Cloud Zookeeper registers the real services, answering a chosen status and
 * counting what reached it. (The gateway is what is under test; the services have their own.)
 */
final class StubService implements AutoCloseable {
  final AtomicInteger hits = new AtomicInteger();

  /** The path of the last request that reached it, as the gateway rewrote it. */
  final java.util.concurrent.atomic.AtomicReference<String> lastPath =
      new java.util.concurrent.atomic.AtomicReference<>();

  private final HttpServer server;
  private boolean killed;
  private final ServiceDiscovery<ZookeeperInstance> discovery;

  private StubService(HttpServer server, ServiceDiscovery<ZookeeperInstance> discovery) {
    this.server = server;
    this.discovery = discovery;
  }

  /** A live instance answering {@code status} with a small JSON body. */
  static StubService answering(CuratorFramework zk, String service, IntSupplier status)
      throws Exception {
    return start(zk, service, () -> {}, status);
  }

  /**
   * A live instance that holds every request until {@code gate} opens, then answers 200: a
   * saturated instance, as long as the test wants. It serves requests in parallel.
   */
  static StubService holding(CuratorFramework zk, String service, CountDownLatch gate)
      throws Exception {
    return start(
        zk,
        service,
        () -> {
          if (!gate.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never opened the gate");
          }
        },
        () -> 200);
  }

  private interface Hold {
    void await() throws InterruptedException;
  }

  private static StubService start(
      CuratorFramework zk, String service, Hold hold, IntSupplier status) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.setExecutor(Executors.newCachedThreadPool());
    StubService stub = new StubService(server, discovery(zk));
    server.createContext(
        "/",
        exchange -> {
          stub.hits.incrementAndGet();
          stub.lastPath.set(exchange.getRequestURI().getPath());
          exchange.getRequestBody().readAllBytes();
          try {
            hold.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body =
              ("{\"served-by\":\"" + server.getAddress().getPort() + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(status.getAsInt(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    stub.register(service, server.getAddress().getPort());
    return stub;
  }

  /**
   * The process dies as under SIGKILL: its port refuses connections at once, while its registration
   * stays until its ZooKeeper session would expire.
   */
  void kill() {
    if (!killed) {
      killed = true;
      server.stop(0);
    }
  }

  /** The name the gateway gives it in {@code Served-By}. */
  String name(String service) {
    return service + "@127.0.0.1:" + port();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** A registration whose process is gone: the port refuses connections, as after a SIGKILL. */
  static void registerDead(CuratorFramework zk, String service, int port) throws Exception {
    StubService ghost = new StubService(null, discovery(zk));
    ghost.register(service, port);
  }

  private static ServiceDiscovery<ZookeeperInstance> discovery(CuratorFramework zk)
      throws Exception {
    ServiceDiscovery<ZookeeperInstance> discovery =
        ServiceDiscoveryBuilder.builder(ZookeeperInstance.class)
            .client(zk)
            .basePath("/services")
            .serializer(new JsonInstanceSerializer<>(ZookeeperInstance.class))
            .build();
    discovery.start();
    return discovery;
  }

  private void register(String service, int port) throws Exception {
    String id = UUID.randomUUID().toString();
    discovery.registerService(
        ServiceInstance.<ZookeeperInstance>builder()
            .id(id)
            .name(service)
            .address("127.0.0.1")
            .port(port)
            .payload(new ZookeeperInstance(id, service, java.util.Map.of()))
            .build());
  }

  @Override
  public void close() throws IOException {
    discovery.close();
    if (server != null) {
      kill();
      if (server.getExecutor() instanceof java.util.concurrent.ExecutorService pool) {
        pool.shutdownNow();
      }
    }
  }
}
