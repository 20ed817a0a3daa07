package dev.him.requests.roi;

/** Who is asking for the records. */
public enum RequesterType {
  /** The patient, under the HIPAA right of access. */
  INDIVIDUAL,
  /**
   * Someone with authority to act for the patient (164.502(g)): relationship and authority document
   * are required.
   */
  PERSONAL_REPRESENTATIVE,
  /** Another health care provider, e.g. for continuity of care. */
  PROVIDER,
  INSURER,
  ATTORNEY,
  COURT,
  LAW_ENFORCEMENT,
  GOVERNMENT_AGENCY,
  RESEARCHER,
  /** Only on rows logged before the kinds above existed; not accepted on a new request. */
  THIRD_PARTY;

  /** Kinds that act for an organisation, which must be named. */
  public boolean isOrganisation() {
    return this == PROVIDER
        || this == INSURER
        || this == COURT
        || this == LAW_ENFORCEMENT
        || this == GOVERNMENT_AGENCY
        || this == RESEARCHER;
  }
}
