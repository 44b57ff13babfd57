package dev.faultline.drill.load;

import dev.faultline.drill.history.Event.Outcome;
import dev.faultline.drill.history.HistoryLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * The drill's load: {@code clients} customers, each with its own account and thread, paced so all
 * of them together start about {@code ratePerSecond} operations a second (a slow answer delays that
 * client, never piles work up). Each client draws its next operation from a seeded mix:
 *
 * <ul>
 *   <li>place an order its account can pay (usually CONFIRMED), or one far over any balance
 *       (declined: REJECTED);
 *   <li>deposit to its account;
 *   <li>a partial refund of one of its acknowledged orders (run by the saga);
 *   <li>cancel one of its acknowledged orders (the refund compensation);
 *   <li>read one of its orders;
 *   <li>a lock cycle on one of a few shared lock names: acquire, a fenced write, sometimes a
 *       renewal and a second write, release.
 * </ul>
 *
 * Every operation goes into the history as invoke then ok / fail / unknown. POSTs to orders and
 * accounts carry an {@code Idempotency-Key} that every retry reuses.
 */
public final class Workload {
  /** How much load: clients (threads, one customer each), total starts per second, the seed. */
  public record Settings(int clients, double ratePerSecond, long seed, String run) {}

  private static final String CURRENCY = "EUR";
  private static final long OPENING_CENTS = 50_000;
  private static final int LOCKS = 3;
  private static final long LEASE_TTL_MS = 4_000;

  private final Settings settings;
  private final Gateway gateway;
  private final HistoryLog history;
  private final FencedRegister register;
  private final List<Client> clients = new ArrayList<>();

  public Workload(
      Settings settings,
      Gateway gateway,
      HistoryLog history,
      FencedRegister register,
      TokenSource tokens)
      throws IOException {
    this.settings = settings;
    this.gateway = gateway;
    this.history = history;
    this.register = register;
    for (int i = 0; i < settings.clients(); i++) {
      String customer = "drill-" + settings.run() + "-c" + i;
      clients.add(new Client(customer, tokens.customer(customer), new Random(settings.seed() + i)));
    }
  }

  /** Mints customer tokens. */
  @FunctionalInterface
  public interface TokenSource {
    String customer(String id) throws IOException;
  }

  /** Opens every client's account (before any fault): the drill cannot start without them. */
  public void openAccounts() throws IOException {
    for (Client client : clients) {
      Gateway.Answer answer = client.openAccount();
      if (!answer.ok()) {
        throw new IOException(
            "opening an account for "
                + client.customer
                + " answered "
                + answer.reason()
                + ": is the suite healthy? (bin/suite status)");
      }
    }
  }

  public List<String> accounts() {
    return clients.stream().map(c -> c.account).toList();
  }

  /** Runs every client until {@code keepGoing} says stop; returns when all have finished. */
  public void run(BooleanSupplier keepGoing) throws Exception {
    long periodNanos = (long) (settings.clients() * 1e9 / settings.ratePerSecond());
    try (ExecutorService pool = Executors.newFixedThreadPool(settings.clients())) {
      List<Future<?>> running = new ArrayList<>();
      for (Client client : clients) {
        running.add(pool.submit(() -> client.loop(keepGoing, periodNanos)));
      }
      for (Future<?> f : running) {
        f.get();
      }
    }
  }

  private final class Client {
    final String customer;
    final String token;
    final Random random;
    String account = "";
    final List<String> orders = new ArrayList<>();

    Client(String customer, String token, Random random) {
      this.customer = customer;
      this.token = token;
      this.random = random;
    }

    Gateway.Answer openAccount() {
      String body =
          json("ownerId", customer, "currency", CURRENCY, "initialBalanceCents", OPENING_CENTS);
      long op = history.invoke("open-account", Map.of("customer", customer));
      Gateway.Answer answer =
          gateway.retried("/api/accounts", token, UUID.randomUUID().toString(), body);
      if (answer.ok()) {
        account = answer.text("id");
      }
      record(op, answer, Map.of("id", answer.text("id")));
      return answer;
    }

