package db.migration;

import dev.faultline.ring.KeyHash;
import dev.faultline.ring.SlotRing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Gives accounts written before V5 their slot, which only the key hash can compute (so in Java),
 * and each ledger entry its account's: the counter-account's leg takes the slot of the account leg
 * of its movement, so a movement moves whole. The ring's slot count comes from the shard client
 * ({@code faultline_slots}).
 */
public class V6__account_slots extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    int slots =
        Integer.parseInt(
            context
                .getConfiguration()
                .getPlaceholders()
                .getOrDefault("faultline_slots", Integer.toString(SlotRing.DEFAULT_SLOTS)));
    Connection c = context.getConnection();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from accounts where slot is null");
        PreparedStatement update =
            c.prepareStatement("update accounts set slot = ? where id = ?")) {
      while (rs.next()) {
        String id = rs.getString(1);
        update.setInt(1, SlotRing.slotOf(KeyHash.of(id), slots));
        update.setString(2, id);
        update.addBatch();
      }
      update.executeBatch();
    }
    try (Statement s = c.createStatement()) {
      s.execute(
          "update ledger_entries e set slot = a.slot from accounts a"
              + " where a.id = e.account_id and e.slot is null");
      s.execute(
          "update ledger_entries e set slot = o.slot from ledger_entries o"
              + " where o.movement_id = e.movement_id and o.account_id not like '@%'"
              + " and o.slot is not null and e.slot is null");
      s.execute("alter table accounts alter column slot set not null");
      s.execute("alter table ledger_entries alter column slot set not null");
    }
  }
}
