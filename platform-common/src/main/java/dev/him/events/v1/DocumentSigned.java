package dev.him.events.v1;

import java.time.Instant;
import java.util.UUID;

/**
 * A clinical document was authenticated (DocumentReference with an authenticator and status current
 * / docStatus final).
 *
 * @param documentType LOINC code of DocumentReference.type (e.g. 18842-5 discharge summary)
 */
public record DocumentSigned(
    UUID eventId,
    Instant occurredAt,
    String documentId,
    String patientId,
    String encounterId,
    String documentType,
    String signedByPractitionerId,
    Instant signedAt,
    String correlationId) {
  public static final String TYPE = "DocumentSigned";
  public static final int VERSION = 1;
}
