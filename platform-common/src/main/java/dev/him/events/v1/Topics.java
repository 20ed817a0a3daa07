package dev.him.events.v1;

/**
 * Kafka topic names, one per event family. Every event is keyed by the patient it concerns, so one
 * patient's events stay in order within a partition.
 */
public final class Topics {
  public static final String ACCESS_EVENTS = "him.access-events";

  /** PatientRegistered, PatientMerged, PatientUnmerged. */
  public static final String PATIENT_EVENTS = "him.patient-events";

  /** EncounterDischarged (from records-service). */
  public static final String ENCOUNTER_EVENTS = "him.encounter-events";

  /** EncounterCoded (from coding-service). */
  public static final String CODING_EVENTS = "him.coding-events";

  /** DocumentSigned. */
  public static final String DOCUMENT_EVENTS = "him.document-events";

  /** DeficiencyOpened, DeficiencyClosed. */
  public static final String DEFICIENCY_EVENTS = "him.deficiency-events";

  /** RequestReceived, RequestReleased, RequestDenied (from requests-service). */
  public static final String REQUEST_EVENTS = "him.request-events";

  private Topics() {}
}
