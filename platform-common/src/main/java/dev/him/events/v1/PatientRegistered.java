package dev.him.events.v1;

import java.time.Instant;
import java.util.UUID;

/**
 * A patient was registered in the master patient index. Identifiers only: consumers that need
 * demographics read the Patient over FHIR (and are audited doing so).
 *
 * @param mrn the medical record number assigned on registration
 * @param registeredBy user name of the person or client that registered the patient
 */
public record PatientRegistered(
    UUID eventId,
    Instant occurredAt,
    String patientId,
    String mrn,
    String registeredBy,
    String correlationId) {
  public static final String TYPE = "PatientRegistered";
  public static final int VERSION = 1;
}
