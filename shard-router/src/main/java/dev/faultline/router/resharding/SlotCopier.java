package dev.faultline.router.resharding;

import dev.faultline.router.health.NodeProbe;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SQL of a slot move, node by node. Knows no service: it moves every table that has a {@code
 * slot} column (in any schema but the metadata's), row images as JSON, so a new service's tables
 * move without a line here. A table's identity is its primary key, or, when that key is a sequence
 * number each shard draws on its own (the ledger's), its first other unique key: the row gets a new
 * number on the target, after the numbers already there, so per account the order stays.
 *
 * <p>Writes on the target run with {@code session_replication_role = replica}, as logical
 * replication applies rows: no triggers (the capture trigger) and no foreign-key checks (a batch of
 * rows arrives in any order, and the whole slot is there before anyone reads it). Every transaction
 * the mover runs on a node first reads the node's fence FOR SHARE and stops if a router with a
 * newer lease token has been there.
 */
@Component
public class SlotCopier {
  private static final int CHUNK = 1000;

  private final NodeProbe nodes;
  private final JsonMapper json;

  SlotCopier(NodeProbe nodes, JsonMapper json) {
    this.nodes = nodes;
    this.json = json;
  }

  /**
   * A moved table: its name, the columns written, the identity columns, and the order rows are
   * written in on the target (a sequenced key's order, so the new numbers keep the old order).
   */
  public record Table(String name, List<String> columns, List<String> identity, String order) {
    String columnList() {
      return String.join(", ", columns);
    }

    String identityJoin(String left, String right) {
      return identity.stream()
          .map(c -> left + "." + c + " = " + right + "." + c)
          .collect(Collectors.joining(" and "));
    }
  }

  /** The tables with a slot column on {@code node}, by name. */
  public Map<String, Table> tables(String node) throws SQLException {
    Map<String, Table> tables = new LinkedHashMap<>();
    try (Connection c = admin(node, 30);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select c.table_schema, c.table_name,"
                    + " quote_ident(c.table_schema) || '.' || quote_ident(c.table_name)"
                    + " from information_schema.columns c"
                    + " join information_schema.tables t"
                    + " on t.table_schema = c.table_schema and t.table_name = c.table_name"
                    + " where c.column_name = 'slot' and t.table_type = 'BASE TABLE'"
                    + " and c.table_schema not in ('shard_meta', 'pg_catalog',"
                    + " 'information_schema') order by 1, 2")) {
      List<String[]> names = new ArrayList<>();
      while (rs.next()) {
        names.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
      }
      for (String[] name : names) {
        Table table = describe(c, name[0], name[1], name[2]);
        tables.put(table.name(), table);
      }
    }
    return tables;
  }

  /** {@code name} is the table's as the capture trigger writes it (quote_ident of each part). */
  private static Table describe(Connection c, String schema, String table, String name)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    Map<String, String> defaults = new LinkedHashMap<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "select column_name, coalesce(column_default, '') from information_schema.columns"
                + " where table_schema = ? and table_name = ? order by ordinal_position")) {
      p.setString(1, schema);
      p.setString(2, table);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          defaults.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    List<String> primary = keyColumns(c, name, "i.indisprimary");
    String sequenced = null;
    if (primary.size() == 1
        && defaults.getOrDefault(primary.getFirst(), "").startsWith("nextval(")) {
      sequenced = primary.getFirst();
    }
    List<String> identity =
        sequenced == null ? primary : keyColumns(c, name, "i.indisunique and not i.indisprimary");
    if (identity.isEmpty()) {
      throw new IllegalStateException(
          name + " has no key a moved row can be found by (a primary key, or a unique key)");
    }
    for (String column : defaults.keySet()) {
      if (!column.equals(sequenced)) {
        columns.add(quote(column));
      }
    }
    List<String> quotedIdentity = identity.stream().map(SlotCopier::quote).toList();
    return new Table(
        name,
        columns,
        quotedIdentity,
        sequenced == null ? String.join(", ", quotedIdentity) : quote(sequenced));
  }

  /** The columns of the first index matching {@code which} (by index OID, so stable). */
  private static List<String> keyColumns(Connection c, String table, String which)
      throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "select array_agg(a.attname order by k.ord) from pg_index i"
                + " cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)"
                + " join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum"
                + " where i.indrelid = ?::regclass and "
                + which
                + " group by i.indexrelid order by i.indexrelid limit 1")) {
      p.setString(1, table);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          return List.of();
        }
        return List.of((String[]) rs.getArray(1).getArray());
      }
    }
  }

  private static String prefixed(String alias, String columns) {
    return java.util.Arrays.stream(columns.split(", "))
        .map(c -> alias + "." + c)
        .collect(Collectors.joining(", "));
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /**
   * Starts capturing changes to {@code slots} on the source. The fence row's lock waits for every
   * write in flight, so each write after this commit is captured, and each one before it is in the
   * snapshot the copy takes next.
   */
  public void prepare(String source, List<Integer> slots, long token) throws SQLException {
    try (Connection c = fenced(source, token)) {
      try (PreparedStatement p =
          c.prepareStatement(
              "insert into shard_meta.moving_slots (slot) select unnest(?)"
                  + " on conflict (slot) do nothing")) {
        p.setArray(1, ints(c, slots));
        p.executeUpdate();
      }
      lockFence(c, token);
      c.commit();
    }
  }

  /**
   * Copies the slots' rows of every table from one snapshot of the source to the target, in chunks
   * of {@value #CHUNK} rows, each chunk one target transaction (an upsert, so a copy cut short and
   * started again converges). {@code pace} is told each chunk's size (the throttle sleeps).
   */
  public long copy(
      String source,
      String target,
      Map<String, Table> tables,
      List<Integer> slots,
      long token,
      LongConsumer pace)
      throws SQLException {
    long rows = 0;
    try (Connection from = admin(source, 120);
        Connection to = fenced(target, token)) {
      from.setAutoCommit(false);
      from.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      from.setReadOnly(true);
      replicaRole(to);
      for (Table table : tables.values()) {
        try (PreparedStatement p =
            from.prepareStatement(
                "select to_jsonb(t)::text from "
                    + table.name()
                    + " t where slot = any(?) order by "
                    + table.order())) {
          p.setFetchSize(CHUNK);
          p.setArray(1, ints(from, slots));
          try (ResultSet rs = p.executeQuery()) {
            List<String> chunk = new ArrayList<>(CHUNK);
            while (rs.next()) {
              chunk.add(rs.getString(1));
              if (chunk.size() == CHUNK) {
                rows += apply(to, table, chunk, token);
                pace.accept(chunk.size());
                chunk.clear();
              }
            }
            if (!chunk.isEmpty()) {
              rows += apply(to, table, chunk, token);
              pace.accept(chunk.size());
            }
          }
        }
      }
      from.commit();
    }
    return rows;
  }

  /** Upserts row images into the target and commits; the target stays fenced for the next. */
  private int apply(Connection to, Table table, List<String> images, long token)
      throws SQLException {
    upsert(to, table, "[" + String.join(",", images) + "]");
    to.commit();
    checkFence(to, token);
    replicaRole(to);
    return images.size();
  }

  private static void upsert(Connection to, Table table, String images) throws SQLException {
    List<String> rest =
        table.columns().stream().filter(c -> !table.identity().contains(c)).toList();
    String conflict =
        rest.isEmpty()
            ? " do nothing"
            : " do update set "
                + rest.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
    try (PreparedStatement p =
        to.prepareStatement(
            "insert into "
                + table.name()
                + " ("
                + table.columnList()
                + ") select "
                + table.columnList()
                + " from jsonb_populate_recordset(null::"
                + table.name()
                + ", ?::jsonb) on conflict ("
                + String.join(", ", table.identity())
                + ")"
                + conflict)) {
      p.setString(1, images);
      p.executeUpdate();
    }
  }

  /**
   * One catch-up pass: up to {@code limit} captured changes, oldest first. Each changed row is read
   * again on the source and made the same on the target (written if it exists, deleted if not), so
   * the order changes arrive in does not matter and a pass run twice is harmless; then the changes
   * are deleted on the source. Returns how many changes it applied.
   */
  public int catchUp(
      String source,
      String target,
      Map<String, Table> tables,
      List<Integer> slots,
      long token,
      int limit)
      throws SQLException {
    try (Connection from = admin(source, 60);
        Connection to = fenced(target, token)) {
      from.setAutoCommit(false);
      List<Long> seqs = new ArrayList<>();
      Map<String, List<String>> byTable = new LinkedHashMap<>();
      try (PreparedStatement p =
          from.prepareStatement(
              "select seq, tbl, row::text from shard_meta.changes where slot = any(?)"
                  + " order by seq limit ?")) {
        p.setArray(1, ints(from, slots));
        p.setInt(2, limit);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            seqs.add(rs.getLong(1));
            byTable.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(3));
          }
        }
      }
      from.commit();
      if (seqs.isEmpty()) {
        to.rollback();
        return 0;
      }
      replicaRole(to);
      for (var entry : byTable.entrySet()) {
        Table table = tables.get(entry.getKey());
        if (table == null) {
          throw new IllegalStateException("a change to " + entry.getKey() + ", a table not moved");
        }
        // A row changed many times is read and written once.
        Map<String, String> distinct = new LinkedHashMap<>();
        for (String row : entry.getValue()) {
          distinct.putIfAbsent(identityOf(table, row), row);
        }
        String keys = "[" + String.join(",", distinct.values()) + "]";
        List<String> present = new ArrayList<>();
        try (PreparedStatement p =
            from.prepareStatement(
                "select to_jsonb(t)::text from "
                    + table.name()
                    + " t join jsonb_populate_recordset(null::"
                    + table.name()
                    + ", ?::jsonb) k on "
                    + table.identityJoin("t", "k")
                    + " order by "
                    + prefixed("t", table.order()))) {
          p.setString(1, keys);
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              present.add(rs.getString(1));
            }
          }
        }
        from.commit();
        Set<String> there = new HashSet<>();
        for (String row : present) {
          there.add(identityOf(table, row));
        }
        List<String> gone = new ArrayList<>();
        distinct.forEach(
            (id, row) -> {
              if (!there.contains(id)) {
                gone.add(row);
              }
            });
        if (!present.isEmpty()) {
          upsert(to, table, "[" + String.join(",", present) + "]");
        }
        if (!gone.isEmpty()) {
          try (PreparedStatement p =
              to.prepareStatement(
                  "delete from "
                      + table.name()
                      + " t using jsonb_populate_recordset(null::"
                      + table.name()
                      + ", ?::jsonb) k where "
                      + table.identityJoin("t", "k"))) {
            p.setString(1, "[" + String.join(",", gone) + "]");
            p.executeUpdate();
          }
        }
      }
      to.commit();
      try (PreparedStatement p =
          from.prepareStatement("delete from shard_meta.changes where seq = any(?)")) {
        p.setArray(1, from.createArrayOf("bigint", seqs.toArray()));
        p.executeUpdate();
      }
      from.commit();
      return seqs.size();
    }
  }

  private String identityOf(Table table, String row) {
    JsonNode node = json.readTree(row);
    StringBuilder id = new StringBuilder();
    for (String quoted : table.identity()) {
      String column = quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"");
      id.append(node.path(column).toString()).append('\u0000');
    }
    return id.toString();
  }

  /**
   * The cutover's first step on the source: the slots refuse writes. The fence row's lock waits for
   * every write in flight, so once this commits no write to the slots is unfinished and none can
   * start; a slot already marked (gone, from an interrupted cutover) stays as it is.
   */
  public void freezeSource(String source, List<Integer> slots, long epoch, long token)
      throws SQLException {
    markSlots(
        source,
        token,
        "insert into shard_meta.slot_fence (slot, state, epoch)"
            + " select unnest(?), 'FROZEN', ? on conflict (slot) do nothing",
        slots,
        epoch);
  }

  /**
   * The node serves the slots: its refusals of them are lifted (the target at its cutover, the
   * source when a cutover is rolled back).
   */
  public void serve(String node, List<Integer> slots, long token) throws SQLException {
    markSlots(node, token, "delete from shard_meta.slot_fence where slot = any(?)", slots, null);
  }

  /**
   * The node does not serve the slots: reads of them are refused as well as writes (the source once
   * the data is whole on the target; the target until its cutover, and again after a rollback).
   */
  public void refuse(String node, List<Integer> slots, long epoch, long token) throws SQLException {
    markSlots(
        node,
        token,
        "insert into shard_meta.slot_fence (slot, state, epoch) select unnest(?), 'GONE', ?"
            + " on conflict (slot) do update set state = 'GONE', epoch = excluded.epoch,"
            + " changed_at = now()",
        slots,
        epoch);
  }

  /** One change of slot marks, behind the fence row's lock (it waits for writes in flight). */
  private void markSlots(
      String node, long token, String sql, List<Integer> slots, @Nullable Long epoch)
      throws SQLException {
    try (Connection c = fenced(node, token)) {
      lockFence(c, token);
      try (PreparedStatement p = c.prepareStatement(sql)) {
        p.setArray(1, ints(c, slots));
        if (epoch != null) {
          p.setLong(2, epoch);
        }
        p.executeUpdate();
      }
      c.commit();
    }
  }

  /**
   * Deletes the moved slots' rows on the source in chunks, then their capture state. The slots are
   * marked gone there, so nothing reads or writes these rows any more.
   */
  public long cleanup(String source, Map<String, Table> tables, List<Integer> slots, long token)
      throws SQLException {
    long deleted = 0;
    try (Connection c = fenced(source, token)) {
      for (Table table : tables.values()) {
        int n;
        do {
          replicaRole(c);
          try (PreparedStatement p =
              c.prepareStatement(
                  "delete from "
                      + table.name()
                      + " where ctid = any(array(select ctid from "
                      + table.name()
                      + " where slot = any(?) limit 5000))")) {
            p.setArray(1, ints(c, slots));
            n = p.executeUpdate();
          }
          c.commit();
          checkFence(c, token);
          deleted += n;
        } while (n > 0);
      }
      for (String sql :
          List.of(
              "delete from shard_meta.moving_slots where slot = any(?)",
              "delete from shard_meta.changes where slot = any(?)")) {
        try (PreparedStatement p = c.prepareStatement(sql)) {
          p.setArray(1, ints(c, slots));
          p.executeUpdate();
        }
      }
      c.commit();
    }
    return deleted;
  }

  /**
   * The round trip of a one-row read of {@code node}'s fence, in nanoseconds: what a foreground
   * query waits on that node now (CPU, I/O and lock queues), which the copy's pace follows.
   */
  public long probeNanos(String node) throws SQLException {
    try (Connection c = admin(node, 5);
        Statement s = c.createStatement()) {
      s.executeQuery("select 1").close(); // the connection's own setup is not the node's load
      long start = System.nanoTime();
      s.executeQuery("select epoch from shard_meta.fence").close();
      return System.nanoTime() - start;
    }
  }

  private final ThreadLocal<java.util.Map<String, Connection>> pinned = new ThreadLocal<>();

  /** While open, the calling thread's steps reuse one connection per node (see {@link #pin}). */
  public interface Pinned extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Keeps one connection per node for the calling thread until closed, so a run of short steps (a
   * cutover's) does not connect for each. A step's close of its connection rolls back what it left
   * open instead of closing it.
   */
  public Pinned pin() {
    java.util.Map<String, Connection> kept = new java.util.HashMap<>();
    pinned.set(kept);
    return () -> {
      pinned.remove();
      for (Connection c : kept.values()) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // Closing a broken connection: nothing to keep.
        }
      }
    };
  }

  private Connection admin(String node, int socketTimeoutSeconds) throws SQLException {
    java.util.Map<String, Connection> kept = pinned.get();
    if (kept == null) {
      return nodes.admin(node, socketTimeoutSeconds);
    }
    Connection c = kept.get(node);
    if (c == null || c.isClosed()) {
      c = nodes.admin(node, socketTimeoutSeconds);
      kept.put(node, c);
    }
    Connection real = c;
    return (Connection)
        java.lang.reflect.Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                if (!real.isClosed() && !real.getAutoCommit()) {
                  real.rollback();
                  real.setAutoCommit(true);
                }
                return null;
              }
              try {
                return method.invoke(real, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** An admin connection in a transaction that has checked the node's fence for this token. */
  private Connection fenced(String node, long token) throws SQLException {
    Connection c = admin(node, 60);
    try {
      c.setAutoCommit(false);
      checkFence(c, token);
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static void checkFence(Connection c, long token) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select router_token from shard_meta.fence for share")) {
      if (!rs.next()) {
        throw new IllegalStateException("the node has no fence row: not a shard primary yet");
      }
      if (rs.getLong(1) > token) {
        throw new StaleMoverException(rs.getLong(1), token);
      }
    }
  }

  /** Waits for the writes in flight (they hold the fence row FOR SHARE). */
  private static void lockFence(Connection c, long token) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "update shard_meta.fence set router_token = greatest(router_token, ?),"
                + " changed_at = now() where router_token <= ?")) {
      p.setLong(1, token);
      p.setLong(2, token);
      if (p.executeUpdate() == 0) {
        throw new StaleMoverException(-1, token);
      }
    }
  }

  private static void replicaRole(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("set local session_replication_role = replica");
    }
  }

  private static Array ints(Connection c, List<Integer> values) throws SQLException {
    return c.createArrayOf("integer", values.toArray());
  }

  /** A router with a newer lease token has been at the node: this one must stop. */
  public static final class StaleMoverException extends IllegalStateException {
    StaleMoverException(long seen, long held) {
      super(
          "a router with lease token "
              + (seen < 0 ? "newer" : Long.toString(seen))
              + " has acted on this node; this mover holds "
              + held);
    }
  }
}
