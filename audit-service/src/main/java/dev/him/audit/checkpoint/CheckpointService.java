package dev.him.audit.checkpoint;

import dev.him.audit.chain.Checkpoint;
import dev.him.audit.chain.LogEntry;
import dev.him.audit.chain.MerkleTree;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Seals each chain that grew since its last checkpoint: the Merkle root of the chain so far is
 * computed from the stored frontier, signed, appended to the checkpoint file and then stored. Any
 * instance may seal; a chain sealed twice at the same size keeps the first row.
 */
@ApplicationScoped
public class CheckpointService {
  private static final Logger LOG = Logger.getLogger(CheckpointService.class);

  @Inject AgroalDataSource db;
  @Inject AuditKeys keys;

  @ConfigProperty(name = "him.audit.checkpoint.file")
  Path file;

  private CheckpointFile out;

  public CheckpointFile file() {
    if (out == null) {
      out = new CheckpointFile(file);
    }
    return out;
  }

  @Scheduled(
      every = "${him.audit.checkpoint.interval:60s}",
      delayed = "${him.audit.checkpoint.interval:60s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      sealAll();
    } catch (Exception e) {
      LOG.warnf("checkpoints not written this time: %s", e.toString());
    }
  }

  /** Seals every chain that grew; returns the checkpoints written. */
  public synchronized List<Checkpoint> sealAll() throws SQLException {
    List<Checkpoint> written = new ArrayList<>();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      List<Object[]> due = new ArrayList<>();
      try (PreparedStatement q =
              c.prepareStatement(
                  "select ch.chain_id, ch.topic, ch.partition_no, ch.size, ch.frontier"
                      + " from audit_chain ch where ch.size > coalesce((select max(tree_size)"
                      + " from audit_checkpoint cp where cp.chain_id = ch.chain_id), 0)"
                      + " order by ch.chain_id");
          ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          due.add(
              new Object[] {
                rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getBytes(5)
              });
        }
      }
      for (Object[] d : due) {
        Checkpoint cp =
            new Checkpoint(
                (String) d[1],
                (int) d[2],
                (long) d[3],
                MerkleTree.root(LogEntry.unpackFrontier((byte[]) d[4])),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        byte[] signature = keys.signing().sign(cp.bodyBytes());
        file()
            .append(
                new CheckpointFile.Line(
                    cp.topic(),
                    cp.partition(),
                    cp.treeSize(),
                    Base64.getEncoder().encodeToString(cp.rootHash()),
                    cp.signedAt().toString(),
                    keys.signing().keyId(),
                    cp.body(),
                    Base64.getEncoder().encodeToString(signature)));
        try (PreparedStatement ins =
            c.prepareStatement(
                "insert into audit_checkpoint (chain_id, tree_size, root_hash, signed_at, key_id,"
                    + " body, signature) values (?,?,?,?,?,?,?) on conflict do nothing")) {
          ins.setInt(1, (int) d[0]);
          ins.setLong(2, cp.treeSize());
          ins.setBytes(3, cp.rootHash());
          ins.setObject(4, OffsetDateTime.ofInstant(cp.signedAt(), ZoneOffset.UTC));
          ins.setString(5, keys.signing().keyId());
          ins.setString(6, cp.body());
          ins.setBytes(7, signature);
          ins.executeUpdate();
        }
        c.commit();
        written.add(cp);
      }
    }
    return written;
  }
}
