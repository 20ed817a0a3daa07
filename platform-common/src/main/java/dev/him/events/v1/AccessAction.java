package dev.him.events.v1;

/** What was done to patient data; maps to the FHIR restful interactions. */
public enum AccessAction {
  CREATE,
  READ,
  SEARCH,
  UPDATE,
  DELETE
}
