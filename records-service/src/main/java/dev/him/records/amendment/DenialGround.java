package dev.him.records.amendment;

/** The only grounds on which 45 CFR 164.526(a)(2) lets a covered entity deny an amendment. */
public enum DenialGround {
  /**
   * Not created by this entity (unless the individual shows the originator is no longer available
   * to act on the request).
   */
  NOT_CREATED_BY_ENTITY,
  /** Not part of the designated record set. */
  NOT_IN_DESIGNATED_RECORD_SET,
  /** Not available for inspection under 164.524 (e.g. psychotherapy notes). */
  NOT_AVAILABLE_FOR_INSPECTION,
  /** The information is accurate and complete. */
  ACCURATE_AND_COMPLETE
}
