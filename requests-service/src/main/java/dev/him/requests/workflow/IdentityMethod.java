package dev.him.requests.workflow;

/** How the requester's identity (and a representative's authority) was verified. */
public enum IdentityMethod {
  PHOTO_ID,
  /** Signed in to the patient portal with a verified account. */
  PORTAL_ACCOUNT,
  /** Known to staff in person. */
  KNOWN_TO_STAFF,
  /** The request itself is notarized. */
  NOTARIZED_REQUEST,
  /** A call back to the phone number already on file (not the one on the request). */
  CALLBACK_TO_PHONE_ON_FILE,
  /** A court's seal on the order or subpoena. */
  COURT_SEAL,
  /** Agency credentials or badge, checked with the agency (164.514(h)(2)(ii)). */
  AGENCY_CREDENTIAL,
  /** A provider found in a provider directory (NPI) and called back. */
  PROVIDER_DIRECTORY,
  // Kept for rows and clients from before the verification record (V4).
  NOTARIZED_SIGNATURE,
  IN_PERSON_KNOWN,
  CALLBACK,
  OTHER
}
