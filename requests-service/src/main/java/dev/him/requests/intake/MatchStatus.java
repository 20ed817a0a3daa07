package dev.him.requests.intake;

/** Where the match of a request's patient against records-service stands. */
public enum MatchStatus {
  /** Not run yet: records-service was unavailable at intake. Run it again later. */
  PENDING,
  /** Exactly one candidate agreeing on every field given (or a known patientId): linked. */
  EXACT,
  /** None, several, or a partial agreement: a person must choose. */
  NEEDS_REVIEW,
  /** A person confirmed the patient. */
  CONFIRMED,
  /** A person found that records-service holds no record of this patient. */
  NO_MATCH
}
