package dev.him.audit.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An alert as the privacy officer reads it. The access it is about is audit entry (chainId, seq),
 * event eventId; auditEntries is the access log query that lists it, inclusionProof the proof that
 * the entry is in the signed log (evidence for a sanction). History only in the detail.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertView(
    UUID id,
    Rule rule,
    AlertStatus status,
    Disposition disposition,
    String user,
    String patientId,
    UUID eventId,
    int chainId,
    long seq,
    Instant occurredAt,
    JsonNode evidence,
    Instant createdAt,
    String assignee,
    String notes,
    String closedBy,
    Instant closedAt,
    int version,
    String auditEntries,
    String inclusionProof,
    List<Change> history) {

  /** One change of the alert. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Change(
      Instant at,
      String by,
      String action,
      AlertStatus from,
      AlertStatus to,
      Disposition disposition,
      String note) {}

  AlertView withHistory(List<Change> changes) {
    return new AlertView(
        id,
        rule,
        status,
        disposition,
        user,
        patientId,
        eventId,
        chainId,
        seq,
        occurredAt,
        evidence,
        createdAt,
        assignee,
        notes,
        closedBy,
        closedAt,
        version,
        auditEntries,
        inclusionProof,
        changes);
  }
}
