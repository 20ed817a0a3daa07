package dev.him.records.deficiency;

/**
 * A practitioner's open deficiencies.
 *
 * @param practitionerId null for the unassigned queue
 * @param oldestAgeDays days since the earliest discharge among them
 */
public record QueueSummary(String practitionerId, long open, long delinquent, long oldestAgeDays) {}
