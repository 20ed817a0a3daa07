package dev.him.common.access;

import dev.him.common.outbox.Outbox;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import dev.him.events.v1.Topics;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records access events through the outbox. Successful accesses join the caller's transaction, so
 * the event exists exactly when the access did; refusals get their own transaction.
 */
@ApplicationScoped
@IfBuildProperty(name = "him.outbox.enabled", stringValue = "true")
public class AccessRecorder {

  @Inject Outbox outbox;
  @Inject RequestContext request;

  @ConfigProperty(name = "quarkus.application.name")
  String serviceName;

  @Transactional(Transactional.TxType.MANDATORY)
  public AccessEvent success(
      AccessAction action,
      String resourceType,
      String resourceId,
      List<String> patientIds,
      String detail) {
    return publish(action, resourceType, resourceId, patientIds, AccessOutcome.SUCCESS, detail);
  }

  /**
   * A refused attempt, in its own transaction. Takes the caller explicitly because refusals are
   * recorded off the request thread (security checks may fail on the I/O thread).
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public AccessEvent denied(
      Actor actor,
      String requestId,
      String purposeOfUse,
      AccessOutcome outcome,
      AccessAction action,
      String resourceType,
      String resourceId,
      List<String> patientIds) {
    return publish(
        new AccessEvent(
            UUID.randomUUID(),
            AccessEvent.TYPE,
            AccessEvent.VERSION,
            Instant.now(),
            actor,
            action,
            resourceType,
            resourceId,
            patientIds,
            outcome,
            purposeOfUse,
            requestId,
            serviceName,
            null));
  }

  private AccessEvent publish(
      AccessAction action,
      String resourceType,
      String resourceId,
      List<String> patientIds,
      AccessOutcome outcome,
      String detail) {
    return publish(
        new AccessEvent(
            UUID.randomUUID(),
            AccessEvent.TYPE,
            AccessEvent.VERSION,
            Instant.now(),
            request.actor(),
            action,
            resourceType,
            resourceId,
            patientIds,
            outcome,
            request.purposeOfUse(),
            request.requestId(),
            serviceName,
            request.breakGlassReason() == null
                ? detail
                : "break-the-glass: "
                    + request.breakGlassReason()
                    + (detail == null ? "" : "; " + detail)));
  }

  private AccessEvent publish(AccessEvent event) {
    outbox.add(
        Topics.ACCESS_EVENTS,
        event.partitionKey(),
        event.eventId(),
        event.eventType(),
        event.eventVersion(),
        event);
    return event;
  }
}
