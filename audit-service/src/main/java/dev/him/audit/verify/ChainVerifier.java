package dev.him.audit.verify;

import dev.him.audit.log.EntryHash;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * Recomputes the whole chain from the stored rows. An entry is broken when its content no longer
 * matches its hash, when it does not point at the entry before it, or when entries are missing (a
 * gap in the sequence, or a chain that ends before the recorded head).
 */
@ApplicationScoped
public class ChainVerifier {

  public record Result(boolean intact, long checked, Long firstBrokenEntry) {}

  @Inject AgroalDataSource db;

  public Result verify() {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      long headSeq;
      String headHash;
      try (PreparedStatement h =
              c.prepareStatement("select last_seq, last_hash from audit_chain_head where id = 1");
          ResultSet rs = h.executeQuery()) {
        rs.next();
        headSeq = rs.getLong(1);
        headHash = rs.getString(2);
      }
      long checked = 0;
      long expectedSeq = 1;
      String prev = EntryHash.GENESIS;
      try (PreparedStatement q =
          c.prepareStatement(
              "select seq, event_id, occurred_at, recorded_at, action, outcome, actor_subject,"
                  + " actor_username, actor_roles, actor_client, resource_type, resource_id,"
                  + " patient_ids, purpose_of_use, correlation_id, source_service, detail,"
                  + " prev_hash, hash from audit_entry order by seq")) {
        q.setFetchSize(2000);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            long seq = rs.getLong(1);
            checked++;
            if (seq != expectedSeq) {
              return broken(c, checked, Math.min(seq, expectedSeq));
            }
            Array ids = rs.getArray(13);
            String stored = rs.getString(19);
            String recomputed =
                EntryHash.of(
                    rs.getString(18),
                    seq,
                    rs.getString(2),
                    instant(rs.getTimestamp(3)),
                    instant(rs.getTimestamp(4)),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getString(8),
                    rs.getString(9),
                    rs.getString(10),
                    rs.getString(11),
                    rs.getString(12),
                    ids == null ? new String[0] : (String[]) ids.getArray(),
                    rs.getString(14),
                    rs.getString(15),
                    rs.getString(16),
                    rs.getString(17));
            if (!prev.equals(rs.getString(18)) || !recomputed.equals(stored)) {
              return broken(c, checked, seq);
            }
            prev = stored;
            expectedSeq++;
          }
        }
      }
      long last = expectedSeq - 1;
      if (last != headSeq || !prev.equals(headHash)) {
        // entries at the end were removed (or the head was tampered with)
        return broken(c, checked, last + 1);
      }
      c.commit();
      return new Result(true, checked, null);
    } catch (SQLException e) {
      throw new IllegalStateException("audit chain could not be read", e);
    }
  }

  private static Result broken(Connection c, long checked, long seq) throws SQLException {
    c.rollback();
    return new Result(false, checked, seq);
  }

  private static String instant(Timestamp t) {
    return t.toInstant().toString();
  }
}
