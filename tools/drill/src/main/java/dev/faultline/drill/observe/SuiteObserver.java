package dev.faultline.drill.observe;

import dev.faultline.drill.check.Observed;
import dev.faultline.drill.history.Event;
import dev.faultline.drill.history.History;
import dev.faultline.drill.load.Gateway;
import dev.faultline.drill.suite.Deployment;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Reads the settled end state the checker judges: every shard's current primary (as the router
 * publishes it) over JDBC for orders, payments, the ledger, open sagas and fenced writes, and the
 * API through the gateway for every order a client was told about. Also the one copy of these
 * queries the end-to-end tests use.
 */
public record SuiteObserver(Deployment suite, Gateway gateway, String adminToken) {
  /**
   * Waits until no saga is open anywhere, or until {@code bound} has passed; returns how long it
   * took (the bound when some stayed open).
   */
  public Duration awaitSagasTerminal(Duration bound) throws Exception {
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (openSagas(Instant.EPOCH).isEmpty()) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (SQLException | IOException transientError) {
        // a primary just moved: ask again
      }
      Thread.sleep(500);
    }
    return bound;
  }

  /**
   * The end state. {@code accounts} are the accounts whose deposits and fenced balance writes to
   * read; {@code run} names the drill's fenced-register writes; open sagas' ages count from no
   * earlier than {@code quietSince} (when the load stopped: a cancel reopens an old saga).
   */
  public Observed observe(
      History history, Collection<String> accounts, String run, Instant quietSince)
      throws Exception {
    Map<String, Observed.OrderState> orders = new HashMap<>();
    Map<String, String> orderAccount = new HashMap<>();
    Map<String, Observed.PaymentState> paymentsByOrderAndAccount = new HashMap<>();
    Map<String, Long> deposited = new HashMap<>();
    List<Observed.ShardMoney> shards = new ArrayList<>();
    List<Observed.FencedWrite> writes = new ArrayList<>();
    // Where each keyed row was found: with slots moving between shards, a key on two shards is a
    // copy a move left behind (or made twice).
    Map<String, List<Integer>> foundOn = new java.util.TreeMap<>();
    List<String> primaries = suite.primaries(gateway, adminToken);
    String[] accountIds = accounts.toArray(String[]::new);
    Set<String> ownAccounts = Set.copyOf(accounts);
    for (String account : accounts) {
      deposited.put(account, 0L);
    }
    for (int shard = 0; shard < primaries.size(); shard++) {
      try (Connection db = suite.database(primaries.get(shard))) {
        shards.add(
            new Observed.ShardMoney(
                shard,
                single(db, "select coalesce(sum(amount_cents), 0) from payments.ledger_entries"),
                single(
                    db,
                    "select count(*) from payments.accounts a where balance_cents <> (select"
                        + " coalesce(sum(amount_cents), 0) from payments.ledger_entries e"
                        + " where e.account_id = a.id)")));
        try (Statement s = db.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "select id, status, total_cents, account_id, refunded_cents"
                        + " from orders.orders")) {
          while (rs.next()) {
            foundOn.computeIfAbsent("order " + rs.getString(1), k -> new ArrayList<>()).add(shard);
            if (!ownAccounts.contains(rs.getString(4))) {
              // Another run's order: this drill judges the money of what it did. An order an
              // earlier drill left wrong (one run with a protection switched off on purpose, say)
              // would otherwise fail every drill after it.
              continue;
            }
            orders.put(
                rs.getString(1),
                new Observed.OrderState(
                    rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(5)));
            orderAccount.put(rs.getString(1), rs.getString(4));
          }
        }
        try (Statement s = db.createStatement();
            ResultSet rs = s.executeQuery("select id from payments.accounts")) {
          while (rs.next()) {
            foundOn
                .computeIfAbsent("account " + rs.getString(1), k -> new ArrayList<>())
                .add(shard);
          }
        }
        try (Statement s = db.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "select order_id, account_id, status, amount_cents, refunded_cents"
                        + " from payments.payments where account_id is not null")) {
          while (rs.next()) {
            paymentsByOrderAndAccount.put(
                rs.getString(1) + "/" + rs.getString(2),
                new Observed.PaymentState(
                    rs.getString(1), rs.getString(3), rs.getLong(4), rs.getLong(5)));
            foundOn
                .computeIfAbsent(
                    "payment of order " + rs.getString(1) + " on account " + rs.getString(2),
                    k -> new ArrayList<>())
                .add(shard);
          }
        }
        try (PreparedStatement s =
            db.prepareStatement(
                "select account_id, sum(amount_cents) from payments.ledger_entries"
                    + " where kind = 'DEPOSIT' and account_id = any(?) group by account_id")) {
          s.setArray(1, db.createArrayOf("text", accountIds));
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              deposited.put(rs.getString(1), rs.getLong(2));
            }
          }
        }
        // The payment service's own fenced writes: each balance movement's lease token, in commit
        // order per account (see payment-service's V3 migration).
        try (PreparedStatement s =
            db.prepareStatement(
                "select account_id, id, fence_token from payments.ledger_entries"
                    + " where account_id = any(?) and kind <> 'OPENING' order by id")) {
          s.setArray(1, db.createArrayOf("text", accountIds));
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              writes.add(
                  new Observed.FencedWrite(
                      "account " + rs.getString(1), rs.getLong(2), rs.getLong(3), true));
            }
          }
        }
        if (shard == 0 && tableExists(db, "drill.writes")) {
          try (PreparedStatement s =
              db.prepareStatement(
                  "select resource, seq, token, accepted from drill.writes where run = ?"
                      + " order by seq")) {
            s.setString(1, run);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                writes.add(
                    new Observed.FencedWrite(
                        rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4)));
              }
            }
          }
        }
      }
    }
    Map<String, Observed.PaymentState> payments = new HashMap<>();
    orderAccount.forEach(
        (order, account) -> {
          Observed.PaymentState payment = paymentsByOrderAndAccount.get(order + "/" + account);
          if (payment != null) {
            payments.put(order, payment);
          }
        });
    return new Observed(
        orders,
        apiStatus(acknowledgedOrders(history)),
        payments,
        deposited,
        shards,
        openSagas(primaries, quietSince),
        writes,
        foundOn.entrySet().stream()
            .filter(e -> e.getValue().size() > 1)
            .map(e -> new Observed.Duplicate(e.getKey(), e.getValue()))
            .toList());
  }

  /** Sagas not terminal, with how long they have been open (counted from no earlier than since). */
  public List<Observed.OpenSaga> openSagas(Instant since) throws Exception {
    return openSagas(suite.primaries(gateway, adminToken), since);
  }

  private List<Observed.OpenSaga> openSagas(List<String> primaries, Instant since)
      throws Exception {
    List<Observed.OpenSaga> open = new ArrayList<>();
    for (String primary : primaries) {
      try (Connection db = suite.database(primary);
          PreparedStatement s =
              db.prepareStatement(
                  "select s.order_id, o.status, extract(epoch from now() - greatest(s.started_at,"
                      + " ?)) from orders.sagas s join orders.orders o on o.id = s.order_id"
                      + " where s.finished_at is null")) {
        s.setTimestamp(1, Timestamp.from(since));
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            open.add(new Observed.OpenSaga(rs.getString(1), rs.getString(2), rs.getDouble(3)));
          }
        }
      }
    }
    return open;
  }

  private static Set<String> acknowledgedOrders(History history) {
    Set<String> ids = new TreeSet<>();
    for (History.Operation op : history.operations()) {
      String id = op.result("id");
      if (op.kind().equals("place-order") && op.is(Event.Outcome.OK) && id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** GET /api/orders/{id} for each, eight at a time; a 404 is {@link Observed#MISSING}. */
  private Map<String, String> apiStatus(Set<String> ids) throws Exception {
    Map<String, String> status = new ConcurrentHashMap<>();
    Semaphore parallel = new Semaphore(8);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String id : ids) {
        pool.submit(
            () -> {
              parallel.acquireUninterruptibly();
              try {
                for (int attempt = 0; attempt < 5; attempt++) {
                  Gateway.Answer answer = gateway.get("/api/orders/" + id, adminToken);
                  if (answer.ok()) {
                    status.put(id, answer.text("status"));
                    return;
                  }
                  if (answer.status() == 404) {
                    status.put(id, Observed.MISSING);
                    return;
                  }
                  Gateway.sleep(Duration.ofMillis(500));
                }
              } finally {
                parallel.release();
              }
            });
      }
    }
    return status;
  }

  private static boolean tableExists(Connection db, String table) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("select to_regclass(?) is not null")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static long single(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
