package dev.him.requests.intake;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.roi.RequestIds;
import dev.him.requests.roi.RoiRequestService;
import dev.him.requests.roi.RoiRequestView;
import dev.him.requests.workflow.IfMatch;
import dev.him.requests.workflow.WorkflowResource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The requester's identity, verified as a step of its own. */
@Path("/api/requests/roi/{id}/identity-verification")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Release of information")
public class IdentityVerificationResource {
  @Inject IdentityVerifications verifications;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ROI)
  @AuditedAccess(resourceType = RoiRequestService.RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Record how the requester was verified, and move the request on",
      description =
          "Stores the verification (method, evidence note without full ID numbers, for a"
              + " personal representative the authority document verified; who and when) and"
              + " moves RECEIVED → IDENTITY_VERIFIED in one transaction. If-Match carries the"
              + " version read. Role: roi-specialist.")
  @APIResponse(responseCode = "200", description = "Moved; the request with its history and ETag")
  @APIResponse(
      responseCode = "400",
      description = "method, evidenceNote, authorityDocument or authorityVerified wrong (named)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "Not a roi-specialist")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(responseCode = "409", description = "Already verified, or not RECEIVED")
  @APIResponse(responseCode = "412", description = "If-Match names an old version")
  @APIResponse(responseCode = "428", description = "If-Match missing")
  public Response verify(
      @PathParam("id") @Parameter(description = "Request id") String id,
      @HeaderParam("If-Match") @Parameter(description = "The version read, e.g. \"0\"")
          String ifMatch,
      @Valid @NotNull IdentityEvidence body) {
    RoiRequestView moved =
        verifications.verify(RequestIds.parse(id), IfMatch.required(ifMatch), body);
    return WorkflowResource.ok(moved);
  }

  @GET
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = RoiRequestService.RESOURCE_TYPE, action = AccessAction.READ)
  @Operation(
      summary = "How the requester was verified",
      description = "Roles: roi-specialist, him-admin.")
  @APIResponse(responseCode = "200", description = "The verification")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request, or not verified yet")
  public IdentityVerificationView read(
      @PathParam("id") @Parameter(description = "Request id") String id) {
    return verifications
        .read(RequestIds.parse(id))
        .orElseThrow(() -> ProblemException.notFound("The requester is not verified yet"));
  }
}
