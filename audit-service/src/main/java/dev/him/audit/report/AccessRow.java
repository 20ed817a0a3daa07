package dev.him.audit.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/** One access as the privacy officer reads it (and as one CSV line). Identifiers only, no PHI. */
@JsonPropertyOrder({
  "eventId",
  "occurredAt",
  "user",
  "roles",
  "client",
  "action",
  "outcome",
  "purposeOfUse",
  "resourceType",
  "resourceId",
  "patientIds",
  "sourceService",
  "correlationId",
  "detail"
})
public record AccessRow(
    String eventId,
    Instant occurredAt,
    String user,
    String roles,
    String client,
    String action,
    String outcome,
    String purposeOfUse,
    String resourceType,
    String resourceId,
    /** Space-separated: one CSV column. */
    String patientIds,
    String sourceService,
    String correlationId,
    String detail) {}
