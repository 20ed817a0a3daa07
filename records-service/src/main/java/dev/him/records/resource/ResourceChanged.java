package dev.him.records.resource;

import org.hl7.fhir.r4.model.Resource;

/**
 * Fired (synchronously, inside the writing transaction) after a non-Patient resource was created,
 * updated or deleted, so features such as chart deficiencies and domain events react in the same
 * transaction as the change: their rows and events exist if and only if the change does.
 *
 * @param method POST, PUT or DELETE
 * @param previous the version before this change, or null for a create
 */
public record ResourceChanged(
    String type,
    String id,
    int versionId,
    String patientId,
    Resource resource,
    Resource previous,
    String method) {}
