package dev.him.coding.cases;

import java.time.LocalDate;
import java.util.List;

/**
 * The coder's codes for a case, saved as a draft; the whole set is replaced each time.
 *
 * @param version the case version the coder saw (or send If-Match)
 * @param principalDiagnosis ICD-10-CM, with or without the dot
 * @param msDrg optional; without it a grouper (if one is installed) may set one
 */
public record DraftCodes(
    Integer version,
    String principalDiagnosis,
    List<Diagnosis> secondaryDiagnoses,
    List<Procedure> procedures,
    String msDrg) {

  public DraftCodes {
    secondaryDiagnoses = secondaryDiagnoses == null ? List.of() : secondaryDiagnoses;
    procedures = procedures == null ? List.of() : procedures;
  }

  /**
   * @param poa present on admission: Y, N, U, W or 1 (exempt); null or empty when not given
   */
  public record Diagnosis(String code, String poa) {}

  /** An ICD-10-PCS code and the day it was performed. */
  public record Procedure(String code, LocalDate performedOn) {}
}
