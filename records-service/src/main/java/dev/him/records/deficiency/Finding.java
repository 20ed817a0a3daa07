package dev.him.records.deficiency;

/**
 * What a rule found on a chart: a deficiency of the encounter, or of one of its documents.
 *
 * @param documentId the document it concerns, or null for the encounter as a whole
 * @param responsiblePractitionerId whose queue it goes to; null for the unassigned queue
 */
public record Finding(String documentId, String responsiblePractitionerId) {}
