package dev.him.coding.cases;

import dev.him.coding.edits.Edit;
import dev.him.events.v1.CodedEntry;
import dev.him.events.v1.EncounterDischarged;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A coding case as the coder works it: the encounter, the codes with their descriptions, the edits
 * standing after the last save, the DRG, the physician queries, the history, and what the encounter
 * recorded.
 *
 * @param ageDays days since discharge
 * @param version the optimistic version (also the ETag): send it back to save
 * @param caseVersion how many times the case was finalized (EncounterCoded.caseVersion)
 */
public record CaseView(
    UUID id,
    String encounterId,
    String patientId,
    String encounterClass,
    Instant admittedAt,
    Instant dischargedAt,
    LocalDate dischargedOn,
    long ageDays,
    Patient patient,
    String dischargeDisposition,
    String attendingPractitionerId,
    String status,
    int version,
    String assignedTo,
    Instant assignedAt,
    CodeSets codeSets,
    Code principalDiagnosis,
    List<Code> secondaryDiagnoses,
    List<ProcedureCode> procedures,
    Drg drg,
    List<Edit> edits,
    int errors,
    int warnings,
    List<QueryView> queries,
    List<HistoryEntry> history,
    Recorded recorded,
    Instant openedAt,
    Instant lastSavedAt,
    String lastSavedBy,
    Instant finalizedAt,
    String finalizedBy,
    int caseVersion) {

  /**
   * @param ageAtAdmission whole years, null without a birth date
   */
  public record Patient(LocalDate birthDate, String gender, Integer ageAtAdmission) {}

  /** The releases the codes are checked against (chosen by the discharge day). */
  public record CodeSets(String icd10cm, String icd10pcs, String mce, String msDrg) {}

  /** A diagnosis: dotted code, POA (secondary only), description in the case's release. */
  public record Code(String code, String poa, String description) {}

  public record ProcedureCode(String code, LocalDate performedOn, String description) {}

  /**
   * The case's MS-DRG with its weights-table row.
   *
   * @param source coder, or grouper:name
   */
  public record Drg(
      String msDrg,
      String version,
      String mdc,
      String type,
      String title,
      BigDecimal weight,
      BigDecimal gmlos,
      String source) {}

  /** What the encounter recorded before any coding (from EncounterDischarged). */
  public record Recorded(
      List<CodedEntry> diagnoses,
      List<CodedEntry> procedures,
      List<String> reasons,
      List<EncounterDischarged.DocumentText> documents) {}
}
