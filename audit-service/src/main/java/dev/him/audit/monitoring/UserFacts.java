package dev.him.audit.monitoring;

/**
 * A user as Keycloak knows them: family name, street address, the Practitioner they are and the
 * Patient they are (if they are also a patient). Any may be null. Kept in memory only.
 */
public record UserFacts(
    String username,
    boolean known,
    String lastName,
    String street,
    String postalCode,
    String practitionerId,
    String patientId) {

  static UserFacts unknown(String username) {
    return new UserFacts(username, false, null, null, null, null, null);
  }
}
