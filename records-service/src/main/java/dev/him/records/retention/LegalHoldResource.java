package dev.him.records.retention;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Legal holds: placed and released by HIM administrators, read by those who answer for records. */
@Path("/api/records/legal-holds")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Legal holds",
    description = "Holds on a patient or an encounter that block any deletion or destruction")
public class LegalHoldResource {
  static final String READERS = "Roles: him-admin, him-clerk, roi-specialist, privacy-officer.";

  @Inject LegalHoldService holds;
  @Context UriInfo uri;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ADMIN)
  @AuditedAccess(resourceType = LegalHoldService.RESOURCE_TYPE, action = AccessAction.CREATE)
  @Operation(
      summary = "Place a legal hold",
      description =
          "On exactly one of patientId, encounterId, with the matter (case) name and the reason."
              + " While active, deleting the patient (or any resource it covers) is refused with"
              + " 409. Role: him-admin.")
  @APIResponse(responseCode = "201", description = "Placed; Location points to the hold")
  @APIResponse(
      responseCode = "400",
      description = "Neither or both of patientId and encounterId, unknown target, missing matter")
  @APIResponse(responseCode = "409", description = "Already on hold for this matter")
  public Response place(@Valid @NotNull NewLegalHold body) {
    LegalHoldView placed = holds.place(body);
    return Response.created(
            uri.getBaseUriBuilder().path("api/records/legal-holds/{id}").build(placed.id()))
        .entity(placed)
        .build();
  }

  @POST
  @Path("{id}/release")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ADMIN)
  @AuditedAccess(resourceType = LegalHoldService.RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Release a legal hold",
      description = "With the reason; the hold is kept, marked released. Role: him-admin.")
  @APIResponse(responseCode = "200", description = "The released hold")
  @APIResponse(responseCode = "400", description = "Missing reason")
  @APIResponse(responseCode = "404", description = "No such hold")
  @APIResponse(responseCode = "409", description = "Already released")
  public LegalHoldView release(@PathParam("id") String id, @Valid @NotNull HoldRelease body) {
    return holds.release(known(id), body);
  }

  @GET
  @Path("{id}")
  @RolesAllowed({Roles.ADMIN, Roles.CLERK, Roles.ROI, Roles.PRIVACY})
  @AuditedAccess(resourceType = LegalHoldService.RESOURCE_TYPE, action = AccessAction.READ)
  @Operation(summary = "Read a legal hold", description = READERS)
  @APIResponse(responseCode = "200", description = "The hold")
  @APIResponse(responseCode = "404", description = "No such hold")
  public LegalHoldView read(@PathParam("id") @Parameter(description = "Hold id") String id) {
    UUID known = known(id);
    return holds
        .read(known)
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    LegalHoldService.RESOURCE_TYPE + "/" + known + " is not known"));
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.CLERK, Roles.ROI, Roles.PRIVACY})
  @AuditedAccess(resourceType = LegalHoldService.RESOURCE_TYPE, action = AccessAction.SEARCH)
  @Operation(
      summary = "List legal holds",
      description =
          "patient=<id> (holds on the patient and on their encounters), encounter=<id>,"
              + " active=true|false; page (from 0), size (default 20, max 100); newest first. "
              + READERS)
  @APIResponse(responseCode = "200", description = "A page: total, page, size, items")
  @APIResponse(responseCode = "400", description = "Unknown parameter or bad value")
  public LegalHoldPage list() {
    Params p =
        new Params(
            uri.getQueryParameters(), Set.of("patient", "encounter", "active", "page", "size"));
    return holds.list(
        new LegalHoldService.Criteria(
            p.single("patient"),
            p.single("encounter"),
            p.bool("active"),
            p.integer("page", 0, 0, 1_000_000),
            p.integer("size", 20, 1, 100)));
  }

  private static UUID known(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound(LegalHoldService.RESOURCE_TYPE + "/" + id + " is not known");
    }
  }
}
