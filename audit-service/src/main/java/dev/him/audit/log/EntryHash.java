package dev.him.audit.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The chain's hash: SHA-256 over the previous entry's hash and a canonical JSON array of the
 * entry's fields in a fixed order. Changing any field, or the order of entries, changes it.
 */
public final class EntryHash {
  public static final String GENESIS = "0".repeat(64);
  private static final ObjectMapper CANONICAL = new ObjectMapper();

  private EntryHash() {}

  public static String of(
      String prevHash,
      long seq,
      String eventId,
      String occurredAt,
      String recordedAt,
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
      String detail) {
    List<Object> fields =
        Arrays.asList(
            seq,
            eventId,
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
            patientIds == null ? List.of() : List.of(patientIds),
            purposeOfUse,
            correlationId,
            sourceService,
            detail);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) '|');
      sha.update(CANONICAL.writeValueAsBytes(fields));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String of(AuditEntry e) {
    return of(
        e.prevHash,
        e.seq,
        e.eventId.toString(),
        e.occurredAt.toString(),
        e.recordedAt.toString(),
        e.action,
        e.outcome,
        e.actorSubject,
        e.actorUsername,
        e.actorRoles,
        e.actorClient,
        e.resourceType,
        e.resourceId,
        e.patientIds,
        e.purposeOfUse,
        e.correlationId,
        e.sourceService,
        e.detail);
  }
}
