package dev.him.requests.roi;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.intake.PatientMatcher;
import dev.him.requests.workflow.QueuePage;
import dev.him.requests.workflow.WorkQueue;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Release-of-information requests: logging one on receipt and reading it back. */
@Path("/api/requests/roi")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Release of information",
    description =
        "Requests for a patient's records: right of access, authorizations, legal process")
public class RoiRequestResource {
  static final String ROLES_NOTE = "Roles: roi-specialist, him-admin.";

  @Inject RoiRequestService requests;
  @Inject PatientMatcher matcher;
  @Inject WorkQueue queue;
  @Context UriInfo uri;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = RoiRequestService.RESOURCE_TYPE, action = AccessAction.CREATE)
  @Operation(
      summary = "Log a release-of-information request",
      description =
          "Stores the request as RECEIVED with dueOn = receivedOn + him.roi.response-days (30,"
              + " 45 CFR 164.524) or him.roi.due-days.<basis>. deliveryFormat defaults to"
              + " ELECTRONIC; delivery.method must fit it and carry its destination. The patient"
              + " is given by patientId (checked in records-service; unknown is 400) or described"
              + " (patient.family, given, birthDate, identifier) and matched: one candidate"
              + " agreeing on every field is linked (EXACT), anything else NEEDS_REVIEW; when"
              + " records-service is unavailable the request is stored with PENDING. "
              + ROLES_NOTE)
  @APIResponse(responseCode = "201", description = "Created; Location points to the request")
  @APIResponse(
      responseCode = "400",
      description = "Malformed JSON or invalid fields (problem+json naming each field)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public Response create(@Valid @NotNull NewRoiRequest body) {
    // Outside the transaction: records-service may take seconds; when it is down the request is
    // still logged, with the match PENDING.
    PatientMatcher.Outcome match = matcher.match(body.patientId(), body.patient());
    RoiRequestView created = requests.create(body, match);
    URI location = uri.getBaseUriBuilder().path("api/requests/roi/{id}").build(created.id());
    return Response.created(location).entity(created).build();
  }

  @GET
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(
      resourceType = RoiRequestService.RESOURCE_TYPE,
      action = AccessAction.SEARCH,
      idParam = "none")
  @Operation(
      summary = "The work queue",
      description =
          "Requests sorted by due date, oldest first. status may repeat (or be comma-separated);"
              + " dueState is due (open, not past due), at-risk (open, due within"
              + " him.roi.at-risk-days, today included) or overdue (open, past due); final"
              + " requests (RELEASED, DENIED, CANCELLED) are never in a due state. count 1..100"
              + " (default 20), offset from 0; total is the number matched. assignee is a user"
              + " name or 'unassigned'. "
              + ROLES_NOTE)
  @APIResponse(responseCode = "200", description = "One page with the total")
  @APIResponse(responseCode = "400", description = "A filter or paging value is wrong (named)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public QueuePage queue(
      @QueryParam("status") List<String> status,
      @QueryParam("dueState") String dueState,
      @QueryParam("requestType") String requestType,
      @QueryParam("patientId") String patientId,
      @QueryParam("assignee") String assignee,
      @QueryParam("count") @DefaultValue("20") int count,
      @QueryParam("offset") @DefaultValue("0") int offset) {
    return queue.page(status, dueState, requestType, patientId, assignee, count, offset);
  }

  @GET
  @Path("{id}")
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = RoiRequestService.RESOURCE_TYPE, action = AccessAction.READ)
  @Operation(summary = "Read a release-of-information request", description = ROLES_NOTE)
  @APIResponse(responseCode = "200", description = "The request")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  public RoiRequestView read(@PathParam("id") @Parameter(description = "Request id") String id) {
    UUID known = RequestIds.parse(id);
    return requests
        .read(known)
        .orElseThrow(() -> ProblemException.notFound("RoiRequest/" + known + " is not known"));
  }
}
