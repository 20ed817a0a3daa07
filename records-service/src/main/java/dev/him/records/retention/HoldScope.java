package dev.him.records.retention;

/** What a legal hold covers: a patient's whole record, or one encounter. */
public enum HoldScope {
  PATIENT,
  ENCOUNTER
}
