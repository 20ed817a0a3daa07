package dev.him.gateway.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.common.access.RequestContext;
import dev.him.common.problem.ErrorResponses;
import dev.him.events.v1.AccessAction;
import dev.him.events.v1.AccessEvent;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Requests refused at the gateway (no valid token) never reach a service, so the gateway records
 * them itself. It has no database and changes nothing, so there is no dual write to guard against:
 * the event goes to Kafka directly, with the producer's retries, after the answer.
 */
public class DeniedAccessMappers {
  private static final Logger LOG = Logger.getLogger(DeniedAccessMappers.class);

  @Inject RequestContext context;
  @Inject ObjectMapper json;

  @Inject
  @Channel("denied-access")
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
  Emitter<String> events;

  @ServerExceptionMapper(priority = Priorities.USER - 100)
  public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
    return refuse(request, "A valid bearer token is required");
  }

  @ServerExceptionMapper(priority = Priorities.USER - 100)
  public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
    return refuse(request, "The bearer token is missing, expired or invalid");
  }

  private Response refuse(HttpServerRequest request, String detail) {
    PatientDataPath target = PatientDataPath.parse(request.method().name(), request.path());
    if (target != null) {
      publish(target);
    }
    return ErrorResponses.build(
        request.path(), 401, "Unauthorized", detail, List.of(), context.requestId());
  }

  private void publish(PatientDataPath target) {
    AccessEvent event =
        new AccessEvent(
            UUID.randomUUID(),
            AccessEvent.TYPE,
            AccessEvent.VERSION,
            Instant.now(),
            Actor.anonymous(),
            target.action(),
            target.resourceType(),
            target.resourceId(),
            target.patientIds(),
            AccessOutcome.UNAUTHENTICATED,
            context.purposeOfUse(),
            context.requestId(),
            "gateway",
            null);
    try {
      String payload = json.writeValueAsString(event);
      Message<String> message =
          Message.of(payload)
              .addMetadata(
                  OutgoingKafkaRecordMetadata.<String>builder()
                      .withKey(event.partitionKey())
                      .build())
              .withNack(
                  failure -> {
                    LOG.errorf(
                        "refused access %s could not be published: %s",
                        event.eventId(), failure.getClass().getSimpleName());
                    return CompletableFuture.completedFuture(null);
                  });
      events.send(message);
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.errorf(
          "refused access %s could not be published: %s",
          event.eventId(), e.getClass().getSimpleName());
    }
  }

  /** Which patient data a refused request aimed at, judged from its method and path. */
  record PatientDataPath(
      AccessAction action, String resourceType, String resourceId, List<String> patientIds) {

    /** FHIR types served from the code sets (coding-service): no patient data behind them. */
    private static final java.util.Set<String> TERMINOLOGY =
        java.util.Set.of("CodeSystem", "ValueSet");

    static PatientDataPath parse(String method, String path) {
      String[] parts = path.split("/");
      // /fhir/r4/{Type}[/{id}...]
      if (parts.length >= 4 && "fhir".equals(parts[1]) && !TERMINOLOGY.contains(parts[3])) {
        String type = parts[3];
        String id = parts.length >= 5 ? parts[4] : null;
        AccessAction action =
            switch (method) {
              case "POST" -> AccessAction.CREATE;
              case "PUT", "PATCH" -> AccessAction.UPDATE;
              case "DELETE" -> AccessAction.DELETE;
              default -> id == null ? AccessAction.SEARCH : AccessAction.READ;
            };
        List<String> patients = "Patient".equals(type) && id != null ? List.of(id) : List.of();
        return new PatientDataPath(action, type, id, patients);
      }
      // /api/requests/..., /api/records/... and coding cases hold patient data too
      if (parts.length >= 3
          && "api".equals(parts[1])
          && ("requests".equals(parts[2])
              || "records".equals(parts[2])
              || ("coding".equals(parts[2]) && parts.length >= 4 && "cases".equals(parts[3])))) {
        AccessAction action = "GET".equals(method) ? AccessAction.READ : AccessAction.UPDATE;
        return new PatientDataPath(action, "api/" + parts[2], null, List.of());
      }
      return null;
    }
  }
}
