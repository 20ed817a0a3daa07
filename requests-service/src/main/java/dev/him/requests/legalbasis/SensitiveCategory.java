package dev.him.requests.legalbasis;

/** Categories of records that a basis must cover explicitly, or that a basis excludes. */
public enum SensitiveCategory {
  /** Only on an authorization of their own (164.508(a)(2)); never under right of access. */
  PSYCHOTHERAPY_NOTES,
  /** 42 CFR Part 2 records: need the Part 2 consent elements. */
  SUBSTANCE_USE_DISORDER,
  /** Information compiled for legal proceedings: not covered by right of access (164.524(a)(1)). */
  LEGAL_PROCEEDINGS,
  HIV,
  MENTAL_HEALTH,
  GENETIC,
  REPRODUCTIVE_HEALTH
}