    void loop(BooleanSupplier keepGoing, long periodNanos) {
      // Spread the clients' first starts over one period, so they do not move in lockstep.
      long next = System.nanoTime() + (long) (random.nextDouble() * periodNanos);
      while (keepGoing.getAsBoolean()) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Gateway.sleep(Duration.ofNanos(wait));
          continue;
        }
        next = Math.max(next + periodNanos, System.nanoTime());
        step();
      }
    }

    void step() {
      int dice = random.nextInt(100);
      if (dice < 35) {
        placeOrder(false);
      } else if (dice < 45) {
        placeOrder(true);
      } else if (dice < 60) {
        deposit();
      } else if (dice < 64 && !orders.isEmpty()) {
        refundPart();
      } else if (dice < 70 && !orders.isEmpty()) {
        cancel();
      } else if (dice < 78 && !orders.isEmpty()) {
        read();
      } else {
        lockCycle();
      }
    }

    void placeOrder(boolean overBudget) {
      List<Map<String, Object>> items = new ArrayList<>();
      int lines = 1 + random.nextInt(3);
      for (int i = 0; i < lines; i++) {
        long price = overBudget ? 90_000_000 : 100 + random.nextInt(900);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", "drill-sku-" + random.nextInt(50));
        item.put("quantity", 1 + random.nextInt(3));
        item.put("unitPriceCents", price);
        items.add(item);
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("customerId", customer);
      body.put("accountId", account);
      body.put("currency", CURRENCY);
      body.put("items", items);
      String key = UUID.randomUUID().toString();
      long op =
          history.invoke(
              "place-order",
              Map.of("customer", customer, "key", key, "budget", overBudget ? "over" : "within"));
      Gateway.Answer answer =
          gateway.retried("/api/orders", token, key, Gateway.JSON.writeValueAsString(body));
      if (answer.ok() && !answer.text("status").equals("REJECTED")) {
        orders.add(answer.text("id")); // one to cancel or read later
      }
      record(
          op,
          answer,
          Map.of(
              "id", answer.text("id"),
              "status", answer.text("status"),
              "totalCents", answer.text("totalCents")));
    }

    void deposit() {
      long cents = 2_000 + random.nextInt(6_000);
      String key = UUID.randomUUID().toString();
      long op =
          history.invoke(
              "deposit", Map.of("account", account, "amountCents", Long.toString(cents)));
      Gateway.Answer answer =
          gateway.retried(
              "/api/accounts/" + account + "/deposits", token, key, json("amountCents", cents));
      record(op, answer, Map.of("balanceCents", answer.text("balanceCents")));
    }

    void cancel() {
      String order = orders.get(random.nextInt(orders.size()));
      long op = history.invoke("cancel-order", Map.of("id", order));
      Gateway.Answer answer =
          gateway.retried(
              "/api/orders/" + order + "/cancel", token, UUID.randomUUID().toString(), "");
      if (answer.answered() && !answer.unknown()) {
        orders.remove(order); // cancelled, or (declined by then) not cancellable: once is enough
      }
      record(op, answer, Map.of("status", answer.text("status")));
    }

    /**
     * A small partial refund: refused (409) while the order is not at rest or has one in flight,
     * 422 when the order has less left; acknowledged ones must show in the order's refunded amount.
     */
    void refundPart() {
      String order = orders.get(random.nextInt(orders.size()));
      long cents = 1 + random.nextInt(200);
      String key = UUID.randomUUID().toString();
      long op =
          history.invoke("refund-order", Map.of("id", order, "amountCents", Long.toString(cents)));
      Gateway.Answer answer =
          gateway.retried(
              "/api/orders/" + order + "/refunds", token, key, json("amountCents", cents));
      record(op, answer, Map.of("status", answer.text("status")));
    }

    void read() {
      String order = orders.get(random.nextInt(orders.size()));
      long op = history.invoke("read-order", Map.of("id", order));
      Gateway.Answer answer = gateway.get("/api/orders/" + order, token);
      record(op, answer, Map.of("status", answer.text("status")));
    }

    /** Acquire, write under the token, maybe renew and write again, release. */
    void lockCycle() {
      String lock = "drill-" + settings.run() + "-lock-" + random.nextInt(LOCKS);
      String path = "/api/locks/" + lock;
      long op =
          history.invoke(
              "lock-acquire",
              Map.of("lock", lock, "holder", customer, "ttlMs", Long.toString(LEASE_TTL_MS)));
      Gateway.Answer lease =
          gateway.retried(
              path + "/acquire",
              token,
              null,
              json("holder", customer, "ttlMs", LEASE_TTL_MS, "waitMs", 1_000));
      String leaseId = lease.text("leaseId");
      String ttl = lease.text("ttlMs");
      record(
          op,
          lease,
          Map.of("leaseId", leaseId, "fencingToken", lease.text("fencingToken"), "ttlMs", ttl));
      if (!lease.ok()) {
        return;
      }
      long fencingToken = Long.parseLong(lease.text("fencingToken"));
      fencedWrite(lock, fencingToken);
      if (random.nextBoolean()) {
        Gateway.sleep(Duration.ofMillis(100 + random.nextInt(1_400)));
        long renewOp = history.invoke("lock-renew", Map.of("lock", lock, "leaseId", leaseId));
        Gateway.Answer renewed =
            gateway.retried(path + "/renew", token, null, json("leaseId", leaseId));
        record(renewOp, renewed, Map.of("leaseId", leaseId, "ttlMs", ttl));
        if (renewed.status() == 410) {
          return; // the lease is gone: a holder that lost it stops work
        }
        if (renewed.ok()) {
          fencedWrite(lock, fencingToken);
        }
      }
      long releaseOp = history.invoke("lock-release", Map.of("lock", lock, "leaseId", leaseId));
      Gateway.Answer released =
          gateway.retried(path + "/release", token, null, json("leaseId", leaseId));
      record(releaseOp, released, Map.of());
    }

    void fencedWrite(String lock, long fencingToken) {
      long op =
          history.invoke(
              "fenced-write", Map.of("lock", lock, "token", Long.toString(fencingToken)));
      try {
        boolean accepted = register.write(lock, fencingToken, customer);
        history.complete(
            op,
            accepted ? Outcome.OK : Outcome.FAIL,
            Map.of("accepted", Boolean.toString(accepted)));
      } catch (Exception e) {
        String message = String.valueOf(e.getMessage());
        history.complete(
            op,
            Outcome.UNKNOWN,
            Map.of(
                "error",
                e.getClass().getSimpleName()
                    + ": "
                    + message.substring(0, Math.min(160, message.length()))));
      }
    }

    /** ok for 2xx, fail for a definite refusal (4xx), unknown when it may have happened. */
    void record(long op, Gateway.Answer answer, Map<String, String> fields) {
      Map<String, String> result = new LinkedHashMap<>();
      result.put("http", Integer.toString(answer.status()));
      result.put("attempts", Integer.toString(answer.attempts()));
      if (!answer.servedBy().isEmpty()) {
        result.put("servedBy", answer.servedBy());
      }
      if (answer.ok()) {
        result.putAll(fields);
      } else {
        result.put("reason", answer.reason());
      }
      Outcome outcome =
          answer.ok() ? Outcome.OK : answer.unknown() ? Outcome.UNKNOWN : Outcome.FAIL;
      if (answer.status() == 409 && answer.reason().equals("idempotency-key-in-use")) {
        outcome = Outcome.UNKNOWN; // still running when we gave up: it may yet happen
      }
      history.complete(op, outcome, result);
    }
  }

  private static String json(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return Gateway.JSON.writeValueAsString(map);
  }
}
