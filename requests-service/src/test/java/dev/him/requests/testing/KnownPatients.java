package dev.him.requests.testing;

import java.util.List;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Patient;

/**
 * Patients made known to RecordsServiceStub: intake checks a given patientId in records-service, so
 * a test that logs a request for an id puts that patient in first.
 */
public final class KnownPatients {
  private KnownPatients() {}

  /** A patient with this id (name and birth date of no interest to the test); returns the id. */
  public static String known(String patientId) {
    Patient p = new Patient();
    p.setId(patientId);
    p.addName(RecordsServiceStub.name("Known-" + patientId, "Test"));
    p.setBirthDateElement(new DateType("1980-01-01"));
    RecordsServiceStub.put(p, List.of());
    return patientId;
  }
}
