package dev.him.events.v1;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One access to patient data (or a refused attempt). Published by the service that served the
 * request, consumed by audit-service into the tamper-evident log.
 *
 * <p>Carries no PHI beyond identifiers: search parameter <em>names</em> go in {@code detail}, never
 * their values.
 *
 * @param eventId unique; consumers use it to apply each event once
 * @param patientIds the patients whose data was touched (several for a search)
 * @param resourceId null for a search or a create that failed
 * @param purposeOfUse the caller's declared purpose (X-Purpose-Of-Use), if any
 * @param correlationId the X-Request-Id of the request, shared by every hop
 * @param sourceService the service that recorded the event
 */
public record AccessEvent(
    UUID eventId,
    String eventType,
    int eventVersion,
    Instant occurredAt,
    Actor actor,
    AccessAction action,
    String resourceType,
    String resourceId,
    List<String> patientIds,
    AccessOutcome outcome,
    String purposeOfUse,
    String correlationId,
    String sourceService,
    String detail) {

  public static final String TYPE = "AccessEvent";
  public static final int VERSION = 1;

  public AccessEvent {
    patientIds = patientIds == null ? List.of() : List.copyOf(patientIds);
  }

  /** Kafka key: the first patient, so that one patient's events stay in order. */
  public String partitionKey() {
    return patientIds.isEmpty() ? resourceId : patientIds.get(0);
  }
}
