package dev.him.audit.verify;

import dev.him.audit.chain.Checkpoint;
import dev.him.audit.chain.LogEntry;
import dev.him.audit.chain.MerkleTree;
import dev.him.audit.chain.SigningKey;
import dev.him.audit.checkpoint.AuditKeys;
import dev.him.audit.checkpoint.CheckpointFile;
import dev.him.audit.checkpoint.CheckpointService;
import dev.him.audit.log.EntryRows;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.PGStatement;

/**
 * Recomputes every chain from the stored rows and checks every checkpoint — those in the database
 * and those in the checkpoint file — against the recomputed Merkle roots and the signing keys. Per
 * chain it names the first thing that does not match: an entry whose content no longer gives its
 * hash (altered, or moved to another position), a missing entry, a checkpoint whose signature is
 * not the service's, a checkpoint whose root the log no longer gives, or a chain head that does not
 * meet the last entry (entries removed at the end). Chains are verified in parallel.
 */
@ApplicationScoped
public class ChainVerifier {

  /** What does not match, and where. */
  public record Problem(
      String kind,
      String topic,
      int partition,
      Long seq,
      String eventId,
      Long treeSize,
      String message) {}

  public record ChainResult(
      String topic, int partition, long entries, long checkpoints, boolean intact) {}

  public record Result(
      boolean intact,
      long checkedEntries,
      long checkedCheckpoints,
      Problem firstProblem,
      List<Problem> problems,
      List<ChainResult> chains) {}

  @Inject AgroalDataSource db;
  @Inject AuditKeys keys;
  @Inject CheckpointService checkpoints;

  @ConfigProperty(name = "him.audit.verify.threads", defaultValue = "2")
  int threads;

  private record Chain(
      int id, String topic, int partition, long size, byte[] head, byte[] frontier) {}

  private record Sealed(
      long treeSize, byte[] root, String keyId, String body, byte[] signature, String where) {}

  public Result verify() {
    List<Chain> chains = chains();
    List<CheckpointFile.Line> fileLines = checkpoints.file().read();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < fileLines.size(); i++) {
      if (fileLines.get(i) == null) {
        problems.add(
            new Problem(
                "CHECKPOINT_UNREADABLE",
                null,
                -1,
                null,
                null,
                null,
                "line " + (i + 1) + " of " + checkpoints.file().path() + " is not a checkpoint"));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<Object[]>> results = new ArrayList<>();
      for (Chain ch : chains) {
        results.add(pool.submit(() -> verify(ch, fileLines)));
      }
      long entries = 0;
      long sealed = 0;
      List<ChainResult> perChain = new ArrayList<>();
      for (int i = 0; i < chains.size(); i++) {
        Object[] r = results.get(i).get();
        Chain ch = chains.get(i);
        entries += (long) r[0];
        sealed += (long) r[1];
        Problem p = (Problem) r[2];
        if (p != null) {
          problems.add(p);
        }
        perChain.add(
            new ChainResult(ch.topic(), ch.partition(), (long) r[0], (long) r[1], p == null));
      }
      for (CheckpointFile.Line l : fileLines) {
        if (l != null
            && chains.stream()
                .noneMatch(c -> c.topic().equals(l.topic()) && c.partition() == l.partition())) {
          problems.add(
              new Problem(
                  "CHECKPOINT_BEYOND_LOG",
                  l.topic(),
                  l.partition(),
                  null,
                  null,
                  l.treeSize(),
                  "the checkpoint file seals a chain the database does not have"));
        }
      }
      return new Result(
          problems.isEmpty(),
          entries,
          sealed,
          problems.isEmpty() ? null : problems.get(0),
          problems,
          perChain);
    } catch (Exception e) {
      throw new IllegalStateException("audit log could not be read", e);
    } finally {
      pool.shutdown();
    }
  }

  private List<Chain> chains() {
    List<Chain> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select chain_id, topic, partition_no, size, head_hash, frontier from audit_chain"
                    + " order by chain_id");
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Chain(
                rs.getInt(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getLong(4),
                rs.getBytes(5),
                rs.getBytes(6)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("audit chains could not be read", e);
    }
    return out;
  }

