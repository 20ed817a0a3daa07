package dev.him.records.encounter;

import dev.him.events.v1.CodedEntry;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One encounter's chart as the quality rules and EncounterDischarged see it: the encounter's own
 * facts and what belongs to it (diagnoses, procedures, documents), read from the stored record.
 *
 * @param active stored, not deleted, and neither cancelled nor entered in error; the rules find
 *     nothing on a chart that is not active
 * @param dischargeRecorded the encounter is over: status finished, or a discharge (period.end or
 *     hospitalization.dischargeDisposition) recorded on an encounter that took place
 * @param endedAt Encounter.period.end, if recorded
 * @param attendingPractitionerId the attending (see him.encounter.attending-participant-types)
 */
public record Chart(
    String encounterId,
    String patientId,
    boolean active,
    boolean dischargeRecorded,
    String status,
    String encounterClass,
    Instant admittedAt,
    Instant endedAt,
    String dischargeDisposition,
    String attendingPractitionerId,
    List<Participant> participants,
    List<CodedEntry> diagnoses,
    List<CodedEntry> procedures,
    List<Document> documents) {

  /** An encounter that is not (or no longer) stored: nothing to find on it. */
  public static Chart gone(String encounterId) {
    return new Chart(
        encounterId,
        null,
        false,
        false,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  /**
   * @param practitionerId the Practitioner id of Encounter.participant.individual, or null when it
   *     is not a Practitioner
   * @param types the codes of Encounter.participant.type (ATND, ADM, DIS, ...), empty if untyped
   */
  public record Participant(String practitionerId, Set<String> types) {}

  /** A coding: system (may be null) and code. */
  public record Code(String system, String code) {}

  /**
   * A DocumentReference whose context names this encounter.
   *
   * @param status DocumentReference.status (current, superseded, entered-in-error)
   * @param signed authenticated: see {@link dev.him.records.document.Signing}
   * @param authorPractitionerId the first Practitioner among the authors, or null
   */
  public record Document(
      String id,
      List<Code> types,
      String status,
      String docStatus,
      boolean signed,
      String authorPractitionerId) {
    /** Current: neither replaced by another document nor entered in error. */
    public boolean current() {
      return status == null || "current".equals(status);
    }
  }
}
