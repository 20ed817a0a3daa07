package dev.him.events.v1;

import java.time.Instant;
import java.util.UUID;

/**
 * A chart deficiency closed, because the record was fixed (the rule no longer finds it) or it was
 * waived by a person.
 *
 * @param resolution "corrected" or "waived"
 */
public record DeficiencyClosed(
    UUID eventId,
    Instant occurredAt,
    String deficiencyId,
    String ruleCode,
    String patientId,
    String encounterId,
    String resolution,
    String correlationId) {
  public static final String TYPE = "DeficiencyClosed";
  public static final int VERSION = 1;
}
