package dev.him.requests.workflow;

/** How the requester's identity (and a representative's authority) was verified. */
public enum IdentityMethod {
  PHOTO_ID,
  NOTARIZED_SIGNATURE,
  /** Signed in to the patient portal with a verified account. */
  PORTAL_ACCOUNT,
  /** Known to staff in person. */
  IN_PERSON_KNOWN,
  /** Another provider or agency, verified by a call-back to a known number. */
  CALLBACK,
  OTHER
}
