package dev.him.requests.roi;

/**
 * Where a request stands. The path is RECEIVED → IDENTITY_VERIFIED → BASIS_VALIDATED →
 * IN_PROCESSING → QUALITY_REVIEW → RELEASED; DENIED and CANCELLED end it from any open state. Which
 * moves are allowed, and for whom, is decided in dev.him.requests.workflow.WorkflowRules.
 */
public enum RoiStatus {
  RECEIVED,
  IDENTITY_VERIFIED,
  BASIS_VALIDATED,
  IN_PROCESSING,
  QUALITY_REVIEW,
  RELEASED,
  /** Refused, with a reason the requester can read (164.524(d)(2)). */
  DENIED,
  CANCELLED;

  /** A final request has nothing left to do, so it is never due, at risk or overdue. */
  public boolean isFinal() {
    return this == RELEASED || this == DENIED || this == CANCELLED;
  }
}
