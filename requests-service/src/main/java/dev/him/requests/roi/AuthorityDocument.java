package dev.him.requests.roi;

/** The document that gives a personal representative authority to act for the patient. */
public enum AuthorityDocument {
  POWER_OF_ATTORNEY,
  HEALTH_CARE_PROXY,
  GUARDIANSHIP_ORDER,
  /** Birth certificate or other proof that the requester is the parent of a minor. */
  PARENT_OF_MINOR,
  /** Letters testamentary or of administration: executor or administrator of an estate. */
  EXECUTOR_OR_ADMINISTRATOR,
  OTHER
}
