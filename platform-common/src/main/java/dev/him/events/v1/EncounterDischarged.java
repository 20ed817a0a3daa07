package dev.him.events.v1;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An encounter ended (status finished, or a discharge time was recorded). coding-service opens a
 * coding case from it; records-service evaluates chart deficiencies.
 *
 * @param encounterClass the v3 ActCode of Encounter.class (IMP, AMB, EMER, ...)
 * @param dischargeDisposition Encounter.hospitalization.dischargeDisposition code, if any
 * @param attendingPractitionerId the Practitioner id of the attending participant, if any
 */
public record EncounterDischarged(
    UUID eventId,
    Instant occurredAt,
    String encounterId,
    String patientId,
    String encounterClass,
    Instant admittedAt,
    Instant dischargedAt,
    String dischargeDisposition,
    String attendingPractitionerId,
    List<CodedEntry> diagnoses,
    List<CodedEntry> procedures,
    String correlationId) {
  public static final String TYPE = "EncounterDischarged";
  public static final int VERSION = 1;

  public EncounterDischarged {
    diagnoses = diagnoses == null ? List.of() : List.copyOf(diagnoses);
    procedures = procedures == null ? List.of() : List.copyOf(procedures);
  }
}
