package dev.him.records.patient;

import org.hl7.fhir.r4.model.Patient;

/**
 * Fired (synchronously, inside the writing transaction) after a patient was registered or updated,
 * so that the master patient index can look for possible duplicates in the same transaction.
 *
 * @param method POST or PUT
 */
public record PatientChanged(String patientId, int versionId, Patient patient, String method) {}
