package dev.him.requests.roi;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.events.v1.AccessAction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who works on a request: the work queue filters on it (assignee=user or unassigned). */
@Path("/api/requests/roi/{id}/assignee")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Release of information")
public class AssignmentResource {
  @Inject Assignments assignments;

  @PUT
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = RoiRequestService.RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Assign a request, or unassign it",
      description =
          "{\"assignee\": \"user\"} assigns; null or absent unassigns. Kept in the history"
              + " (event ASSIGNED / UNASSIGNED). Not for final requests (409). Roles:"
              + " roi-specialist, him-admin.")
  @APIResponse(responseCode = "200", description = "The request with its assignee and history")
  @APIResponse(responseCode = "400", description = "assignee is not a user name")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(responseCode = "409", description = "The request is final")
  public RoiRequestView assign(
      @PathParam("id") @Parameter(description = "Request id") String id,
      @Valid AssigneeChange body) {
    return assignments.assign(RequestIds.parse(id), body == null ? null : body.assignee());
  }
}
