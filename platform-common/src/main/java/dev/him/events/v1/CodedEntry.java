package dev.him.events.v1;

import java.time.Instant;

/**
 * A diagnosis or procedure as recorded on the encounter, before any coder touched it.
 *
 * @param resourceId the Condition or Procedure id in records-service
 * @param role for diagnoses, the Encounter.diagnosis use/rank when given ("principal" for rank 1),
 *     otherwise null
 * @param performedAt for procedures, when performed (start of the period); null for diagnoses
 */
public record CodedEntry(
    String resourceId,
    String system,
    String code,
    String display,
    String role,
    Instant performedAt) {}
