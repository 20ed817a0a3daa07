package dev.him.coding.edits;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What the edits look at: the codes (diagnoses without the dot, upper case) and the encounter facts
 * the MCE needs.
 *
 * @param icd10cmVersion null when no ICD-10-CM release is loaded
 * @param notes releases chosen by fallback, each a message for a NEAREST_RELEASE warning
 * @param birthDate null when not recorded
 * @param gender male, female, other, unknown or null
 */
public record EditInput(
    String icd10cmVersion,
    String icd10pcsVersion,
    String mceVersion,
    List<String> notes,
    String encounterClass,
    LocalDate dischargedOn,
    Instant admittedAt,
    Instant dischargedAt,
    LocalDate admittedOn,
    LocalDate birthDate,
    String gender,
    String principalDiagnosis,
    List<Diagnosis> secondaryDiagnoses,
    List<Procedure> procedures) {

  public EditInput {
    notes = notes == null ? List.of() : List.copyOf(notes);
    secondaryDiagnoses = secondaryDiagnoses == null ? List.of() : List.copyOf(secondaryDiagnoses);
    procedures = procedures == null ? List.of() : List.copyOf(procedures);
  }

  public record Diagnosis(String code, String poa) {}

  public record Procedure(String code, LocalDate performedOn) {}

  public boolean hasCodes() {
    return principalDiagnosis != null || !secondaryDiagnoses.isEmpty() || !procedures.isEmpty();
  }
}
