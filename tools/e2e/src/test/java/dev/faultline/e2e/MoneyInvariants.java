package dev.faultline.e2e;

import dev.faultline.cluster.postgres.PostgresCredentials;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The money checks, read straight from every shard's primary (the suite's own credentials): the
 * ledger sums to zero per shard, every balance equals its entries, and per order captured -
 * refunded is the total for a CONFIRMED order and zero for any other. Returns what is wrong.
 */
final class MoneyInvariants {
  private MoneyInvariants() {}

  record OrderRow(String id, String status, long totalCents, String accountId) {}

  record PaymentRow(String status, long amountCents, long refundedCents) {}

  static List<String> violations(Path suiteHome, List<String> primaries) throws Exception {
    PostgresCredentials credentials =
        PostgresCredentials.loadOrCreate(
            suiteHome.resolve("secrets").resolve("postgres.properties"));
    List<String> problems = new ArrayList<>();
    List<OrderRow> orders = new ArrayList<>();
    Map<String, PaymentRow> payments = new HashMap<>();
    for (String primary : primaries) {
      try (Connection db =
          DriverManager.getConnection(
              "jdbc:postgresql://" + primary + "/" + PostgresCredentials.DATABASE,
              PostgresCredentials.APP_USER,
              credentials.appPassword())) {
        long sum = single(db, "select coalesce(sum(amount_cents), 0) from payments.ledger_entries");
        if (sum != 0) {
          problems.add(primary + ": the ledger sums to " + sum + ", not 0");
        }
        long off =
            single(
                db,
                "select count(*) from payments.accounts a where balance_cents <> (select"
                    + " coalesce(sum(amount_cents), 0) from payments.ledger_entries e"
                    + " where e.account_id = a.id)");
        if (off != 0) {
          problems.add(primary + ": " + off + " balances differ from their entries");
        }
        try (Statement s = db.createStatement();
            ResultSet rs =
                s.executeQuery("select id, status, total_cents, account_id from orders.orders")) {
          while (rs.next()) {
            orders.add(
                new OrderRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
          }
        }
        try (Statement s = db.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "select order_id, account_id, status, amount_cents, refunded_cents"
                        + " from payments.payments")) {
          while (rs.next()) {
            payments.put(
                rs.getString(1) + "/" + rs.getString(2),
                new PaymentRow(rs.getString(3), rs.getLong(4), rs.getLong(5)));
          }
        }
      }
    }
    for (OrderRow order : orders) {
      PaymentRow payment = payments.get(order.id() + "/" + order.accountId());
      long net =
          payment == null || !List.of("CAPTURED", "REFUNDED").contains(payment.status())
              ? 0
              : payment.amountCents() - payment.refundedCents();
      long expected = order.status().equals("CONFIRMED") ? order.totalCents() : 0;
      boolean terminal = List.of("CONFIRMED", "REJECTED", "CANCELLED").contains(order.status());
      if (!terminal) {
        problems.add("order " + order.id() + " is still " + order.status());
      } else if (net != expected) {
        problems.add(
            "order "
                + order.id()
                + " is "
                + order.status()
                + " but captured - refunded = "
                + net
                + " (expected "
                + expected
                + ")");
      }
    }
    return problems;
  }

  static long countOrders(Path suiteHome, List<String> primaries, String status) throws Exception {
    PostgresCredentials credentials =
        PostgresCredentials.loadOrCreate(
            suiteHome.resolve("secrets").resolve("postgres.properties"));
    long total = 0;
    for (String primary : primaries) {
      try (Connection db =
          DriverManager.getConnection(
              "jdbc:postgresql://" + primary + "/" + PostgresCredentials.DATABASE,
              PostgresCredentials.APP_USER,
              credentials.appPassword())) {
        total += single(db, "select count(*) from orders.orders where status = '" + status + "'");
      }
    }
    return total;
  }

  private static long single(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
