package dev.him.records.mpi;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

/**
 * A pair of patients in the review queue: the score, what each field contributed, and the decision
 * once a person made it.
 *
 * @param status open, duplicate (merged), not-duplicate (remembered) or superseded (one side was
 *     merged or deleted, or the score fell below the threshold)
 * @param priority probable (score at least him.mpi.probable-threshold) or possible
 */
public record CandidateView(
    UUID id,
    String status,
    String priority,
    double score,
    PatientSummary patientA,
    PatientSummary patientB,
    Map<String, FieldEvidence> fields,
    Instant createdAt,
    Instant updatedAt,
    String decidedBy,
    Instant decidedAt,
    String reason) {

  /** Enough of a patient to compare at a glance; the whole record is a FHIR read away. */
  public record PatientSummary(
      String id, String mrn, String family, String given, LocalDate birthDate, String gender) {}
}
