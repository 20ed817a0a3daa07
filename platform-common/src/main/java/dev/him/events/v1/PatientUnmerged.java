package dev.him.events.v1;

import java.time.Instant;
import java.util.UUID;

/**
 * A merge was undone: the source record is active again and the resources the merge moved are back
 * with it.
 */
public record PatientUnmerged(
    UUID eventId,
    Instant occurredAt,
    String linkId,
    String sourcePatientId,
    String survivorPatientId,
    int restoredResources,
    String reason,
    String decidedBy,
    String correlationId) {
  public static final String TYPE = "PatientUnmerged";
  public static final int VERSION = 1;
}
