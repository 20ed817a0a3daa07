package dev.him.events.v1;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A coding case was finalized: the codes a coder assigned to a discharged encounter, with the
 * code-set version they were validated against. Published again (with a higher caseVersion) when a
 * reopened case is finalized anew; consumers keep the highest caseVersion per encounter.
 *
 * @param codeSetVersion the ICD-10-CM / ICD-10-PCS release the codes were checked against (FY2025)
 * @param msDrg the MS-DRG carried by the case, null when none was entered or grouped
 * @param caseVersion 1 for the first finalization, incremented by each reopen and finalize
 */
public record EncounterCoded(
    UUID eventId,
    Instant occurredAt,
    String caseId,
    String encounterId,
    String patientId,
    String codeSetVersion,
    String principalDiagnosis,
    List<Diagnosis> secondaryDiagnoses,
    List<ProcedureCode> procedures,
    String msDrg,
    BigDecimal drgWeight,
    String finalizedBy,
    int caseVersion,
    String correlationId) {
  public static final String TYPE = "EncounterCoded";
  public static final int VERSION = 1;

  public EncounterCoded {
    secondaryDiagnoses = secondaryDiagnoses == null ? List.of() : List.copyOf(secondaryDiagnoses);
    procedures = procedures == null ? List.of() : List.copyOf(procedures);
  }

  /** An ICD-10-CM code with its present-on-admission indicator (Y, N, U, W, 1 or null). */
  public record Diagnosis(String code, String poa) {}

  /** An ICD-10-PCS code and the day it was performed. */
  public record ProcedureCode(String code, LocalDate performedOn) {}
}
