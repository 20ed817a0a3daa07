package dev.him.events.v1;

import java.time.Instant;
import java.util.UUID;

/**
 * Two records were found to be the same person: everything of {@code sourcePatientId} now belongs
 * to {@code survivorPatientId}, and reads of the source redirect to the survivor. Downstream
 * systems re-point their own references.
 *
 * @param linkId the MPI link that records the merge; an unmerge names the same link
 * @param movedResources how many clinical resources were moved to the survivor
 */
public record PatientMerged(
    UUID eventId,
    Instant occurredAt,
    String linkId,
    String sourcePatientId,
    String sourceMrn,
    String survivorPatientId,
    String survivorMrn,
    int movedResources,
    String decidedBy,
    String correlationId) {
  public static final String TYPE = "PatientMerged";
  public static final int VERSION = 1;
}
