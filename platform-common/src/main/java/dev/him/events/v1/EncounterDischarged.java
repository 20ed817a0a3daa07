package dev.him.events.v1;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * An encounter ended (status finished, or a discharge time was recorded). coding-service opens a
 * coding case from it; records-service evaluates chart deficiencies.
 *
 * <p>It carries what a coder needs before opening the chart: the patient's birth date and
 * administrative gender (age and sex edits), the diagnoses and procedures as recorded, and the
 * plain text of the encounter's documents (computer-assisted coding). The topic is internal and the
 * audit trail never copies these fields.
 *
 * @param encounterClass the v3 ActCode of Encounter.class (IMP, AMB, EMER, ...)
 * @param dischargeDisposition Encounter.hospitalization.dischargeDisposition code, if any
 * @param attendingPractitionerId the Practitioner id of the attending participant, if any
 * @param patientBirthDate Patient.birthDate, null when not recorded
 * @param patientGender Patient.gender (male, female, other, unknown), null when not recorded
 * @param reasons Encounter.reasonCode texts or displays
 * @param documents text of the encounter's current documents
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
    String correlationId,
    LocalDate patientBirthDate,
    String patientGender,
    List<String> reasons,
    List<DocumentText> documents) {
  public static final String TYPE = "EncounterDischarged";
  public static final int VERSION = 1;

  public EncounterDischarged {
    diagnoses = diagnoses == null ? List.of() : List.copyOf(diagnoses);
    procedures = procedures == null ? List.of() : List.copyOf(procedures);
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    documents = documents == null ? List.of() : List.copyOf(documents);
  }

  /**
   * The readable text of one document (text/plain attachments, or the narrative), capped in length.
   *
   * @param type display or code of DocumentReference.type (e.g. "Discharge summary")
   */
  public record DocumentText(String documentId, String type, String text) {}
}
