package dev.him.requests.fees;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.roi.RequestIds;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The fee of a request's packet, and the record that the requester was shown it. */
@Path("/api/requests/roi/{id}/fee")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Release of information")
public class FeeResource {
  static final String ROLES_NOTE = "Roles: roi-specialist, him-admin.";

  @Inject FeeService fees;

  @GET
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = FeeService.RESOURCE_TYPE, action = AccessAction.READ)
  @Operation(
      summary = "The fee quote",
      description =
          "Computed from the current packet's pages and the delivery format. The individual's own"
              + " request (right of access by the patient or a personal representative): no"
              + " search and retrieval fee, cost-based copying or the flat fee for an electronic"
              + " copy (45 CFR 164.524(c)(4)). Others pay the schedule (him.roi.fees.*) up to"
              + " him.roi.fees.maximum. "
              + ROLES_NOTE)
  @APIResponse(responseCode = "200", description = "The quote, with the acknowledgement if any")
  @APIResponse(responseCode = "400", description = "media not NONE, CD or USB")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(responseCode = "409", description = "No packet built yet")
  public FeeQuote quote(
      @PathParam("id") @Parameter(description = "Request id") String id,
      @QueryParam("media") @DefaultValue("NONE") String media,
      @QueryParam("summary") @DefaultValue("false") boolean summary,
      @QueryParam("flatFee") @DefaultValue("true") boolean flatFee) {
    return fees.quote(RequestIds.parse(id), new FeeOptions(media(media), summary, flatFee));
  }

  @POST
  @Path("acknowledgement")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = FeeService.RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Record that the quote was shown to the requester",
      description =
          "{shownTo, shownVia, total, media?, summary?, flatFee?}: total must be the current"
              + " quote's for those options. Release needs it for the current packet; a rebuilt"
              + " packet needs a new one. "
              + ROLES_NOTE)
  @APIResponse(responseCode = "201", description = "Recorded; the quote with its acknowledgement")
  @APIResponse(responseCode = "400", description = "Invalid fields (named)")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(
      responseCode = "409",
      description = "No packet, a final request, or total is not the current quote's")
  public Response acknowledge(
      @PathParam("id") String id, @Valid @NotNull NewFeeAcknowledgement body) {
    return Response.status(201).entity(fees.acknowledge(RequestIds.parse(id), body)).build();
  }

  private static FeeOptions.Media media(String value) {
    try {
      return FeeOptions.Media.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("media", "one of NONE, CD, USB");
    }
  }
}
