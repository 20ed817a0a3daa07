package dev.him.audit.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The privacy officer's alert queue: what the privacy rules flagged, taken up (OPEN →
 * INVESTIGATING, assigned to the caller) and closed with a disposition. him-admin may read it.
 * Changes accept If-Match with the alert's version; the ETag of an answer carries it.
 */
@Path("/api/audit/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Privacy alerts", description = "Privacy monitoring: the alert queue")
public class AlertResource {
  @Inject PrivacyAlerts alerts;
  @Inject SecurityIdentity identity;
  @Inject ObjectMapper json;
  @Context UriInfo uri;

  @GET
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @AuditedAccess(resourceType = PrivacyAlerts.ALERT, action = AccessAction.SEARCH)
  @Operation(
      summary = "The alert queue",
      description =
          "Newest access first. Filters (optional, combined with and): status (OPEN,"
              + " INVESTIGATING, CLOSED), rule, user, patient, from and to (when the access"
              + " happened: a day, to included, or an instant). count 1..200 (default 50), offset."
              + " Roles: privacy-officer, him-admin (read only).")
  @APIResponse(responseCode = "200", description = "{total, count, offset, alerts}")
  @APIResponse(responseCode = "400", description = "A filter is wrong (problem+json naming it)")
  public AlertPage list() {
    return alerts.page(AlertQuery.of(uri.getQueryParameters()));
  }

  @GET
  @Path("{id}")
  @RolesAllowed({Roles.PRIVACY, Roles.ADMIN})
  @AuditedAccess(resourceType = PrivacyAlerts.ALERT, action = AccessAction.READ)
  @Operation(
      summary = "One alert",
      description =
          "With its evidence, its history and the access log query that lists its entry"
              + " (auditEntries). Roles: privacy-officer, him-admin.")
  @APIResponse(responseCode = "200", description = "The alert; ETag carries its version")
  @APIResponse(responseCode = "404", description = "No such alert")
  public Response get(@PathParam("id") String id) {
    return withTag(alerts.get(alertId(id)));
  }

  @POST
  @Path("{id}/investigation")
  @RolesAllowed(Roles.PRIVACY)
  @AuditedAccess(resourceType = PrivacyAlerts.ALERT, action = AccessAction.UPDATE)
  @Operation(
      summary = "Take an alert up",
      description =
          "OPEN → INVESTIGATING, assigned to the caller; the body is optional: {note} (JSON)."
              + " Role: privacy-officer.")
  @APIResponse(responseCode = "200", description = "The alert")
  @APIResponse(responseCode = "400", description = "The body is not {note}")
  @APIResponse(responseCode = "404", description = "No such alert")
  @APIResponse(responseCode = "409", description = "The alert is not OPEN")
  @APIResponse(responseCode = "412", description = "If-Match names another version")
  public Response investigate(
      @PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, String body) {
    // an action without a body is the usual call: no Content-Type needed
    Investigation investigation = null;
    if (body != null && !body.isBlank()) {
      try {
        investigation = json.readValue(body, Investigation.class);
      } catch (JsonProcessingException e) {
        throw ProblemException.badRequest("note", "the body is {\"note\": \"...\"} or empty");
      }
    }
    return withTag(
        alerts.investigate(
            alertId(id),
            caller(),
            investigation == null ? null : investigation.note(),
            version(ifMatch)));
  }

  @POST
  @Path("{id}/closure")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.PRIVACY)
  @AuditedAccess(resourceType = PrivacyAlerts.ALERT, action = AccessAction.UPDATE)
  @Operation(
      summary = "Close an alert",
      description =
          "{disposition, note}: disposition FALSE_POSITIVE, JUSTIFIED, VIOLATION_CONFIRMED,"
              + " REFERRED or DUPLICATE; note required for VIOLATION_CONFIRMED and REFERRED."
              + " From OPEN or INVESTIGATING. Role: privacy-officer.")
  @APIResponse(responseCode = "200", description = "The closed alert")
  @APIResponse(responseCode = "400", description = "disposition or note wrong (naming it)")
  @APIResponse(responseCode = "404", description = "No such alert")
  @APIResponse(responseCode = "409", description = "The alert is closed already")
  @APIResponse(responseCode = "412", description = "If-Match names another version")
  public Response close(
      @PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, Closure body) {
    return withTag(alerts.close(alertId(id), caller(), body, version(ifMatch)));
  }

  private String caller() {
    return identity.getPrincipal().getName();
  }

  private static Response withTag(AlertView alert) {
    return Response.ok(alert).tag(new EntityTag(String.valueOf(alert.version()), true)).build();
  }

  private static UUID alertId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Alert " + id + " is not known");
    }
  }

  /** If-Match: 3, "3" or W/"3"; absent means no check. */
  private static Integer version(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
      return null;
    }
    String v = ifMatch.strip().replaceFirst("^W/", "").replace("\"", "");
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw ProblemException.badRequest("If-Match", "the alert's version, e.g. W/\"0\"");
    }
  }
}
