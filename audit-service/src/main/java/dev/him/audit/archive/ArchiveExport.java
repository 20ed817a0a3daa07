package dev.him.audit.archive;

import dev.him.audit.chain.Checkpoint;
import dev.him.audit.chain.LogEntry;
import dev.him.audit.chain.MerkleTree;
import dev.him.audit.checkpoint.AuditKeys;
import dev.him.audit.log.EntryRows;
import dev.him.common.problem.ProblemException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the archive of a sealed period: per chain the entries between two signed checkpoints, byte
 * for byte as they were hashed, with the checkpoints and public keys needed to check them offline
 * by {@link ArchiveVerifier}. The plan (which chains, which ranges) is made before anything is
 * streamed, so an unsealed period is refused with a problem instead of a broken download; entries
 * and checkpoints are append-only, so the ranges still hold when they are read afterwards.
 */
@ApplicationScoped
public class ArchiveExport {
  private static final HexFormat HEX = HexFormat.of();
  static final String FORMAT = "him-audit-archive/1";

  @Inject AgroalDataSource db;
  @Inject AuditKeys keys;
  @Inject RetentionPolicy retention;

  /** Entries fromSeq..toSeq of one chain; toSeq is the size of its closing checkpoint. */
  public record ChainRange(int chainId, String topic, int partition, long fromSeq, long toSeq) {
    public String origin() {
      return Checkpoint.ORIGIN_PREFIX + topic + "/" + partition;
    }

    String fileName() {
      return topic + "-" + partition;
    }
  }

