package dev.him.events.v1;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A chart deficiency was found on an encounter and put in the responsible practitioner's queue.
 *
 * @param ruleCode the configured rule that found it (e.g. discharge-summary-missing)
 * @param delinquentOn the day the chart becomes delinquent if the deficiency is still open
 */
public record DeficiencyOpened(
    UUID eventId,
    Instant occurredAt,
    String deficiencyId,
    String ruleCode,
    String patientId,
    String encounterId,
    String documentId,
    String responsiblePractitionerId,
    LocalDate delinquentOn,
    String correlationId) {
  public static final String TYPE = "DeficiencyOpened";
  public static final int VERSION = 1;
}
