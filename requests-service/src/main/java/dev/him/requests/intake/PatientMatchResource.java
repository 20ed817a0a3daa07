package dev.him.requests.intake;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import dev.him.requests.roi.RequestIds;
import dev.him.requests.roi.RoiRequest;
import dev.him.requests.roi.RoiRequestService;
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
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The match of a request's patient against records-service, and a person's decision on it. */
@Path("/api/requests/roi/{id}/patient-match")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Release of information")
public class PatientMatchResource {
  @Inject PatientMatches matches;
  @Inject PatientMatcher matcher;

  @GET
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = RoiRequestService.RESOURCE_TYPE, action = AccessAction.READ)
  @Operation(
      summary = "The patient match with its candidates",
      description =
          "status (PENDING, EXACT, NEEDS_REVIEW, CONFIRMED, NO_MATCH), the patient as described,"
              + " and each candidate with id, name, birth date, MRN and the fields that agree."
              + " Roles: roi-specialist, him-admin.")
  @APIResponse(responseCode = "200", description = "The match")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  public PatientMatchView read(@PathParam("id") @Parameter(description = "Request id") String id) {
    return matches.view(RequestIds.parse(id));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = RoiRequestService.RESOURCE_TYPE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Confirm the patient, or record that there is none",
      description =
          "{patientId, note} confirms a patient records-service knows (CONFIRMED); {noMatch:"
              + " true, note} records NO_MATCH. Who and when are kept, with a history entry."
              + " Only while the request is RECEIVED or IDENTITY_VERIFIED. Roles:"
              + " roi-specialist, him-admin.")
  @APIResponse(responseCode = "200", description = "The match as decided")
  @APIResponse(
      responseCode = "400",
      description =
          "Neither or both of patientId and noMatch; patientId unknown in records-service")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(responseCode = "409", description = "The legal basis is already validated")
  @APIResponse(responseCode = "503", description = "records-service unavailable; try again")
  public PatientMatchView decide(
      @PathParam("id") @Parameter(description = "Request id") String id,
      @Valid @NotNull PatientMatchDecision body) {
    UUID known = RequestIds.parse(id);
    boolean named = body.patientId() != null && !body.patientId().isBlank();
    if (named == body.noMatch()) {
      throw ProblemException.badRequest(
          "patientId", "give either the confirmed patientId or noMatch: true");
    }
    if (named && matcher.read(body.patientId()).isEmpty()) {
      throw ProblemException.badRequest(
          "patientId", "records-service knows no patient with this id");
    }
    return matches.decide(known, body);
  }

  @POST
  @Path("run")
  @RolesAllowed({Roles.ROI, Roles.ADMIN})
  @AuditedAccess(resourceType = RoiRequestService.RESOURCE_TYPE, action = AccessAction.SEARCH)
  @Operation(
      summary = "Run the match again",
      description =
          "For a PENDING match (records-service was down at intake), or NEEDS_REVIEW / NO_MATCH"
              + " after records-service changed. The outcome is a history entry. Roles:"
              + " roi-specialist, him-admin.")
  @APIResponse(responseCode = "200", description = "The new match")
  @APIResponse(responseCode = "401", description = "No valid bearer token")
  @APIResponse(responseCode = "403", description = "None of the allowed roles")
  @APIResponse(responseCode = "404", description = "No such request")
  @APIResponse(
      responseCode = "409",
      description = "Already EXACT or CONFIRMED, or the legal basis is already validated")
  @APIResponse(responseCode = "503", description = "records-service still unavailable")
  public PatientMatchView run(@PathParam("id") @Parameter(description = "Request id") String id) {
    UUID known = RequestIds.parse(id);
    RoiRequest row = matches.forRun(known);
    PatientDescription described = PatientMatches.view(row).described();
    PatientMatcher.Outcome outcome;
    String note = null;
    try {
      // outside a transaction: records-service may take seconds
      outcome = matcher.matchOrFail(row.patientId, described);
    } catch (ProblemException e) {
      if (e.status() != 400 || row.patientId == null) {
        throw e;
      }
      // the id given at intake turned out unknown: a person must find the patient
      outcome = new PatientMatcher.Outcome(MatchStatus.NEEDS_REVIEW, null, java.util.List.of());
      note = "Patient/" + row.patientId + " given at intake is not known to records-service";
    }
    return matches.applyRun(known, outcome, note);
  }
}
