package dev.him.records.resource;

/**
 * Fired (synchronously, inside the transaction, before anything changes) when a patient or a
 * resource is about to be deleted or destroyed. An observer that must prevent it (a legal hold)
 * throws a ProblemException, which rolls the transaction back and answers the caller.
 *
 * @param patientId the patient the resource belongs to (the patient itself for a Patient), or null
 * @param encounterId the encounter the resource belongs to (itself for an Encounter), or null
 */
public record DeletionRequested(String type, String id, String patientId, String encounterId) {}
