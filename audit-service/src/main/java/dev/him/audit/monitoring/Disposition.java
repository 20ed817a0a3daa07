package dev.him.audit.monitoring;

/** How a closed alert ended. */
public enum Disposition {
  /** The rule fired, but the access was not what it looked like (e.g. a common surname). */
  FALSE_POSITIVE,
  /** A real access of this kind, with a legitimate reason (e.g. the user's own care team). */
  JUSTIFIED,
  /** An inappropriate access: a note saying what was found and done is required. */
  VIOLATION_CONFIRMED,
  /** Handed on (HR, compliance, legal): a note saying to whom is required. */
  REFERRED,
  /** The same access is handled under another alert. */
  DUPLICATE;

  boolean needsNote() {
    return this == VIOLATION_CONFIRMED || this == REFERRED;
  }
}
