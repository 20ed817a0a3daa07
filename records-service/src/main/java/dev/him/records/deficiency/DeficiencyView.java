package dev.him.records.deficiency;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A deficiency as the queue shows it.
 *
 * @param ageDays whole days since discharge (in him.deficiency.time-zone)
 * @param delinquent open and on or after delinquentOn
 * @param description the rule's description, null if the rule left the rules file
 */
public record DeficiencyView(
    UUID id,
    String ruleCode,
    String description,
    String severity,
    String status,
    String patientId,
    String encounterId,
    String documentId,
    String responsiblePractitionerId,
    Instant openedAt,
    Instant dischargedAt,
    LocalDate delinquentOn,
    long ageDays,
    boolean delinquent,
    Instant closedAt,
    String resolution,
    String closedBy,
    String waiveReason) {}
