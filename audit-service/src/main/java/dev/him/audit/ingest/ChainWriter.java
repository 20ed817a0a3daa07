package dev.him.audit.ingest;

import dev.him.audit.chain.LogEntry;
import dev.him.audit.chain.MerkleTree;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Appends a batch of one partition's records to that partition's chain in one transaction: the
 * entries, the chain's new head, Merkle frontier and the Kafka offset to resume from. Because the
 * offset commits with the entries, a crash at any point neither loses nor repeats a record; records
 * below the stored offset (a redelivery) and event ids already logged (a producer's retry) are
 * skipped. The chain row is locked, so two instances briefly owning one partition during a
 * rebalance append one after the other.
 */
@ApplicationScoped
public class ChainWriter {

  /**
   * What one append did; {@code lost} counts the Kafka records that were gone (offsets skipped over
   * between the chain's resume offset and the records that arrived), each run of them logged as an
   * {@code IngestionGap} entry.
   */
  public record Appended(int chainId, int stored, int skipped, long nextOffset, long lost) {
    public Appended(int chainId, int stored, int skipped, long nextOffset) {
      this(chainId, stored, skipped, nextOffset, 0);
    }
  }

  /** Where a chain stands. */
  public record ChainState(
      int chainId, long size, byte[] headHash, long nextOffset, byte[] frontier) {}

  private static final String INSERT =
      "insert into audit_entry (chain_id, seq, kafka_offset, event_id, event_type, occurred_at,"
          + " recorded_at, action, outcome, actor_subject, actor_username, actor_roles,"
          + " actor_client, resource_type, resource_id, patient_ids, purpose_of_use,"
          + " correlation_id, source_service, detail, payload_sha256, hash)"
          + " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

  @Inject AgroalDataSource db;

  public Appended append(String topic, int partition, List<ConsumerRecord<String, byte[]>> records)
      throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        Appended result = append(c, topic, partition, records);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private Appended append(
      Connection c, String topic, int partition, List<ConsumerRecord<String, byte[]>> records)
      throws SQLException {
    ChainState chain = lock(c, topic, partition);
    Instant now = Instant.now();
    List<LogEntry> fresh = new ArrayList<>(records.size());
    long nextOffset = chain.nextOffset();
    long lost = 0;
    for (ConsumerRecord<String, byte[]> r : records) {
      if (r.offset() < chain.nextOffset()) {
        continue; // stored already, before a crash or by another instance
      }
      if (r.offset() > nextOffset) {
        // Offsets were skipped: the records in between were deleted from the topic (retention ran
        // out while ingestion was behind or stopped; the consumer then restarts at the earliest
        // record). The platform's producers are not transactional, so no offset is a control
        // record. The loss goes into the chain itself, where it cannot be quietly removed.
        fresh.add(EventDecoder.gap(topic, partition, nextOffset, r.offset(), now));
        lost += r.offset() - nextOffset;
      }
      fresh.add(EventDecoder.decode(r, now));
      nextOffset = Math.max(nextOffset, r.offset() + 1);
    }
    Set<UUID> seen = alreadyLogged(c, fresh);
    long size = chain.size();
    byte[] head = chain.headHash();
    List<byte[]> frontier = LogEntry.unpackFrontier(chain.frontier());
    int stored = 0;
    int added = 0;
    try (PreparedStatement ins = c.prepareStatement(INSERT)) {
      for (LogEntry e : fresh) {
        if (!seen.add(e.eventId())) {
          continue;
        }
        LogEntry entry = e.at(size + 1, e.kafkaOffset());
        byte[] hash = entry.hash(head);
        bind(c, ins, chain.chainId(), entry, hash);
        ins.addBatch();
        frontier = MerkleTree.append(frontier, size, hash);
        size++;
        head = hash;
        added++;
        if (!EventDecoder.GAP.equals(entry.eventType())) {
          stored++; // Kafka records; a gap entry stands for records that never arrived
        }
      }
      if (added > 0) {
        ins.executeBatch();
      }
    }
    try (PreparedStatement up =
        c.prepareStatement(
            "update audit_chain set size = ?, head_hash = ?, next_offset = ?, frontier = ?,"
                + " updated_at = now() where chain_id = ?")) {
      up.setLong(1, size);
      up.setBytes(2, head);
      up.setLong(3, nextOffset);
      up.setBytes(4, LogEntry.packFrontier(frontier));
      up.setInt(5, chain.chainId());
      up.executeUpdate();
    }
    return new Appended(chain.chainId(), stored, records.size() - stored, nextOffset, lost);
  }

  /** The chain of a topic partition, created on first use, locked for this transaction. */
  static ChainState lock(Connection c, String topic, int partition) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "select chain_id, size, head_hash, next_offset, frontier from audit_chain"
                + " where topic = ? and partition_no = ? for update")) {
      q.setString(1, topic);
      q.setInt(2, partition);
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next()) {
          return new ChainState(
              rs.getInt(1), rs.getLong(2), rs.getBytes(3), rs.getLong(4), rs.getBytes(5));
        }
      }
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "insert into audit_chain (topic, partition_no) values (?, ?) on conflict do nothing")) {
      ins.setString(1, topic);
      ins.setInt(2, partition);
      ins.executeUpdate();
    }
    return lock(c, topic, partition);
  }

  /** Where each chain of these partitions resumes, without locking. */
  public java.util.Map<String, Long> nextOffsets(List<String> topicPartitions) throws SQLException {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select topic || '/' || partition_no, next_offset from audit_chain"
                    + " where topic || '/' || partition_no = any(?)")) {
      q.setArray(1, c.createArrayOf("text", topicPartitions.toArray()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  private static Set<UUID> alreadyLogged(Connection c, List<LogEntry> entries) throws SQLException {
    Set<UUID> seen = new HashSet<>();
    if (entries.isEmpty()) {
      return seen;
    }
    try (PreparedStatement q =
        c.prepareStatement("select event_id from audit_entry where event_id = any(?)")) {
      q.setArray(1, c.createArrayOf("uuid", entries.stream().map(LogEntry::eventId).toArray()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          seen.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return seen;
  }

  private static void bind(Connection c, PreparedStatement ps, int chainId, LogEntry e, byte[] hash)
      throws SQLException {
    ps.setInt(1, chainId);
    ps.setLong(2, e.seq());
    ps.setLong(3, e.kafkaOffset());
    ps.setObject(4, e.eventId());
    ps.setString(5, e.eventType());
    ps.setObject(6, OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC));
    ps.setObject(7, OffsetDateTime.ofInstant(e.recordedAt(), ZoneOffset.UTC));
    ps.setString(8, e.action());
    ps.setString(9, e.outcome());
    ps.setString(10, e.actorSubject());
    ps.setString(11, e.actorUsername());
    ps.setString(12, e.actorRoles());
    ps.setString(13, e.actorClient());
    ps.setString(14, e.resourceType());
    ps.setString(15, e.resourceId());
    Array ids = c.createArrayOf("text", e.patientIds());
    ps.setArray(16, ids);
    ps.setString(17, e.purposeOfUse());
    ps.setString(18, e.correlationId());
    ps.setString(19, e.sourceService());
    ps.setString(20, e.detail());
    if (e.payloadSha256() == null) {
      ps.setNull(21, Types.BINARY);
    } else {
      ps.setBytes(21, e.payloadSha256());
    }
    ps.setBytes(22, hash);
  }
}
