package dev.faultline.bench.saga;

import dev.faultline.bench.Bench;
import dev.faultline.bench.Latencies;
import dev.faultline.bench.RunningSuite;
import dev.faultline.cluster.postgres.PostgresCredentials;
import dev.faultline.contract.PaymentIds;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/bench saga [--sagas 400] [--clients 4]}: against the running local suite, {@code
 * clients} threads place orders that run the whole saga (account check, order and saga rows, leased
 * and fenced charge with its ledger entries, confirm) through the gateway, next to the same SQL
 * statements run directly over JDBC from this process (the floor PostgreSQL sets: no HTTP, no
 * services, no lease). Blocks of 40 sagas alternate between the two so both see the same machine.
 * Reports sagas per second and per-saga p50/p99, and the ratios.
 */
public final class SagaBench {
  private static final int BLOCK = 40;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private SagaBench() {}

  public static void run(String[] args) throws Exception {
    int sagas = Math.min(5_000, Bench.intArg(args, "--sagas", 400));
    int clients = Math.max(1, Math.min(16, Bench.intArg(args, "--clients", 4)));
    RunningSuite suite = RunningSuite.fromEnvironment();
    String admin = suite.adminToken();
    String run = UUID.randomUUID().toString().substring(0, 6);

    List<Client> gateway = new ArrayList<>();
    List<Client> direct = new ArrayList<>();
    PostgresCredentials credentials = suite.credentials();
    List<String> primaries = primaries(suite, admin);
    for (int c = 0; c < clients; c++) {
      gateway.add(client(suite, admin, "bench-saga-" + run + "-g" + c, primaries, credentials));
      direct.add(client(suite, admin, "bench-saga-" + run + "-j" + c, primaries, credentials));
    }
    System.out.printf(
        Locale.ROOT,
        "saga: %d sagas each way, %d clients, blocks of %d alternating; gateway %s, JDBC to %s%n",
        sagas,
        clients,
        BLOCK,
        suite.ports().gatewayUri(),
        primaries);
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      Path oursPath = new Path(gateway, SagaBench::throughGateway);
      Path floorPath = new Path(direct, SagaBench::overJdbc);
      for (int i = 0; i < 2; i++) { // warm up both (JIT, pools, caches)
        oursPath.block(pool, BLOCK, new long[BLOCK], 0);
        floorPath.block(pool, BLOCK, new long[BLOCK], 0);
      }
      long[] ours = new long[sagas];
      long[] floor = new long[sagas];
      long oursWall = 0;
      long floorWall = 0;
      for (int done = 0; done < sagas; done += BLOCK) {
        int n = Math.min(BLOCK, sagas - done);
        oursWall += oursPath.block(pool, n, ours, done);
        floorWall += floorPath.block(pool, n, floor, done);
      }
      Latencies.compare(
          "sagas",
          "%.1f",
          new Latencies.Side("POST /api/orders through the gateway (ours)", ours, oursWall),
          new Latencies.Side("the same SQL over JDBC, one process (floor)", floor, floorWall),
          "floor");
    } finally {
      for (Client client : direct) {
        client.close();
      }
    }
  }

  /** One simulated customer: a token, an account, and (for the JDBC path) connections. */
  private record Client(
      String customer,
      String token,
      String account,
      int accountSlot,
      Connection orderShard,
      Connection paymentShard) {
    void close() throws SQLException {
      orderShard.close();
      paymentShard.close();
    }
  }

  @FunctionalInterface
  private interface Saga {
    void run(Client client) throws Exception;
  }

  private record Path(List<Client> clients, Saga saga) {
    /** Runs {@code n} sagas spread over the clients; returns the wall time. */
    long block(ExecutorService pool, int n, long[] into, int from) throws Exception {
      List<Callable<Void>> work = new ArrayList<>();
      int[] next = {from};
      Object lock = new Object();
      for (Client client : clients) {
        work.add(
            () -> {
              while (true) {
                int slot;
                synchronized (lock) {
                  if (next[0] >= from + n) {
                    return null;
                  }
                  slot = next[0]++;
                }
                long started = System.nanoTime();
                saga.run(client);
                into[slot] = System.nanoTime() - started;
              }
            });
      }
      long started = System.nanoTime();
      for (Future<Void> f : pool.invokeAll(work)) {
        f.get();
      }
      return System.nanoTime() - started;
    }
  }

  private static void throughGateway(Client client) throws Exception {
    String body =
        "{\"customerId\":\""
            + client.customer()
            + "\",\"accountId\":\""
            + client.account()
            + "\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"bench\",\"quantity\":1,"
            + "\"unitPriceCents\":100}]}";
    HttpResponse<String> response =
        post(client.token(), "/api/orders", body, "bench-" + UUID.randomUUID());
    if (response.statusCode() != 201 || !response.body().contains("\"CONFIRMED\"")) {
      throw new IllegalStateException(
          "saga did not confirm in time: " + response.statusCode() + " " + response.body());
    }
  }

  /**
   * The statements the services run for one saga, in the same transactions, with nothing between
   * them: key and order rows, the charge with its ledger entries and key, two transitions, the
   * stored answer, and the order reads the saga runner makes between steps.
   */
  private static void overJdbc(Client client) throws SQLException {
    UUID order = UUID.randomUUID();
    String payment = PaymentIds.of(client.accountSlot(), order.toString());
    String scope = client.customer();
    String key = "bench-" + order;
    Connection o = client.orderShard();
    Connection p = client.paymentShard();
    tx(
        o,
        () -> {
          query(o, "select pg_try_advisory_xact_lock(?)", (long) key.hashCode());
          query(o, "select state from idempotency_keys where scope = ? and key = ?", scope, key);
          update(
              o,
              "insert into orders (id, customer_id, account_id, currency, total_cents, status)"
                  + " values (?, ?, ?, 'EUR', 100, 'PENDING')",
              order,
              scope,
              client.account());
          update(
              o,
              "insert into order_items (order_id, line, sku, quantity, unit_price_cents)"
                  + " values (?, 1, 'bench', 1, 100)",
              order);
          history(o, order, "PENDING");
          update(
              o,
              "insert into sagas (order_id, next_attempt_at) values (?, now() + interval '6 s')",
              order);
          update(
              o,
              "insert into idempotency_keys (scope, key, fingerprint, state, recovery_point,"
                  + " locked_until) values (?, ?, 'x', 'IN_PROGRESS', ?, now() + interval '6 s')",
              scope,
              key,
              order.toString());
        });
    readOrder(o, order);
    String chargeKey = "order-" + order + "-charge";
    tx(
        p,
        () -> {
          query(p, "select pg_try_advisory_xact_lock(?)", (long) chargeKey.hashCode());
          query(
              p,
              "select state from idempotency_keys where scope = 'order-service' and key = ?",
              chargeKey);
          query(p, "select balance_cents from accounts where id = ?", client.account());
          update(
              p,
              "insert into payments (id, order_id, account_id, owner_id, amount_cents, currency,"
                  + " status) values (?, ?, ?, ?, 100, 'EUR', 'DECLINED') on conflict (id) do"
                  + " nothing",
              payment,
              order.toString(),
              client.account(),
              scope);
          query(p, "select status from payments where id = ? for update", payment);
          query(p, "select balance_cents from accounts where id = ? for update", client.account());
          update(
              p,
              "update accounts set balance_cents = balance_cents - 100, revision = revision + 1,"
                  + " updated_at = now(), fence_token = ? where id = ? and fence_token <= ?",
              0L,
              client.account(),
              0L);
          update(
              p,
              "insert into ledger_entries (movement_id, kind, account_id, amount_cents) values"
                  + " (?, 'CHARGE', ?, -100), (?, 'CHARGE', '@revenue', 100)",
              payment,
              client.account(),
              payment);
          update(p, "update payments set status = 'CAPTURED' where id = ?", payment);
          query(p, "select status from payments where id = ?", payment);
          update(
              p,
              "insert into idempotency_keys (scope, key, fingerprint, state, response_status,"
                  + " response_headers, response_body, completed_at) values ('order-service', ?,"
                  + " 'x', 'COMPLETED', 201, '{}', '{}', now())",
              chargeKey);
        });
    for (String status : List.of("PAID", "CONFIRMED")) {
      tx(
          o,
          () -> {
            update(
                o,
                "update sagas set fence_token = 0 where order_id = ? and fence_token <= 0",
                order);
            update(
                o,
                "update orders set status = ?, revision = revision + 1, updated_at = now()"
                    + " where id = ?",
                status,
                order);
            history(o, order, status);
            update(
                o,
                status.equals("CONFIRMED")
                    ? "update sagas set finished_at = now(), outcome = 'CONFIRMED' where order_id = ?"
                    : "update sagas set attempts = 0, next_attempt_at = now() + interval '6 s'"
                        + " where order_id = ?",
                order);
          });
      readOrder(o, order);
    }
    tx(
        o,
        () ->
            update(
                o,
                "update idempotency_keys set state = 'COMPLETED', response_status = 201,"
                    + " response_headers = '{}', response_body = '{}', completed_at = now()"
                    + " where scope = ? and key = ?",
                scope,
                key));
  }

  private static void history(Connection db, UUID order, String status) throws SQLException {
    update(
        db,
        "insert into order_status_history (order_id, seq, status) values (?, (select"
            + " coalesce(max(seq), 0) + 1 from order_status_history where order_id = ?), ?)",
        order,
        order,
        status);
  }

  private static void readOrder(Connection db, UUID order) throws SQLException {
    query(db, "select id, status, revision from orders where id = ?", order);
    query(db, "select sku from order_items where order_id = ?", order);
    query(db, "select status from order_status_history where order_id = ?", order);
  }

  @FunctionalInterface
  private interface Statements {
    void run() throws SQLException;
  }

  private static void tx(Connection db, Statements statements) throws SQLException {
    try {
      statements.run();
      db.commit();
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    }
  }

  private static void update(Connection db, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      bind(s, params);
      s.executeUpdate();
    }
  }

  private static void query(Connection db, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      bind(s, params);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rs.getObject(1);
        }
      }
    }
  }

  private static void bind(PreparedStatement s, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
  }

  private static Client client(
      RunningSuite suite,
      String admin,
      String customer,
      List<String> primaries,
      PostgresCredentials credentials)
      throws Exception {
    String token = suite.customerToken(customer);
    HttpResponse<String> opened =
        post(
            token,
            "/api/accounts",
            "{\"ownerId\":\""
                + customer
                + "\",\"currency\":\"EUR\",\"initialBalanceCents\":100000000000}",
            "bench-open-" + customer);
    if (opened.statusCode() != 201) {
      throw new IllegalStateException("cannot open an account: " + opened.body());
    }
    String account = JSON.readTree(opened.body()).get("id").asString();
    JsonNode accountRoute = route(suite, admin, account);
    JsonNode customerRoute = route(suite, admin, customer);
    return new Client(
        customer,
        token,
        account,
        accountRoute.get("slot").asInt(),
        connect(primaries.get(customerRoute.get("shard").asInt()), "orders", credentials),
        connect(primaries.get(accountRoute.get("shard").asInt()), "payments", credentials));
  }

  private static JsonNode route(RunningSuite suite, String admin, String key) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    suite.ports().gatewayUri().resolve("/api/shards/route?key=" + key))
                .header("Authorization", "Bearer " + admin)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static List<String> primaries(RunningSuite suite, String admin) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(suite.ports().gatewayUri().resolve("/api/shards"))
                .header("Authorization", "Bearer " + admin)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    List<String> primaries = new ArrayList<>();
    JSON.readTree(response.body())
        .get("shards")
        .forEach(shard -> primaries.add(shard.get("primary").asString()));
    return primaries;
  }

  private static Connection connect(String address, String schema, PostgresCredentials credentials)
      throws SQLException {
    Connection db =
        DriverManager.getConnection(
            "jdbc:postgresql://"
                + address
                + "/"
                + PostgresCredentials.DATABASE
                + "?currentSchema="
                + schema,
            PostgresCredentials.APP_USER,
            credentials.appPassword());
    db.setAutoCommit(false);
    return db;
  }

  private static HttpResponse<String> post(String token, String path, String body, String key)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(RunningSuite.fromEnvironment().ports().gatewayUri().resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
