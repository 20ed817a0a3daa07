package dev.him.requests.records;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.InvalidParam;
import dev.him.common.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.oidc.client.OidcClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;

/**
 * Reads patients and records from records-service with the service's own account. Failures come out
 * as problem+json the caller can act on: 502 when records-service refused the service account, 503
 * (with Retry-After semantics in the text) when it is down, slow or the circuit is open.
 */
@ApplicationScoped
public class RecordsClient {
  // Building a FhirContext scans the whole R4 model (about a second): once per JVM.
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Inject RecordsCalls calls;
  @Inject RequestContext request;

  /** Patient search in records-service (the MPI); any parameter may be null. */
  public Bundle searchPatients(
      String family, String given, String birthDate, String identifier, int count) {
    String json =
        call(() -> calls.searchPatients(family, given, birthDate, identifier, count, requestId()));
    return parser().parseResource(Bundle.class, json);
  }

  /** The patient, or empty when records-service does not know it (404) or it was deleted (410). */
  public Optional<Patient> readPatient(String id) {
    try {
      return Optional.of(
          parser().parseResource(Patient.class, call(() -> calls.readPatient(id, requestId()))));
    } catch (NotFound e) {
      return Optional.empty();
    }
  }

  /**
   * The patient's whole record ($everything) as this service's account may see it.
   *
   * @param purposeOfUse sent as X-Purpose-Of-Use (HL7 PurposeOfUse code); records-service opens
   *     sensitive categories by role and purpose
   */
  public Bundle everything(String patientId, String purposeOfUse) {
    String json = call(() -> calls.everything(patientId, purposeOfUse, requestId()));
    return parser().parseResource(Bundle.class, json);
  }

  public static FhirContext fhir() {
    return FHIR;
  }

  private static IParser parser() {
    return FHIR.newJsonParser();
  }

  private String requestId() {
    try {
      return request.requestId();
    } catch (ContextNotActiveException e) {
      return null; // a scheduled job: records-service makes its own id
    }
  }

  private static String call(java.util.function.Supplier<String> call) {
    try {
      return call.get();
    } catch (RecordsRefusal e) {
      if (e.status == 404 || e.status == 410) {
        throw new NotFound();
      }
      throw new ProblemException(
          502,
          "records-service refused",
          "records-service answered "
              + e.status
              + " to this service's account; check the requests-service client and its roles",
          List.of(new InvalidParam("records-service", "answered " + e.status)));
    } catch (OidcClientException e) {
      Log.warnf("no token for the requests-service account: %s", e.getMessage());
      throw new ProblemException(
          502,
          "No service token",
          "requests-service could not obtain its token (client credentials) from Keycloak",
          List.of(new InvalidParam("records-service", "no token for the service account")));
    } catch (CircuitBreakerOpenException e) {
      throw unavailable("records-service failed repeatedly; calls are paused for a short while");
    } catch (RuntimeException e) {
      // timeouts, connection failures and 5xx after the retries; the message names no patient
      Log.warnf("records-service call failed: %s", e.getClass().getName());
      Log.debug("records-service failure", e);
      throw unavailable("records-service did not answer in time or failed; try again shortly");
    }
  }

  private static ProblemException unavailable(String detail) {
    return new ProblemException(
        503,
        "records-service unavailable",
        detail,
        List.of(new InvalidParam("records-service", "unavailable")));
  }

  private static final class NotFound extends RuntimeException {
    NotFound() {
      super(null, null, false, false);
    }
  }
}
