package dev.him.audit.checkpoint;

import dev.him.audit.chain.Checkpoint;
import dev.him.audit.chain.LogEntry;
import dev.him.audit.chain.MerkleTree;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import io.agroal.api.AgroalDataSource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Checkpoints, the key that signs them, inclusion proofs and where each chain stands. */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit integrity", description = "Tamper evidence of the access log")
public class CheckpointResource {
  private static final HexFormat HEX = HexFormat.of();

  @Inject AgroalDataSource db;
  @Inject AuditKeys keys;
  @Inject CheckpointService checkpoints;

  public record SignedCheckpoint(
      String topic,
      int partition,
      long treeSize,
      String rootHash,
      String signedAt,
      String keyId,
      String body,
      String signature) {}

  public record ChainStatus(
      String topic,
      int partition,
      long entries,
      long nextOffset,
      String updatedAt,
      Long sealedSize,
      String sealedAt) {}

  public record InclusionProof(
      String eventId,
      String topic,
      int partition,
      long seq,
      long leafIndex,
      long treeSize,
      String previousHash,
      String leafData,
      String leafHash,
      List<String> auditPath,
      String rootHash,
      SignedCheckpoint checkpoint,
      String howToVerify) {}

  @GET
  @Path("checkpoints/public-key")
  @Produces("application/x-pem-file")
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN, Roles.PLATFORM_SERVICE})
  @Operation(summary = "The Ed25519 public key that signs checkpoints (PEM)")
  public String publicKey() {
    return keys.signing().publicKeyPem();
  }

  @GET
  @Path("checkpoints")
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @Operation(summary = "The latest checkpoint of every chain")
  public List<SignedCheckpoint> latest() throws SQLException {
    return query(
        "select ch.topic, ch.partition_no, cp.tree_size, cp.root_hash, cp.signed_at, cp.key_id,"
            + " cp.body, cp.signature from audit_chain ch join lateral (select * from"
            + " audit_checkpoint c where c.chain_id = ch.chain_id order by tree_size desc limit 1)"
            + " cp on true order by ch.topic, ch.partition_no");
  }

  @POST
  @Path("checkpoints")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Seal now",
      description =
          "Writes a checkpoint for every chain that grew since its last one. Role: him-admin.")
  public List<SignedCheckpoint> sealNow() throws SQLException {
    List<Checkpoint> written = checkpoints.sealAll();
    return latest().stream()
        .filter(
            s ->
                written.stream()
                    .anyMatch(
                        w ->
                            w.topic().equals(s.topic())
                                && w.partition() == s.partition()
                                && w.treeSize() == s.treeSize()))
        .toList();
  }

  @GET
  @Path("ingestion")
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN, Roles.PLATFORM_SERVICE})
  @Operation(summary = "Each chain: entries, the Kafka offset it resumes from, its last seal")
  public List<ChainStatus> ingestion() throws SQLException {
    List<ChainStatus> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select ch.topic, ch.partition_no, ch.size, ch.next_offset, ch.updated_at,"
                    + " cp.tree_size, cp.signed_at from audit_chain ch left join lateral (select"
                    + " tree_size, signed_at from audit_checkpoint c where c.chain_id = ch.chain_id"
                    + " order by tree_size desc limit 1) cp on true order by ch.topic,"
                    + " ch.partition_no");
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        OffsetDateTime sealedAt = rs.getObject(7, OffsetDateTime.class);
        out.add(
            new ChainStatus(
                rs.getString(1),
                rs.getInt(2),
                rs.getLong(3),
                rs.getLong(4),
                rs.getObject(5, OffsetDateTime.class).toInstant().toString(),
                (Long) rs.getObject(6),
                sealedAt == null ? null : sealedAt.toInstant().toString()));
      }
    }
    return out;
  }

  @GET
  @Path("proofs/{eventId}")
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @Operation(
      summary = "Inclusion proof of one entry",
      description =
          "The entry's leaf data, its RFC 6962 audit path and the signed checkpoint it leads to"
              + " (the latest one, or the one of treeSize). Roles: privacy-officer, him-admin.")
  public InclusionProof proof(
      @PathParam("eventId") String eventId, @QueryParam("treeSize") Long treeSize)
      throws SQLException {
    UUID id;
    try {
      id = UUID.fromString(eventId);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("eventId", "not a UUID");
    }
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      int chainId;
      long seq;
      String topic;
      int partition;
      try (PreparedStatement q =
          c.prepareStatement(
              "select e.chain_id, e.seq, ch.topic, ch.partition_no from audit_entry e join"
                  + " audit_chain ch using (chain_id) where e.event_id = ?")) {
        q.setObject(1, id);
        try (ResultSet rs = q.executeQuery()) {
          if (!rs.next()) {
            throw ProblemException.notFound("no entry for event " + eventId);
          }
          chainId = rs.getInt(1);
          seq = rs.getLong(2);
          topic = rs.getString(3);
          partition = rs.getInt(4);
        }
      }
      List<SignedCheckpoint> seal =
          query(
              c,
              "select ch.topic, ch.partition_no, cp.tree_size, cp.root_hash, cp.signed_at,"
                  + " cp.key_id, cp.body, cp.signature from audit_checkpoint cp join audit_chain ch"
                  + " using (chain_id) where cp.chain_id = "
                  + chainId
                  + " and cp.tree_size >= "
                  + seq
                  + (treeSize == null ? "" : " and cp.tree_size = " + treeSize)
                  + " order by cp.tree_size desc limit 1");
      if (seal.isEmpty()) {
        throw new ProblemException(
            409,
            "Not sealed yet",
            treeSize == null
                ? "entry "
                    + seq
                    + " is not covered by a checkpoint yet; the next one is due"
                    + " within him.audit.checkpoint.interval"
                : "there is no checkpoint of " + treeSize + " entries covering entry " + seq,
            List.of());
      }
      SignedCheckpoint cp = seal.get(0);
      List<byte[]> leaves = new ArrayList<>((int) cp.treeSize());
      byte[] previous = LogEntry.GENESIS;
      byte[] leafData = null;
      try (PreparedStatement q =
          c.prepareStatement(
              "select "
                  + dev.him.audit.log.EntryRows.COLUMNS
                  + " from audit_entry"
                  + " where chain_id = ? and seq <= ? order by seq")) {
        q.setInt(1, chainId);
        q.setLong(2, cp.treeSize());
        q.setFetchSize(10_000);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            byte[] hash = rs.getBytes(21);
            if (rs.getLong(1) == seq) {
              leafData = dev.him.audit.log.EntryRows.entry(rs).canonical();
            } else if (rs.getLong(1) == seq - 1) {
              previous = hash;
            }
            leaves.add(hash);
          }
        }
      }
      c.commit();
      List<String> path =
          MerkleTree.inclusionPath(leaves, (int) (seq - 1), (int) cp.treeSize()).stream()
              .map(HEX::formatHex)
              .toList();
      return new InclusionProof(
          eventId,
          topic,
          partition,
          seq,
          seq - 1,
          cp.treeSize(),
          HEX.formatHex(previous),
          new String(leafData, StandardCharsets.UTF_8),
          HEX.formatHex(leaves.get((int) (seq - 1))),
          path,
          HEX.formatHex(Base64.getDecoder().decode(cp.rootHash())),
          cp,
          "leafHash = SHA-256(0x00 | previousHash bytes | leafData UTF-8); fold auditPath as"
              + " RFC 9162 2.1.3.2 with leafIndex and treeSize; the result must equal rootHash,"
              + " which the checkpoint body carries in base64 and signs with Ed25519"
              + " (GET /api/audit/checkpoints/public-key).");
    }
  }

  private List<SignedCheckpoint> query(String sql) throws SQLException {
    try (Connection c = db.getConnection()) {
      return query(c, sql);
    }
  }

  private static List<SignedCheckpoint> query(Connection c, String sql) throws SQLException {
    List<SignedCheckpoint> out = new ArrayList<>();
    try (PreparedStatement q = c.prepareStatement(sql);
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        out.add(
            new SignedCheckpoint(
                rs.getString(1),
                rs.getInt(2),
                rs.getLong(3),
                Base64.getEncoder().encodeToString(rs.getBytes(4)),
                rs.getObject(5, OffsetDateTime.class).toInstant().toString(),
                rs.getString(6),
                rs.getString(7),
                Base64.getEncoder().encodeToString(rs.getBytes(8))));
      }
    }
    return out;
  }
}
