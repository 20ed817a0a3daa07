package dev.him.requests.legalbasis;

/** Who signed an authorization. */
public enum SignerType {
  PATIENT,
  /** Needs a description of their authority to act for the patient (164.508(c)(1)(vi)). */
  PERSONAL_REPRESENTATIVE
}
