package dev.him.audit.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * One entry of the log as it is hashed. Its canonical form is a JSON array of the fields in a fixed
 * order; the entry's hash is the RFC 6962 leaf hash of (previous entry's hash | canonical form), so
 * the same hash both links the chain and is the Merkle leaf. Archives carry the canonical form byte
 * for byte, so an offline verifier only hashes what it reads.
 */
public record LogEntry(
    long seq,
    long kafkaOffset,
    UUID eventId,
    String eventType,
    Instant occurredAt,
    Instant recordedAt,
    String action,
    String outcome,
    String actorSubject,
    String actorUsername,
    String actorRoles,
    String actorClient,
    String resourceType,
    String resourceId,
    String[] patientIds,
    String purposeOfUse,
    String correlationId,
    String sourceService,
    String detail,
    byte[] payloadSha256) {

  private static final ObjectMapper CANONICAL = new ObjectMapper();
  public static final byte[] GENESIS = new byte[32];

  public byte[] canonical() {
    List<Object> fields =
        Arrays.asList(
            seq,
            kafkaOffset,
            eventId.toString(),
            eventType,
            occurredAt.toString(),
            recordedAt.toString(),
            action,
            outcome,
            actorSubject,
            actorUsername,
            actorRoles,
            actorClient,
            resourceType,
            resourceId,
            patientIds == null ? List.of() : List.of(patientIds),
            purposeOfUse,
            correlationId,
            sourceService,
            detail,
            payloadSha256 == null ? null : HexFormat.of().formatHex(payloadSha256));
    try {
      return CANONICAL.writeValueAsBytes(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The entry's hash given the previous entry's (GENESIS for the first). */
  public byte[] hash(byte[] previous) {
    return hash(previous, canonical());
  }

  public static byte[] hash(byte[] previous, byte[] canonical) {
    byte[] leaf = new byte[previous.length + canonical.length];
    System.arraycopy(previous, 0, leaf, 0, previous.length);
    System.arraycopy(canonical, 0, leaf, previous.length, canonical.length);
    return MerkleTree.leafHash(leaf);
  }

  /** The same entry at a position in its chain. */
  public LogEntry at(long newSeq, long offset) {
    return new LogEntry(
        newSeq,
        offset,
        eventId,
        eventType,
        occurredAt,
        recordedAt,
        action,
        outcome,
        actorSubject,
        actorUsername,
        actorRoles,
        actorClient,
        resourceType,
        resourceId,
        patientIds,
        purposeOfUse,
        correlationId,
        sourceService,
        detail,
        payloadSha256);
  }

  /** Frontier hashes are stored concatenated, 32 bytes each, largest subtree first. */
  public static byte[] packFrontier(java.util.List<byte[]> frontier) {
    byte[] out = new byte[frontier.size() * 32];
    for (int i = 0; i < frontier.size(); i++) {
      System.arraycopy(frontier.get(i), 0, out, i * 32, 32);
    }
    return out;
  }

  public static java.util.List<byte[]> unpackFrontier(byte[] packed) {
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    for (int i = 0; i + 32 <= packed.length; i += 32) {
      out.add(java.util.Arrays.copyOfRange(packed, i, i + 32));
    }
    return out;
  }
}
