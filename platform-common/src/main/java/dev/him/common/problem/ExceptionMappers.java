package dev.him.common.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.him.common.access.AccessRecorder;
import dev.him.common.access.AuditedAccess;
import dev.him.common.access.RequestContext;
import dev.him.events.v1.AccessOutcome;
import dev.him.events.v1.Actor;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place errors become responses, for every service: problem+json on /api, an
 * OperationOutcome on /fhir. Messages name the field and the reason; stack traces and class names
 * never leave the service. Refused access to patient data is recorded as an access event.
 */
public class ExceptionMappers {
  private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);

  @Inject RequestContext context;
  @Inject Instance<AccessRecorder> accessRecorder;

  @ServerExceptionMapper
  public Response problem(ProblemException e, HttpServerRequest request) {
    return respond(request, e.status(), e.title(), e.getMessage(), e.invalidParams());
  }

  @ServerExceptionMapper
  public Response constraintViolation(ConstraintViolationException e, HttpServerRequest request) {
    List<InvalidParam> params =
        e.getConstraintViolations().stream()
            .map(v -> new InvalidParam(fieldName(v), v.getMessage()))
            .sorted(Comparator.comparing(InvalidParam::name))
            .toList();
    String detail =
        params.stream()
            .map(p -> p.name() + " " + p.reason())
            .reduce((a, b) -> a + "; " + b)
            .orElse("");
    return respond(request, 400, "Invalid request", detail, params);
  }

  @ServerExceptionMapper
  public Response malformedJson(JsonParseException e, HttpServerRequest request) {
    var loc = e.getLocation();
    String where =
        loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    return respond(request, 400, "Malformed JSON", "The body is not valid JSON" + where, List.of());
  }

  @ServerExceptionMapper
  public Response jsonMapping(JsonMappingException e, HttpServerRequest request) {
    String field = jsonPath(e);
    String reason;
    if (e instanceof UnrecognizedPropertyException) {
      reason = "is not a known field";
    } else if (e instanceof InvalidFormatException ife) {
      reason = "has an invalid value";
      if (ife.getTargetType() != null && ife.getTargetType().isEnum()) {
        reason +=
            "; allowed: "
                + String.join(
                    ", ",
                    java.util.Arrays.stream(ife.getTargetType().getEnumConstants())
                        .map(Object::toString)
                        .toList());
      }
    } else {
      reason = "has the wrong type or is missing";
    }
    if (field.isEmpty()) {
      return respond(
          request, 400, "Invalid request", "The body does not have the expected shape", List.of());
    }
    return respond(
        request,
        400,
        "Invalid request",
        field + " " + reason,
        List.of(new InvalidParam(field, reason)));
  }

  /**
   * Quarkus REST's JSON reader rethrows MismatchedInputException (bad enum, wrong type, bad date)
   * and has a built-in mapper for it that answers without naming the field; this one goes first.
   */
  @ServerExceptionMapper(priority = Priorities.USER - 100)
  public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
    return jsonMapping(e, request);
  }

  @ServerExceptionMapper
  public Response otherJson(JsonProcessingException e, HttpServerRequest request) {
    return respond(request, 400, "Malformed JSON", "The body is not valid JSON", List.of());
  }

  @ServerExceptionMapper
  public Uni<Response> unauthorized(
      UnauthorizedException e, HttpServerRequest request, ResourceInfo resource, UriInfo uri) {
    return recordDenied(
        AccessOutcome.UNAUTHENTICATED,
        resource,
        uri,
        respond(request, 401, "Unauthorized", "A valid bearer token is required", List.of()));
  }

  @ServerExceptionMapper
  public Uni<Response> authenticationFailed(
      AuthenticationFailedException e,
      HttpServerRequest request,
      ResourceInfo resource,
      UriInfo uri) {
    return recordDenied(
        AccessOutcome.UNAUTHENTICATED,
        resource,
        uri,
        respond(
            request,
            401,
            "Unauthorized",
            "The bearer token is missing, expired or invalid",
            List.of()));
  }

  @ServerExceptionMapper
  public Uni<Response> forbidden(
      ForbiddenException e, HttpServerRequest request, ResourceInfo resource, UriInfo uri) {
    return recordDenied(
        AccessOutcome.FORBIDDEN,
        resource,
        uri,
        respond(request, 403, "Forbidden", "Your roles do not allow this operation", List.of()));
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, HttpServerRequest request) {
    int status = e.getResponse().getStatus();
    // the JSON reader wraps parse errors in a plain 400: answer with where the JSON broke
    if (status == 400 && e.getCause() instanceof JsonParseException parse) {
      return malformedJson(parse, request);
    }
    if (status == 400 && e.getCause() instanceof JsonMappingException mapping) {
      return jsonMapping(mapping, request);
    }
    if (status >= 500) {
      LOG.errorf(e, "request %s failed", context.requestId());
      return respond(
          request, status, "Internal error", "The request could not be completed", List.of());
    }
    Response.Status known = Response.Status.fromStatusCode(status);
    String title = known == null ? "Error" : known.getReasonPhrase();
    String detail =
        switch (status) {
          case 404 -> "No resource at " + request.path();
          case 405 -> "Method " + request.method() + " is not allowed here";
          case 406 -> "The requested representation is not available";
          case 415 -> "Send the body as application/json";
          default -> title;
        };
    return respond(request, status, title, detail, List.of());
  }

  @ServerExceptionMapper(priority = 5000)
  public Response unexpected(Throwable e, HttpServerRequest request) {
    // Logged with the correlation id only; the exception message may quote patient data.
    LOG.errorf("request %s failed with %s", context.requestId(), e.getClass().getName());
    LOG.debug("stack trace", e);
    return respond(
        request,
        500,
        "Internal error",
        "The request could not be completed; quote request id " + context.requestId(),
        List.of());
  }

  private Response respond(
      HttpServerRequest request,
      int status,
      String title,
      String detail,
      List<InvalidParam> params) {
    return ErrorResponses.build(request.path(), status, title, detail, params, context.requestId());
  }

  /**
   * Records a refused access to patient data, then answers. The security check may fail on the I/O
   * thread, so the database write runs on a worker; the caller's details are taken first, while the
   * request context is still at hand.
   */
  private Uni<Response> recordDenied(
      AccessOutcome outcome, ResourceInfo resource, UriInfo uri, Response response) {
    Method method = resource == null ? null : resource.getResourceMethod();
    AuditedAccess audited = method == null ? null : method.getAnnotation(AuditedAccess.class);
    if (audited == null || !accessRecorder.isResolvable()) {
      return Uni.createFrom().item(response);
    }
    String id = uri.getPathParameters().getFirst(audited.idParam());
    // "{type}" names the path parameter that holds the resource type (generic FHIR endpoints)
    String type = audited.resourceType();
    if (type.startsWith("{") && type.endsWith("}")) {
      type = uri.getPathParameters().getFirst(type.substring(1, type.length() - 1));
    }
    String resourceType = type;
    List<String> patients = id != null && "Patient".equals(type) ? List.of(id) : List.of();
    Actor actor = context.actor();
    String requestId = context.requestId();
    String purpose = context.purposeOfUse();
    AccessRecorder recorder = accessRecorder.get();
    return Uni.createFrom()
        .item(
            () -> {
              try {
                recorder.denied(
                    actor,
                    requestId,
                    purpose,
                    outcome,
                    audited.action(),
                    resourceType,
                    id,
                    patients);
              } catch (RuntimeException e) {
                LOG.errorf(
                    "could not record refused access for request %s: %s",
                    requestId, e.getClass().getName());
              }
              return response;
            })
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  private static String fieldName(ConstraintViolation<?> v) {
    StringBuilder name = new StringBuilder();
    String parameter = null;
    for (Path.Node node : v.getPropertyPath()) {
      if (node.getKind() == ElementKind.PARAMETER) {
        parameter = node.getName();
        continue;
      }
      if (node.getKind() == ElementKind.METHOD) {
        continue;
      }
      if (node.getIndex() != null && name.length() > 0) {
        name.append('[').append(node.getIndex()).append(']');
      }
      if (node.getName() != null) {
        if (name.length() > 0) name.append('.');
        name.append(node.getName());
      }
    }
    if (name.length() > 0) {
      return name.toString();
    }
    return parameter != null ? parameter : "body";
  }

  private static String jsonPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) path.append('.');
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
