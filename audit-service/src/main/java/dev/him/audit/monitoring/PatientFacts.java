package dev.him.audit.monitoring;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** records-service's privacy facts of a patient (GET /api/records/patients/{id}/privacy-facts). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PatientFacts(
    String patientId,
    List<String> familyNames,
    List<StreetAddress> addresses,
    boolean vip,
    List<String> securityCodes,
    boolean deceased,
    /** FHIR dateTime: a year, a month, a day or an instant; null when only deceasedBoolean. */
    String deceasedAt,
    List<String> encounterPractitionerIds) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record StreetAddress(String line, String postalCode) {}

  List<String> families() {
    return familyNames == null ? List.of() : familyNames;
  }

  List<StreetAddress> streets() {
    return addresses == null ? List.of() : addresses;
  }

  List<String> codes() {
    return securityCodes == null ? List.of() : securityCodes;
  }

  List<String> practitioners() {
    return encounterPractitionerIds == null ? List.of() : encounterPractitionerIds;
  }
}
