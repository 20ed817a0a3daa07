package dev.him.requests.records;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The calls to records-service with their fault tolerance: a slow or failing records-service makes
 * a request wait at most the timeout per try, is retried twice with jittered back-off, and once
 * half of the last calls failed the circuit opens for 30 s so the ROI desk gets a fast, clear "try
 * again" instead of piling up threads. A refusal (4xx) is an answer, not a failure: it is neither
 * retried nor counted. Values can be tuned per method with MicroProfile Fault Tolerance config keys
 * (dev.him.requests.records.RecordsCalls/everything/Timeout/value, in ms, ...).
 */
@ApplicationScoped
class RecordsCalls {
  @Inject @RestClient RecordsApi api;

  @Timeout(5000)
  @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = RecordsRefusal.class)
  @CircuitBreaker(
      requestVolumeThreshold = 8,
      failureRatio = 0.5,
      delay = 30000,
      skipOn = RecordsRefusal.class)
  String searchPatients(
      String family,
      String given,
      String birthDate,
      String identifier,
      Integer count,
      String requestId) {
    try {
      return api.searchPatients(family, given, birthDate, identifier, count, requestId);
    } catch (WebApplicationException e) {
      throw RecordsRefusal.orRethrow(e);
    }
  }

  @Timeout(5000)
  @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = RecordsRefusal.class)
  @CircuitBreaker(
      requestVolumeThreshold = 8,
      failureRatio = 0.5,
      delay = 30000,
      skipOn = RecordsRefusal.class)
  String readPatient(String id, String requestId) {
    try {
      return api.readPatient(id, requestId);
    } catch (WebApplicationException e) {
      throw RecordsRefusal.orRethrow(e);
    }
  }

  // A whole record can run to thousands of resources: a longer timeout per try.
  @Timeout(20000)
  @Retry(maxRetries = 2, delay = 500, jitter = 200, abortOn = RecordsRefusal.class)
  @CircuitBreaker(
      requestVolumeThreshold = 8,
      failureRatio = 0.5,
      delay = 30000,
      skipOn = RecordsRefusal.class)
  String everything(String id, String purposeOfUse, String requestId) {
    try {
      return api.everything(id, purposeOfUse, requestId);
    } catch (WebApplicationException e) {
      throw RecordsRefusal.orRethrow(e);
    }
  }
}
