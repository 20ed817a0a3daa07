package dev.him.coding.edits;

/**
 * Every edit the engine runs, with its default severity ({@code him.coding.edits.severity.<CODE>}
 * changes it: error, warning or off). The MCE ones are driven by the loaded {@code mce_code_edit}
 * lists of the case's MCE version; validity, header and 7th character by the loaded ICD-10-CM order
 * file and ICD-10-PCS codes file of the case's releases.
 */
public enum EditType {
  /** A principal diagnosis is required to finalize. */
  PRINCIPAL_MISSING(Severity.ERROR),
  /** The code is not in the ICD-10-CM / ICD-10-PCS release in force on the discharge day. */
  INVALID_CODE(Severity.ERROR),
  /** An ICD-10-CM category or subcategory header: not billable. */
  HEADER_CODE(Severity.ERROR),
  /** The code needs a 7th character, or the placeholder X before it. */
  SEVENTH_CHARACTER(Severity.ERROR),
  /** Chapter 20 (V00-Y99) external cause codes never go first. */
  EXTERNAL_CAUSE_PRINCIPAL(Severity.ERROR),
  DUPLICATE_OF_PRINCIPAL(Severity.ERROR),
  /** The same secondary diagnosis twice. */
  DUPLICATE_DIAGNOSIS(Severity.WARNING),
  AGE_CONFLICT_NEWBORN(Severity.ERROR),
  AGE_CONFLICT_PEDIATRIC(Severity.ERROR),
  AGE_CONFLICT_MATERNITY(Severity.ERROR),
  AGE_CONFLICT_ADULT(Severity.ERROR),
  /** No usable birth date: the age edits could not run. */
  AGE_UNKNOWN(Severity.WARNING),
  /** Versioned: only for discharges before him.coding.edits.sex-conflict-ends (FY2025). */
  SEX_CONFLICT(Severity.ERROR),
  MANIFESTATION_PRINCIPAL(Severity.ERROR),
  UNACCEPTABLE_PRINCIPAL(Severity.ERROR),
  QUESTIONABLE_ADMISSION(Severity.WARNING),
  NONCOVERED_PROCEDURE(Severity.WARNING),
  LIMITED_COVERAGE(Severity.WARNING),
  WRONG_PROCEDURE_PERFORMED(Severity.WARNING),
  /** An inpatient secondary diagnosis without its present-on-admission indicator. */
  POA_MISSING(Severity.ERROR),
  PROCEDURE_DATE_OUTSIDE_STAY(Severity.WARNING),
  /** No release in force on the discharge day: the nearest loaded one was used. */
  NEAREST_RELEASE(Severity.WARNING),
  /** No ICD-10-CM or ICD-10-PCS release to check the codes against: they cannot pass. */
  RELEASE_MISSING(Severity.ERROR),
  /** No MCE lists loaded: the MCE edits did not run (the codes are still checked for validity). */
  MCE_MISSING(Severity.WARNING);

  private final Severity defaultSeverity;

  EditType(Severity defaultSeverity) {
    this.defaultSeverity = defaultSeverity;
  }

  public Severity defaultSeverity() {
    return defaultSeverity;
  }
}
