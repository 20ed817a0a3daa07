package dev.him.audit.log;

import dev.him.audit.chain.LogEntry;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** Reads stored rows back into the entries they were hashed from. */
public final class EntryRows {
  /** The columns {@link #entry} reads, in its order; hash last. */
  public static final String COLUMNS =
      "seq, kafka_offset, event_id, event_type, "
          + micros("occurred_at")
          + ", "
          + micros("recorded_at")
          + ", action, outcome,"
          + " actor_subject, actor_username, actor_roles, actor_client, resource_type, resource_id,"
          + " patient_ids, purpose_of_use, correlation_id, source_service, detail, payload_sha256,"
          + " hash";

  private EntryRows() {}

  /**
   * A timestamp as microseconds since the epoch: exact (PostgreSQL keeps microseconds) and read
   * several times faster than a timestamptz, which matters when verify reads millions of rows.
   */
  private static String micros(String column) {
    return "cast(extract(epoch from " + column + ") * 1000000 as bigint)";
  }

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  public static LogEntry entry(ResultSet rs) throws SQLException {
    Array ids = rs.getArray(15);
    return new LogEntry(
        rs.getLong(1),
        rs.getLong(2),
        rs.getObject(3, UUID.class),
        rs.getString(4),
        instant(rs.getLong(5)),
        instant(rs.getLong(6)),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getString(10),
        rs.getString(11),
        rs.getString(12),
        rs.getString(13),
        rs.getString(14),
        ids == null ? new String[0] : (String[]) ids.getArray(),
        rs.getString(16),
        rs.getString(17),
        rs.getString(18),
        rs.getString(19),
        rs.getBytes(20));
  }
}
