package dev.him.coding.suggest;

import dev.him.common.access.AuditedAccess;
import dev.him.common.access.Roles;
import dev.him.common.problem.ProblemException;
import dev.him.events.v1.AccessAction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Computer-assisted coding suggestions of one case, and the coder's decisions on them. */
@Path("/api/coding/cases/{id}/suggestions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Coding suggestions", description = "Computer-assisted coding for a case")
public class SuggestionResource {
  @Inject CaseSuggestions suggestions;

  /** What a rejection may say. */
  public record Decision(String reason) {}

  @GET
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseSuggestions.RESOURCE, action = AccessAction.READ)
  @Operation(
      summary = "The case's suggested ICD-10-CM codes",
      description =
          "Generated on first call from the encounter's recorded conditions, reasons and document"
              + " texts: each code with a score (0-1) and its evidence (which words, from which"
              + " source, matching which title or inclusion term), and the coder's decision"
              + " (proposed, accepted, rejected). Roles: coder, him-admin.")
  @APIResponse(responseCode = "200", description = "The suggestions, best first")
  @APIResponse(responseCode = "404", description = "No such case")
  public CaseSuggestions.Page list(@PathParam("id") String id) {
    return suggestions.list(caseId(id));
  }

  @POST
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseSuggestions.RESOURCE, action = AccessAction.READ)
  @Operation(
      summary = "Compute the suggestions again",
      description =
          "After the case's sources changed (a later discharge event): proposals are recomputed,"
              + " decisions already made are kept. Roles: coder, him-admin.")
  public CaseSuggestions.Page regenerate(@PathParam("id") String id) {
    return suggestions.regenerate(caseId(id));
  }

  @POST
  @Path("{code}/accept")
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseSuggestions.RESOURCE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Accept a suggestion",
      description =
          "Records that the coder agrees the code applies (counted in the acceptance rate). It"
              + " does not change the case's codes: the coder saves those. Roles: coder, him-admin.")
  @APIResponse(responseCode = "404", description = "No such case or suggestion")
  public CaseSuggestions.View accept(@PathParam("id") String id, @PathParam("code") String code) {
    return suggestions.decide(caseId(id), code, true, null);
  }

  @POST
  @Path("{code}/reject")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.CODER, Roles.ADMIN})
  @AuditedAccess(resourceType = CaseSuggestions.RESOURCE, action = AccessAction.UPDATE)
  @Operation(
      summary = "Reject a suggestion",
      description = "Body {\"reason\": \"...\"} (optional, at most 500 characters).")
  @APIResponse(responseCode = "400", description = "reason too long")
  @APIResponse(responseCode = "404", description = "No such case or suggestion")
  public CaseSuggestions.View reject(
      @PathParam("id") String id, @PathParam("code") String code, Decision decision) {
    String reason = decision == null ? null : decision.reason();
    if (reason != null && reason.length() > 500) {
      throw ProblemException.badRequest("reason", "at most 500 characters");
    }
    return suggestions.decide(caseId(id), code, false, reason);
  }

  static UUID caseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("id", "not a case id (UUID)");
    }
  }
}
