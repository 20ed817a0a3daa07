package dev.him.requests.legalbasis;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.events.v1.AccessAction;
import dev.him.requests.roi.RequestIds;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The legal basis of a release-of-information request: the documents behind it (authorization,
 * court order, subpoena), the structured scope asked for, and the check that lists every defect.
 */
@Path("/api/requests/roi")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Legal basis", description = "Documents behind a request and the checks on them")
public class LegalBasisResource {
  static final String WRITE_ROLES = "Roles: roi-specialist, him-admin.";
  static final String READ_ROLES = "Roles: roi-specialist, him-admin, privacy-officer.";
  static final String TYPE = LegalBasisService.RESOURCE_TYPE;

  @Inject LegalBasisService basis;

  @PUT
  @Path("{id}/scope")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Set what the request asks for, in structured form",
      description =
          "Record type codes, sensitive categories and the date range of care; the checks compare"
              + " them with the basis. Replaces what was set before. "
              + WRITE_ROLES)
  @APIResponse(responseCode = "200", description = "The legal basis with its new check")
  @APIResponse(responseCode = "400", description = "Invalid fields (problem+json naming each)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  public LegalBasisView putScope(
      @PathParam("id") @Parameter(description = "Request id") String id,
      @Valid @NotNull RequestScope body) {
    return basis.putScope(RequestIds.parse(id), body);
  }

  @PUT
  @Path("{id}/authorization")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Store the authorization behind the request (45 CFR 164.508)",
      description =
          "Stored as received, even when defective: the check names each defect. Replaces the"
              + " authorization on file unless it was revoked (409). "
              + WRITE_ROLES)
  @APIResponse(responseCode = "200", description = "The legal basis with its new check")
  @APIResponse(responseCode = "400", description = "Invalid fields (problem+json naming each)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(responseCode = "409", description = "The authorization on file was revoked")
  public LegalBasisView putAuthorization(
      @PathParam("id") @Parameter(description = "Request id") String id,
      @Valid @NotNull AuthorizationDocument body) {
    return basis.putAuthorization(RequestIds.parse(id), body);
  }

  @POST
  @Path("{id}/authorization/revocation")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Record a written revocation of the authorization (164.508(b)(5))",
      description =
          "From now on the check is invalid (AUTH_REVOKED), so no release not yet made goes out. "
              + WRITE_ROLES)
  @APIResponse(responseCode = "200", description = "The legal basis with its new check")
  @APIResponse(responseCode = "400", description = "Invalid fields (problem+json naming each)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(responseCode = "409", description = "No authorization on file, or already revoked")
  public LegalBasisView revoke(
      @PathParam("id") @Parameter(description = "Request id") String id,
      @Valid @NotNull RevocationNotice body) {
    return basis.revoke(RequestIds.parse(id), body);
  }

  @PUT
  @Path("{id}/court-order")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Store the court order behind the request (164.512(e)(1)(i))",
      description = "Only what the order names may be released. " + WRITE_ROLES)
  @APIResponse(responseCode = "200", description = "The legal basis with its new check")
  @APIResponse(responseCode = "400", description = "Invalid fields (problem+json naming each)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  public LegalBasisView putCourtOrder(
      @PathParam("id") @Parameter(description = "Request id") String id,
      @Valid @NotNull CourtOrderDocument body) {
    return basis.putCourtOrder(RequestIds.parse(id), body);
  }

  @PUT
  @Path("{id}/subpoena")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Store the subpoena behind the request (164.512(e)(1)(ii))",
      description =
          "Without a court order, release needs satisfactory assurance: notice to the patient with"
              + " the objection period over, or a qualified protective order. "
              + WRITE_ROLES)
  @APIResponse(responseCode = "200", description = "The legal basis with its new check")
  @APIResponse(responseCode = "400", description = "Invalid fields (problem+json naming each)")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  public LegalBasisView putSubpoena(
      @PathParam("id") @Parameter(description = "Request id") String id,
      @Valid @NotNull SubpoenaDocument body) {
    return basis.putSubpoena(RequestIds.parse(id), body);
  }

  @GET
  @Path("{id}/legal-basis")
  @RolesAllowed({Roles.ROI, Roles.ADMIN, Roles.PRIVACY})
  @AuditedAccess(resourceType = TYPE, action = AccessAction.READ)
  @Operation(
      summary = "The documents behind the request and the current check",
      description = READ_ROLES)
  @APIResponse(responseCode = "200", description = "Scope, documents on file and the check")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  public LegalBasisView read(@PathParam("id") @Parameter(description = "Request id") String id) {
    return basis.read(RequestIds.parse(id));
  }

  @GET
  @Path("{id}/legal-basis/check")
  @RolesAllowed({Roles.ROI, Roles.ADMIN, Roles.PRIVACY})
  @AuditedAccess(resourceType = TYPE, action = AccessAction.READ)
  @Operation(
      summary = "Check the legal basis and list every defect found",
      description =
          "valid is true only without defects. Exclusions (right of access) do not block; for a"
              + " court order releasableScope is what may go out. "
              + READ_ROLES)
  @APIResponse(responseCode = "200", description = "The check")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  public LegalBasisCheck check(@PathParam("id") @Parameter(description = "Request id") String id) {
    return basis.check(RequestIds.parse(id));
  }
}