  /**
   * Per chain: from just after the last checkpoint signed at or before {@code from} (or the chain's
   * start) to the first checkpoint signed at or after {@code to}. A chain is in the period when the
   * first entry after that opening checkpoint was recorded before {@code to}; such a chain without
   * a closing checkpoint yet makes the whole period unsealed (409).
   */
  public List<ChainRange> plan(Instant from, Instant to) throws SQLException {
    if (to.isAfter(Instant.now())) {
      throw unsealed("the period ends in the future (" + to + ")");
    }
    List<ChainRange> ranges = new ArrayList<>();
    List<String> unsealed = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select ch.chain_id, ch.topic, ch.partition_no, o.size, cl.size, exists (select 1"
                    + " from audit_entry e where e.chain_id = ch.chain_id and e.seq = o.size + 1"
                    + " and e.recorded_at < ?) from audit_chain ch cross join lateral (select"
                    + " coalesce(max(tree_size), 0) size from audit_checkpoint cp where cp.chain_id"
                    + " = ch.chain_id and cp.signed_at <= ?) o cross join lateral (select"
                    + " min(tree_size) size from audit_checkpoint cp where cp.chain_id ="
                    + " ch.chain_id and cp.signed_at >= ? and cp.tree_size > o.size) cl order by"
                    + " ch.topic, ch.partition_no")) {
      q.setObject(1, utc(to));
      q.setObject(2, utc(from));
      q.setObject(3, utc(to));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          if (!rs.getBoolean(6)) {
            continue; // nothing of this chain was recorded in the period
          }
          Long closing = (Long) rs.getObject(5);
          String chain = rs.getString(2) + "/" + rs.getInt(3);
          if (closing == null) {
            unsealed.add(chain);
          } else {
            ranges.add(
                new ChainRange(
                    rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getLong(4) + 1, closing));
          }
        }
      }
    }
    if (!unsealed.isEmpty()) {
      throw unsealed(
          "chain "
              + String.join(", ", unsealed)
              + " has entries in the period but no checkpoint signed at or after "
              + to
              + " yet; the next scheduled checkpoint seals it, or seal now with POST"
              + " /api/audit/checkpoints (him-admin)");
    }
    return ranges;
  }

  private static ProblemException unsealed(String detail) {
    return new ProblemException(409, "Period not sealed yet", detail, List.of());
  }

  /** Streams the archive of the planned ranges as a ZIP. */
  public void write(List<ChainRange> ranges, Instant from, Instant to, OutputStream out)
      throws IOException, SQLException {
    ZipOutputStream zip = new ZipOutputStream(out);
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false); // lets the driver stream rows with a cursor
      c.setReadOnly(true);
      StringBuilder manifest = new StringBuilder();
      manifest.append("# HIM audit archive: see README.txt\n");
      manifest.append("format=").append(FORMAT).append('\n');
      manifest.append("exportedAt=").append(Instant.now()).append('\n');
      manifest.append("period.from=").append(from).append('\n');
      manifest.append("period.to=").append(to).append('\n');
      manifest.append("retentionYears=").append(retention.years()).append('\n');
      manifest.append("chains=").append(ranges.size()).append('\n');
      for (int i = 0; i < ranges.size(); i++) {
        ChainRange r = ranges.get(i);
        String p = "chain." + i + ".";
        List<byte[]> frontier = new ArrayList<>();
        byte[] startHash = startState(c, r, frontier);
        manifest.append(p).append("origin=").append(r.origin()).append('\n');
        manifest.append(p).append("entries=entries/").append(r.fileName()).append(".jsonl\n");
        manifest.append(p).append("hashes=hashes/").append(r.fileName()).append(".txt\n");
        manifest.append(p).append("fromSeq=").append(r.fromSeq()).append('\n');
        manifest.append(p).append("toSeq=").append(r.toSeq()).append('\n');
        manifest.append(p).append("startHash=").append(HEX.formatHex(startHash)).append('\n');
        manifest
            .append(p)
            .append("startFrontier=")
            .append(String.join(",", frontier.stream().map(HEX::formatHex).toList()))
            .append('\n');
      }
      text(zip, "manifest.txt", manifest.toString());
      for (ChainRange r : ranges) {
        entries(c, zip, r);
      }
      TreeSet<String> keyIds = new TreeSet<>();
      zip.putNextEntry(new ZipEntry("checkpoints.txt"));
      for (ChainRange r : ranges) {
        checkpoints(c, zip, r, keyIds);
      }
      zip.closeEntry();
      c.commit();
      text(zip, "public-key.pem", keys.signing().publicKeyPem());
      for (String id : keyIds) {
        Optional<PublicKey> retired = keys.trusted(id);
        if (!id.equals(keys.signing().keyId()) && retired.isPresent()) {
          text(zip, "public-key-" + id + ".pem", pem(retired.get()));
        }
      }
      text(zip, "README.txt", readme(from, to));
    }
    zip.finish();
    zip.flush();
  }

  /**
   * Folds the stored hashes of entries 1..fromSeq-1 into {@code frontier} and returns the hash of
   * entry fromSeq-1 (zeros at the chain's start): the state the archive's first entry links to.
   */
  private static byte[] startState(Connection c, ChainRange r, List<byte[]> frontier)
      throws SQLException {
    byte[] last = LogEntry.GENESIS;
    List<byte[]> f = new ArrayList<>();
    long n = 0;
    try (PreparedStatement q =
        c.prepareStatement(
            "select hash from audit_entry where chain_id = ? and seq < ? order by seq")) {
      q.setInt(1, r.chainId());
      q.setLong(2, r.fromSeq());
      q.setFetchSize(10_000);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          last = rs.getBytes(1);
          f = MerkleTree.append(f, n++, last);
        }
      }
    }
    frontier.addAll(f);
    return last;
  }

  /** The canonical bytes of each entry, one per line, then the hashes the log stored for them. */
  private static void entries(Connection c, ZipOutputStream zip, ChainRange r)
      throws SQLException, IOException {
    zip.putNextEntry(new ZipEntry("entries/" + r.fileName() + ".jsonl"));
    try (PreparedStatement q =
        c.prepareStatement(
            "select "
                + EntryRows.COLUMNS
                + " from audit_entry where chain_id = ? and seq between ? and ? order by seq")) {
      q.setInt(1, r.chainId());
      q.setLong(2, r.fromSeq());
      q.setLong(3, r.toSeq());
      q.setFetchSize(5_000);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          zip.write(EntryRows.entry(rs).canonical());
          zip.write('\n');
        }
      }
    }
    zip.closeEntry();
    zip.putNextEntry(new ZipEntry("hashes/" + r.fileName() + ".txt"));
    try (PreparedStatement q =
        c.prepareStatement(
            "select hash from audit_entry where chain_id = ? and seq between ? and ? order by"
                + " seq")) {
      q.setInt(1, r.chainId());
      q.setLong(2, r.fromSeq());
      q.setLong(3, r.toSeq());
      q.setFetchSize(10_000);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          zip.write((HEX.formatHex(rs.getBytes(1)) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
    zip.closeEntry();
  }

  /** Every checkpoint of the chain from the opening to the closing one, as signed notes. */
  private static void checkpoints(
      Connection c, ZipOutputStream zip, ChainRange r, TreeSet<String> keyIds)
      throws SQLException, IOException {
    try (PreparedStatement q =
        c.prepareStatement(
            "select key_id, body, signature from audit_checkpoint where chain_id = ? and"
                + " tree_size between ? and ? order by tree_size")) {
      q.setInt(1, r.chainId());
      q.setLong(2, r.fromSeq() - 1);
      q.setLong(3, r.toSeq());
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          keyIds.add(rs.getString(1));
          String note =
              rs.getString(2)
                  + "\u2014 "
                  + rs.getString(1)
                  + " "
                  + Base64.getEncoder().encodeToString(rs.getBytes(3))
                  + "\n\n";
          zip.write(note.getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }

  private static void text(ZipOutputStream zip, String name, String content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static OffsetDateTime utc(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static String readme(Instant from, Instant to) {
    return "HIM audit archive of the sealed period "
        + from
        + " .. "
        + to
        + "\n\n"
        + "manifest.txt      per chain: origin, entries file, hashes file, fromSeq, toSeq, the hash\n"
        + "                  of entry fromSeq-1 (startHash) and the Merkle frontier after it\n"
        + "                  (startFrontier, RFC 6962 subtree roots, largest first)\n"
        + "entries/*.jsonl   one line per entry: exactly the bytes that were hashed\n"
        + "hashes/*.txt      the hash the log stored for each line (names an altered line;\n"
        + "                  the signed roots are what prove them)\n"
        + "checkpoints.txt   signed checkpoints: 4-line body (origin, tree size, base64 root,\n"
        + "                  signing time), a line '\u2014 <keyId> <base64 Ed25519 signature>',\n"
        + "                  a blank line\n"
        + "public-key*.pem   the signing key(s) as the service had them\n\n"
        + "entry hash = SHA-256(0x00 | previous entry's hash | line bytes); the entry hashes are\n"
        + "the leaves of the chain's RFC 6962 Merkle tree, whose root each checkpoint signs.\n\n"
        + "To verify, with a JDK (17 or later) and ArchiveVerifier.java from the audit-service\n"
        + "source (audit-service/src/main/java/dev/him/audit/archive/ArchiveVerifier.java):\n\n"
        + "  java ArchiveVerifier.java audit-archive.zip --key trusted-public-key.pem\n\n"
        + "Take the trusted key from where the service publishes it (GET\n"
        + "/api/audit/checkpoints/public-key), not from this archive. Exit code 0: intact,\n"
        + "1: not intact (the first failing line, entry or checkpoint is named), 2: unreadable.\n";
  }
}
