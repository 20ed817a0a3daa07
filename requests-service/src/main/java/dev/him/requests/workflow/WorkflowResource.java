package dev.him.requests.workflow;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.events.v1.AccessAction;
import dev.him.requests.roi.RequestIds;
import dev.him.requests.roi.RoiRequestView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The workflow of a release-of-information request: one endpoint for every move (the body names the
 * target state) and one for the right-of-access extension. The work queue is GET /api/requests/roi
 * (RoiRequestResource).
 */
@Path("/api/requests/roi")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Release of information")
public class WorkflowResource {
  static final String RESOURCE_TYPE = WorkflowService.RESOURCE_TYPE;

  @Inject WorkflowService workflow;

  @POST
  @Path("{id}/transitions")
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Move a request to its next state",
      description =
          "RECEIVED → IDENTITY_VERIFIED (identityMethod required) → BASIS_VALIDATED (legal basis"
              + " must check valid) → IN_PROCESSING → QUALITY_REVIEW → RELEASED (basis checked"
              + " again); DENIED (reason for the requester) or CANCELLED (reason) from any open"
              + " state. If-Match must carry the version read. Roles: the steps roi-specialist;"
              + " RELEASED, DENIED, CANCELLED roi-specialist or him-admin.")
  @APIResponse(responseCode = "200", description = "Moved; the request with its history and ETag")
  @APIResponse(responseCode = "400", description = "Invalid fields (reason, identityMethod, to)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "The caller's roles may not make this move")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(
      responseCode = "409",
      description =
          "Not allowed from the current state (invalid-params 'to' lists the allowed next"
              + " states), the legal basis has defects (one invalid-param per defect), or a"
              + " concurrent change")
  @APIResponse(responseCode = "412", description = "If-Match names an old version")
  @APIResponse(responseCode = "428", description = "If-Match missing")
  public Response transition(
      @PathParam("id") @Parameter(description = "Request id") String id,
      @HeaderParam("If-Match") @Parameter(description = "The version read, e.g. \"3\"")
          String ifMatch,
      @Valid @NotNull TransitionRequest body) {
    RoiRequestView moved =
        workflow.transition(RequestIds.parse(id), IfMatch.required(ifMatch), body);
    return ok(moved);
  }

  @POST
  @Path("{id}/extension")
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Record the one right-of-access extension",
      description =
          "Right of access only (45 CFR 164.524(b)(2)): once, with a written notice sent on or"
              + " before the original due date (day 30), and a new due date after the original"
              + " and at most 30 days after it. If-Match optional. Roles: roi-specialist,"
              + " him-admin.")
  @APIResponse(responseCode = "200", description = "Extended; the request with its new dueOn")
  @APIResponse(
      responseCode = "400",
      description = "reason, noticeSentOn or newDueOn wrong (invalid-params names each)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(
      responseCode = "409",
      description = "Already extended, another basis, or a final request (invalid-params names it)")
  @APIResponse(responseCode = "412", description = "If-Match names an old version")
  public Response extend(
      @PathParam("id") @Parameter(description = "Request id") String id,
      @HeaderParam("If-Match") String ifMatch,
      @Valid @NotNull ExtensionNotice body) {
    return ok(workflow.extend(RequestIds.parse(id), IfMatch.optional(ifMatch), body));
  }

  public static Response ok(RoiRequestView view) {
    return Response.ok(view).tag(new EntityTag(Long.toString(view.version()))).build();
  }
}