  /** [entries checked, checkpoints checked, first problem or null]. */
  private Object[] verify(Chain listed, List<CheckpointFile.Line> fileLines) throws SQLException {
    TreeMap<Long, List<Sealed>> due = new TreeMap<>();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      // One snapshot for the head, the checkpoints and the entries: ingestion goes on meanwhile,
      // and an entry committed after the head was read must not look like one beyond the end.
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      Chain ch = listed;
      try (PreparedStatement q =
          c.prepareStatement(
              "select size, head_hash, frontier from audit_chain where chain_id = ?")) {
        q.setInt(1, listed.id());
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            ch =
                new Chain(
                    listed.id(),
                    listed.topic(),
                    listed.partition(),
                    rs.getLong(1),
                    rs.getBytes(2),
                    rs.getBytes(3));
          }
        }
      }
      try (PreparedStatement q =
          c.prepareStatement(
              "select tree_size, root_hash, key_id, body, signature from audit_checkpoint"
                  + " where chain_id = ?")) {
        q.setInt(1, ch.id());
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            due.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(
                    new Sealed(
                        rs.getLong(1),
                        rs.getBytes(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getBytes(5),
                        "database"));
          }
        }
      }
      for (CheckpointFile.Line l : fileLines) {
        if (l != null && l.topic().equals(ch.topic()) && l.partition() == ch.partition()) {
          due.computeIfAbsent(l.treeSize(), k -> new ArrayList<>())
              .add(
                  new Sealed(
                      l.treeSize(),
                      decode(l.rootHash()),
                      l.keyId(),
                      l.body(),
                      decode(l.signature()),
                      "checkpoint file"));
        }
      }
      long checkedCheckpoints = 0;
      long count = 0;
      byte[] prev = LogEntry.GENESIS;
      List<byte[]> frontier = new ArrayList<>();
      try (PreparedStatement q =
          c.prepareStatement(
              "select "
                  + EntryRows.COLUMNS
                  + " from audit_entry"
                  + " where chain_id = ? order by seq")) {
        q.setInt(1, ch.id());
        q.setFetchSize(5000);
        // binary results from the first execution (the driver's default is text until a statement
        // has run five times, and this one runs once per chain): ids, hashes and numbers arrive as
        // bytes instead of text to parse, which is most of the client's work per row
        q.unwrap(PGStatement.class).setPrepareThreshold(-1);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            LogEntry e = EntryRows.entry(rs);
            long expected = count + 1;
            if (e.seq() != expected) {
              return result(
                  count,
                  checkedCheckpoints,
                  problem(
                      ch,
                      "ENTRY_MISSING",
                      expected,
                      null,
                      null,
                      "entry "
                          + expected
                          + " is missing (the next stored entry is "
                          + e.seq()
                          + ")"));
            }
            byte[] stored = rs.getBytes(21);
            byte[] hash = e.hash(prev);
            if (!Arrays.equals(hash, stored)) {
              return result(
                  count,
                  checkedCheckpoints,
                  problem(
                      ch,
                      "ENTRY_ALTERED",
                      e.seq(),
                      e.eventId().toString(),
                      null,
                      "entry "
                          + e.seq()
                          + " does not give its hash: altered, moved or not linked to"
                          + " the entry before it"));
            }
            frontier = MerkleTree.append(frontier, count, hash);
            prev = hash;
            count++;
            List<Sealed> seals = due.remove(count);
            if (seals != null) {
              for (Sealed s : seals) {
                checkedCheckpoints++;
                Problem p = check(ch, s, MerkleTree.root(frontier));
                if (p != null) {
                  return result(count, checkedCheckpoints, p);
                }
              }
            }
          }
        }
      }
      c.commit();
      if (!due.isEmpty()) {
        Sealed s = due.firstEntry().getValue().get(0);
        return result(
            count,
            checkedCheckpoints,
            problem(
                ch,
                "CHECKPOINT_BEYOND_LOG",
                null,
                null,
                s.treeSize(),
                "the "
                    + s.where()
                    + " seals "
                    + s.treeSize()
                    + " entries but the log"
                    + " holds "
                    + count
                    + ": sealed entries were removed"));
      }
      if (ch.size() != count
          || !Arrays.equals(ch.head(), prev)
          || !Arrays.equals(ch.frontier(), LogEntry.packFrontier(frontier))) {
        return result(
            count,
            checkedCheckpoints,
            problem(
                ch,
                "ENTRY_MISSING",
                count + 1,
                null,
                null,
                "the chain head records " + ch.size() + " entries but the log ends at " + count));
      }
      return result(count, checkedCheckpoints, null);
    }
  }

  private Problem check(Chain ch, Sealed s, byte[] recomputedRoot) {
    Optional<PublicKey> key = keys.trusted(s.keyId());
    boolean bodyMatches;
    try {
      Checkpoint body = Checkpoint.parse(s.body());
      bodyMatches =
          body.topic().equals(ch.topic())
              && body.partition() == ch.partition()
              && body.treeSize() == s.treeSize()
              && Arrays.equals(body.rootHash(), s.root());
    } catch (RuntimeException e) {
      bodyMatches = false;
    }
    if (!bodyMatches
        || key.isEmpty()
        || !SigningKey.verify(
            key.get(), s.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), s.signature())) {
      return problem(
          ch,
          "CHECKPOINT_SIGNATURE_INVALID",
          null,
          null,
          s.treeSize(),
          "the checkpoint at "
              + s.treeSize()
              + " in the "
              + s.where()
              + " is not signed by a trusted audit key");
    }
    if (!Arrays.equals(recomputedRoot, s.root())) {
      return problem(
          ch,
          "CHECKPOINT_ROOT_MISMATCH",
          null,
          null,
          s.treeSize(),
          "the log's first "
              + s.treeSize()
              + " entries no longer give the root sealed in the "
              + s.where());
    }
    return null;
  }

  private static Problem problem(
      Chain ch, String kind, Long seq, String eventId, Long treeSize, String message) {
    return new Problem(kind, ch.topic(), ch.partition(), seq, eventId, treeSize, message);
  }

  private static Object[] result(long entries, long checkpoints, Problem p) {
    return new Object[] {entries, checkpoints, p};
  }

  private static byte[] decode(String b64) {
    try {
      return Base64.getDecoder().decode(b64);
    } catch (RuntimeException e) {
      return new byte[0];
    }
  }
}
