package dev.him.audit.monitoring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The two calls with their fault tolerance: each try waits at most the timeout and is retried
 * twice. "Not found" is an answer (empty), never retried; anything else that fails reaches the
 * monitor, which leaves the chain where it was and tries again on its next run. No circuit breaker:
 * the monitor calls from one thread once a second, it cannot pile up requests.
 */
@ApplicationScoped
class FactsCalls {
  @Inject @RestClient KeycloakUsersApi keycloak;
  @Inject @RestClient RecordsApi records;
  @Inject MonitoringConfig config;

  @Timeout(3000)
  @Retry(maxRetries = 2, delay = 200, jitter = 100)
  Optional<UserFacts> user(String username) {
    List<KeycloakUsersApi.User> found = keycloak.find(config.realm(), username, true);
    MonitoringConfig.Attributes names = config.attributes();
    return found.stream()
        .filter(u -> username.equalsIgnoreCase(u.username()))
        .findFirst()
        .map(
            u ->
                new UserFacts(
                    username,
                    true,
                    u.lastName(),
                    first(u.attributes(), names.street()),
                    first(u.attributes(), names.postalCode()),
                    first(u.attributes(), names.practitionerId()),
                    first(u.attributes(), names.patientId())));
  }

  @Timeout(3000)
  @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = NotFound.class)
  Optional<PatientFacts> patient(String patientId) {
    try {
      return Optional.of(records.facts(patientId, config.purposeOfUse()));
    } catch (WebApplicationException e) {
      int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
      if (status == 404 || status == 410) {
        throw new NotFound();
      }
      throw e;
    }
  }

  private static String first(Map<String, List<String>> attributes, String name) {
    if (attributes == null || attributes.get(name) == null || attributes.get(name).isEmpty()) {
      return null;
    }
    String v = attributes.get(name).get(0);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** records-service does not know the patient: a definite answer. */
  static final class NotFound extends RuntimeException {
    NotFound() {
      super(null, null, false, false);
    }
  }
}
