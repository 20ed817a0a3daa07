package dev.him.requests.roi;

/** Who is asking for the records. */
public enum RequesterType {
  /** The patient, under the HIPAA right of access. */
  INDIVIDUAL,
  /** Someone with authority to act for the patient (parent, guardian, health care proxy). */
  PERSONAL_REPRESENTATIVE,
  THIRD_PARTY,
  ATTORNEY,
  INSURER,
  COURT,
  GOVERNMENT_AGENCY
}
