package dev.him.records.amendment;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.records.fhir.ETags;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Amendment requests (45 CFR 164.526): logging, the steps that follow, and the worklists. */
@Path("/api/records/amendments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
    name = "Amendments",
    description =
        "An individual's requests to amend their record (45 CFR 164.526): due dates, extension,"
            + " acceptance or denial, disagreement and rebuttal")
public class AmendmentResource {
  static final String READERS =
      "Roles: him-clerk, him-admin, clinician, roi-specialist, privacy-officer, platform-service.";
  static final String STEP_409 =
      "The request's status does not allow this step; the detail names the allowed next steps";
  static final Set<String> LIST_PARAMETERS = Set.of("patient", "overdue", "status", "page", "size");

  @Inject AmendmentService amendments;
  @Context UriInfo uri;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CLERK, Roles.ADMIN})
  @AuditedAccess(resourceType = AmendmentService.RESOURCE_TYPE, action = AccessAction.CREATE)
  @Operation(
      summary = "Log a request to amend",
      description =
          "Stores the request as RECEIVED; dueOn = receivedOn (default today) +"
              + " him.amendment.response-days (60). The target is the Patient itself or a resource"
              + " of the patient's record; its current version is kept. Roles: him-clerk, him-admin.")
  @APIResponse(responseCode = "201", description = "Created; Location points to the request")
  @APIResponse(
      responseCode = "400",
      description =
          "Invalid fields, unknown or deleted patient, a target outside the patient's record"
              + " (problem+json naming each field)")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  public Response record(@Valid @NotNull NewAmendment body) {
    AmendmentView created = amendments.record(body);
    URI location = uri.getBaseUriBuilder().path("api/records/amendments/{id}").build(created.id());
    return Response.created(location).entity(created).build();
  }

  @POST
  @Path("{id}/extension")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CLERK, Roles.ADMIN})
  @AuditedAccess(resourceType = AmendmentService.RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Extend the due date once",
      description =
          "The one extension: the due date moves to the original due date +"
              + " him.amendment.extension-days (30). The written notice must have been sent on or"
              + " before the current due date. Roles: him-clerk, him-admin.")
  @APIResponse(responseCode = "200", description = "The request with its new due date")
  @APIResponse(responseCode = "400", description = "Missing reason, or a notice sent too late")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(responseCode = "409", description = STEP_409 + " (a second extension is refused)")
  public AmendmentView extend(@PathParam("id") String id, @Valid @NotNull Extension body) {
    return amendments.extend(known(id), body);
  }

  @POST
  @Path("{id}/accept")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ADMIN, Roles.CLINICIAN})
  @AuditedAccess(resourceType = AmendmentService.RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Accept: apply the correction",
      description =
          "The corrected resource becomes the target's next version, with the reason"
              + " \"Amendment <id>: ...\" in its history; the request keeps that version. Send"
              + " If-Match: W/\"n\" with the target version the correction was made from; a stale one"
              + " is 412 and nothing changes. Roles: him-admin, clinician.")
  @APIResponse(responseCode = "200", description = "The request, ACCEPTED, with amendedVersion")
  @APIResponse(
      responseCode = "400",
      description = "The resource is not valid FHIR, not of the target's type and id, or moves it")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(responseCode = "409", description = STEP_409)
  @APIResponse(responseCode = "412", description = "If-Match names an older version of the target")
  public AmendmentView accept(
      @PathParam("id") String id,
      @Parameter(description = "W/\"n\": the target version the correction was made from")
          @HeaderParam("If-Match")
          String ifMatch,
      @Valid @NotNull Acceptance body) {
    Integer expected = ifMatch == null || ifMatch.isBlank() ? null : ETags.parseIfMatch(ifMatch);
    return amendments.accept(known(id), body, expected);
  }

  @POST
  @Path("{id}/deny")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ADMIN, Roles.CLINICIAN})
  @AuditedAccess(resourceType = AmendmentService.RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Deny",
      description =
          "ground: NOT_CREATED_BY_ENTITY, NOT_IN_DESIGNATED_RECORD_SET,"
              + " NOT_AVAILABLE_FOR_INSPECTION or ACCURATE_AND_COMPLETE; explanation: the written"
              + " basis. Roles: him-admin, clinician.")
  @APIResponse(responseCode = "200", description = "The request, DENIED")
  @APIResponse(responseCode = "400", description = "Missing or unknown ground, missing explanation")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(responseCode = "409", description = STEP_409)
  public AmendmentView deny(@PathParam("id") String id, @Valid @NotNull Denial body) {
    return amendments.deny(known(id), body);
  }

  @POST
  @Path("{id}/disagreement")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CLERK, Roles.ADMIN})
  @AuditedAccess(resourceType = AmendmentService.RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "File the individual's statement of disagreement",
      description =
          "Only after a denial. text, author, date (default today, not before the denial). Roles:"
              + " him-clerk, him-admin.")
  @APIResponse(responseCode = "200", description = "The request, DISAGREED")
  @APIResponse(responseCode = "400", description = "Invalid fields")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(responseCode = "409", description = STEP_409)
  public AmendmentView disagreement(@PathParam("id") String id, @Valid @NotNull Statement body) {
    return amendments.disagree(known(id), body);
  }

  @POST
  @Path("{id}/rebuttal")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ADMIN, Roles.CLINICIAN})
  @AuditedAccess(resourceType = AmendmentService.RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "File the covered entity's rebuttal",
      description =
          "Only after a statement of disagreement. text, author, date (default today, not before"
              + " the statement). Roles: him-admin, clinician.")
  @APIResponse(responseCode = "200", description = "The request, REBUTTED")
  @APIResponse(responseCode = "400", description = "Invalid fields")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(responseCode = "409", description = STEP_409)
  public AmendmentView rebuttal(@PathParam("id") String id, @Valid @NotNull Statement body) {
    return amendments.rebut(known(id), body);
  }

  @GET
  @Path("{id}")
  @RolesAllowed({
    Roles.CLERK,
    Roles.ADMIN,
    Roles.CLINICIAN,
    Roles.ROI,
    Roles.PRIVACY,
    Roles.PLATFORM_SERVICE
  })
  @AuditedAccess(resourceType = AmendmentService.RESOURCE_TYPE, action = AccessAction.READ)
  @Operation(
      summary = "Read a request with its full trail",
      description = "Every step with who and when, and the allowed next steps. " + READERS)
  @APIResponse(responseCode = "200", description = "The request")
  @APIResponse(responseCode = "404", description = "No such request")
  public AmendmentView read(@PathParam("id") @Parameter(description = "Request id") String id) {
    UUID known = known(id);
    return amendments
        .read(known)
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    AmendmentService.RESOURCE_TYPE + "/" + known + " is not known"));
  }

  @GET
  @RolesAllowed({
    Roles.CLERK,
    Roles.ADMIN,
    Roles.CLINICIAN,
    Roles.ROI,
    Roles.PRIVACY,
    Roles.PLATFORM_SERVICE
  })
  @AuditedAccess(resourceType = AmendmentService.RESOURCE_TYPE, action = AccessAction.SEARCH)
  @Operation(
      summary = "A patient's requests, or the overdue worklist",
      description =
          "patient=<id>: that patient's requests, newest first, with request, denial, disagreement"
              + " and rebuttal (they go with later disclosures). overdue=true: open requests past"
              + " their due date, most overdue first, with daysOverdue. status=<status> filters;"
              + " page (from 0), size (default 20, max 100). Unknown parameters are refused. "
              + READERS)
  @APIResponse(responseCode = "200", description = "A page: total, page, size, items")
  @APIResponse(responseCode = "400", description = "Unknown parameter or bad value")
  @APIResponse(responseCode = "404", description = "patient names no known patient")
  public AmendmentPage list() {
    MultivaluedMap<String, String> q = uri.getQueryParameters();
    for (String name : q.keySet()) {
      if (!LIST_PARAMETERS.contains(name)) {
        throw ProblemException.badRequest(
            name,
            "is not a parameter here; use "
                + String.join(", ", LIST_PARAMETERS.stream().sorted().toList()));
      }
    }
    String patient = single(q, "patient");
    String overdue = single(q, "overdue");
    if (overdue != null && !overdue.equals("true") && !overdue.equals("false")) {
      throw ProblemException.badRequest("overdue", "must be true or false");
    }
    String status = single(q, "status");
    AmendmentStatus wanted = null;
    if (status != null) {
      try {
        wanted = AmendmentStatus.valueOf(status);
      } catch (IllegalArgumentException e) {
        throw ProblemException.badRequest(
            "status",
            "must be one of "
                + String.join(
                    ", ", Arrays.stream(AmendmentStatus.values()).map(Enum::name).toList()));
      }
    }
    int page = intParam(q, "page", 0, 0, 1_000_000);
    int size = intParam(q, "size", 20, 1, 100);
    return amendments.list(
        new AmendmentService.Criteria(patient, "true".equals(overdue), wanted, page, size));
  }

  private static String single(MultivaluedMap<String, String> q, String name) {
    var values = q.get(name);
    if (values == null || values.isEmpty()) return null;
    if (values.size() > 1) throw ProblemException.badRequest(name, "may be given only once");
    String v = values.get(0).strip();
    if (v.isEmpty()) throw ProblemException.badRequest(name, "must not be empty");
    return v;
  }

  private static int intParam(
      MultivaluedMap<String, String> q, String name, int fallback, int min, int max) {
    String v = single(q, name);
    if (v == null) return fallback;
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.badRequest(name, "must be a whole number from " + min + " to " + max);
  }

  private static UUID known(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound(AmendmentService.RESOURCE_TYPE + "/" + id + " is not known");
    }
  }
}
