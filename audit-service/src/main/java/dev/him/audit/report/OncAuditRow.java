package dev.him.audit.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * One line of the ONC 170.315(d)(3) audit report: the ASTM E2147-18 data elements that
 * 170.315(d)(2) cites (date and time, patient, user, type of action, the patient data accessed)
 * plus the outcome and where the access came from. Identifiers only, no PHI.
 *
 * @param kind access, audit-settings-change or audit-logging-status
 * @param patientIds space-separated (one CSV column)
 * @param actionType the ASTM E2147 type of action: addition, change, deletion, query (view), query
 *     (search), copy (export)
 * @param action the log's own action (CREATE, READ, SEARCH, UPDATE, DELETE)
 * @param client the OAuth client the user came through
 * @param sourceService the service that recorded the access
 * @param eventId the entry's event id (unique in the log)
 */
@JsonPropertyOrder({
  "dateTime",
  "kind",
  "patientIds",
  "user",
  "roles",
  "actionType",
  "action",
  "resourceType",
  "resourceId",
  "outcome",
  "client",
  "sourceService",
  "purposeOfUse",
  "detail",
  "eventId"
})
public record OncAuditRow(
    Instant dateTime,
    String kind,
    String patientIds,
    String user,
    String roles,
    String actionType,
    String action,
    String resourceType,
    String resourceId,
    String outcome,
    String client,
    String sourceService,
    String purposeOfUse,
    String detail,
    UUID eventId) {}
