package dev.him.coding.edits;

/**
 * One finding of the edits.
 *
 * @param code the edit ({@link EditType} name)
 * @param field what it concerns, as the case's JSON names it: principalDiagnosis,
 *     secondaryDiagnoses[2], secondaryDiagnoses[0].poa, procedures[1], patientBirthDate,
 *     dischargedAt
 * @param message for the coder, naming the code
 */
public record Edit(String code, Severity severity, String field, String message) {

  public boolean isError() {
    return severity == Severity.ERROR;
  }
}
