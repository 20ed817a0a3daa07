package dev.him.audit.chain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
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

  public static final byte[] GENESIS = new byte[32];

  /**
   * The canonical form: a compact JSON array, written by hand because verify and ingestion do this
   * millions of times. The bytes are exactly what Jackson writes for the same list (its default
   * escaping: \" \\ \b \t \n \f \r, other controls and surrogates as \\uXXXX, the rest as UTF-8);
   * LogEntryTest holds the two together.
   */
  public byte[] canonical() {
    StringBuilder b = new StringBuilder(384).append('[');
    b.append(seq).append(',').append(kafkaOffset).append(',');
    str(b, eventId.toString()).append(',');
    str(b, eventType).append(',');
    str(b, occurredAt.toString()).append(',');
    str(b, recordedAt.toString()).append(',');
    str(b, action).append(',');
    str(b, outcome).append(',');
    str(b, actorSubject).append(',');
    str(b, actorUsername).append(',');
    str(b, actorRoles).append(',');
    str(b, actorClient).append(',');
    str(b, resourceType).append(',');
    str(b, resourceId).append(",[");
    if (patientIds != null) {
      for (int i = 0; i < patientIds.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        str(b, patientIds[i]);
      }
    }
    b.append("],");
    str(b, purposeOfUse).append(',');
    str(b, correlationId).append(',');
    str(b, sourceService).append(',');
    str(b, detail).append(',');
    str(b, payloadSha256 == null ? null : HexFormat.of().formatHex(payloadSha256)).append(']');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private static StringBuilder str(StringBuilder b, String v) {
    if (v == null) {
      return b.append("null");
    }
    b.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\f' -> b.append("\\f");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || Character.isSurrogate(c)) {
            // Jackson escapes surrogates (characters beyond the BMP) too, as two \\uXXXX
            b.append("\\u")
                .append(HEX_UPPER[c >> 12])
                .append(HEX_UPPER[(c >> 8) & 0xF])
                .append(HEX_UPPER[(c >> 4) & 0xF])
                .append(HEX_UPPER[c & 0xF]);
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
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
