package dev.him.records.deficiency;

/**
 * What a queue request asks for, already checked.
 *
 * @param status open, closed or all
 * @param delinquent null for either
 */
public record DeficiencyQuery(
    String practitionerId,
    boolean unassigned,
    String patientId,
    String encounterId,
    String status,
    Boolean delinquent,
    int count,
    int offset) {}
